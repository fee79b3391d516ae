/**
 * How the responder hands an incident to the sweeper without waiting for it: an asynchronous
 * Lambda invocation (InvocationType Event), which Lambda queues and retries on its own. The
 * sweeper continues itself the same way when its time budget ends.
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { SweepStart } from './sweep';

/** The sweeper's event: the incident, and for a new sweep where it starts (dates as ISO strings). */
export interface SweeperEvent {
  readonly incidentId: string;
  readonly start?: Omit<SweepStart, 'firstSeen' | 'since'> & {
    readonly firstSeen: string;
    readonly since?: string;
  };
}

export const SWEEPER_FUNCTION_ENV = 'CORDON_SWEEPER_FUNCTION';

export interface SweepStarter {
  start(event: SweeperEvent): Promise<void>;
}

export class LambdaSweepStarter implements SweepStarter {
  constructor(
    private readonly lambda: LambdaClient,
    private readonly functionName: string,
  ) {}

  async start(event: SweeperEvent): Promise<void> {
    await this.lambda.send(
      new InvokeCommand({
        FunctionName: this.functionName,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify(event)),
      }),
    );
  }
}

/** The event for a sweep start. */
export function sweeperEventOf(incidentId: string, start: SweepStart): SweeperEvent {
  return {
    incidentId,
    start: {
      accessKeyId: start.accessKeyId,
      ...(start.userName ? { userName: start.userName } : {}),
      firstSeen: start.firstSeen.toISOString(),
      dryRun: start.dryRun,
      ...(start.since ? { since: start.since.toISOString() } : {}),
    },
  };
}

/** The start of a sweeper event, with its dates; undefined when the event has none or a bad one. */
export function sweepStartOfEvent(event: SweeperEvent): SweepStart | undefined {
  const start = event.start;
  if (!start) return undefined;
  const firstSeen = new Date(start.firstSeen);
  const since = start.since ? new Date(start.since) : undefined;
  if (Number.isNaN(firstSeen.getTime()) || (since && Number.isNaN(since.getTime()))) return undefined;
  return {
    accessKeyId: start.accessKeyId,
    ...(start.userName ? { userName: start.userName } : {}),
    firstSeen,
    dryRun: start.dryRun,
    ...(since ? { since } : {}),
  };
}
