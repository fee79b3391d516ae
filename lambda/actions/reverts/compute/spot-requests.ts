/**
 * The three kinds of request that keep launching instances for whoever made them: Spot Instance
 * requests, Spot Fleet requests and EC2 Fleets (types `maintain` and `request`). For each: read its
 * state and the instances it launched, and cancel it while keeping its instances (they are halted
 * by instance-halt.ts, so that they are stopped, or terminated only when configured).
 */
import {
  CancelSpotFleetRequestsCommand,
  CancelSpotInstanceRequestsCommand,
  DeleteFleetsCommand,
  DescribeFleetInstancesCommand,
  DescribeFleetsCommand,
  DescribeSpotFleetInstancesCommand,
  DescribeSpotFleetRequestsCommand,
  DescribeSpotInstanceRequestsCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { attempt, settle, type ActionError, type Read } from '../../types';
import { errorNameOf } from './outcomes';

export type SpotRequestKind = 'spot-instance-request' | 'spot-fleet-request' | 'ec2-fleet';

/** How outcomes name a request: `spot-instances-request/sir-…`, `spot-fleet-request/sfr-…`, `fleet/fleet-…`. */
export function requestTarget(kind: SpotRequestKind, requestId: string): string {
  const prefix = {
    'spot-instance-request': 'spot-instances-request',
    'spot-fleet-request': 'spot-fleet-request',
    'ec2-fleet': 'fleet',
  }[kind];
  return `${prefix}/${requestId}`;
}

/** A request's name in a sentence. */
export function requestName(kind: SpotRequestKind, requestId: string): string {
  const noun = {
    'spot-instance-request': 'Spot Instance request',
    'spot-fleet-request': 'Spot Fleet request',
    'ec2-fleet': 'EC2 Fleet',
  }[kind];
  return `${noun} ${requestId}`;
}

export interface RequestState {
  /** Its state (`open`, `active`, `cancelled_running`, ...), or null when EC2 no longer lists it. */
  readonly state: string | null;
  /** The instances it launched that EC2 still lists as its own. */
  readonly instanceIds: readonly string[];
}

/** States in which a request launches nothing more: cancelling again changes nothing. */
const SETTLED: Record<SpotRequestKind, ReadonlySet<string>> = {
  'spot-instance-request': new Set(['cancelled', 'closed', 'failed']),
  'spot-fleet-request': new Set(['cancelled', 'cancelled_running', 'cancelled_terminating', 'failed']),
  'ec2-fleet': new Set(['deleted', 'deleted_running', 'deleted_terminating', 'failed']),
};

export const isSettled = (kind: SpotRequestKind, state: string): boolean => SETTLED[kind].has(state);

/** Errors that mean the request does not exist (any more). */
const NOT_FOUND = new Set([
  'InvalidSpotInstanceRequestID.NotFound',
  'InvalidSpotFleetRequestId.NotFound',
  'InvalidFleetId.NotFound',
]);

async function orGone<T>(read: () => Promise<T>, gone: T): Promise<T> {
  try {
    return await read();
  } catch (thrown) {
    if (NOT_FOUND.has(errorNameOf(thrown) ?? '')) return gone;
    throw thrown;
  }
}

const GONE: RequestState = { state: null, instanceIds: [] };

async function readSpotInstanceRequest(ec2: EC2Client, id: string): Promise<RequestState> {
  return orGone(async () => {
    const answer = await ec2.send(new DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [id] }));
    const request = (answer.SpotInstanceRequests ?? []).find((r) => r.SpotInstanceRequestId === id);
    if (!request?.State) return GONE;
    return { state: request.State, instanceIds: request.InstanceId ? [request.InstanceId] : [] };
  }, GONE);
}

/** DescribeSpotFleetInstances and DescribeFleetInstances have no SDK paginator: their pages are followed here. */
async function activeInstances(
  page: (nextToken: string | undefined) => Promise<{ ids: readonly string[]; nextToken?: string }>,
): Promise<readonly string[]> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const answer = await page(nextToken);
    ids.push(...answer.ids);
    nextToken = answer.nextToken;
  } while (nextToken);
  return [...new Set(ids)];
}

const instanceIdsOf = (active: readonly { InstanceId?: string }[] | undefined) =>
  (active ?? []).flatMap((instance) => (instance.InstanceId ? [instance.InstanceId] : []));

async function readSpotFleetRequest(ec2: EC2Client, id: string): Promise<RequestState> {
  return orGone(async () => {
    const answer = await ec2.send(new DescribeSpotFleetRequestsCommand({ SpotFleetRequestIds: [id] }));
    const config = (answer.SpotFleetRequestConfigs ?? []).find((c) => c.SpotFleetRequestId === id);
    if (!config?.SpotFleetRequestState) return GONE;
    const instanceIds = await activeInstances(async (NextToken) => {
      const page = await ec2.send(
        new DescribeSpotFleetInstancesCommand({ SpotFleetRequestId: id, NextToken }),
      );
      return { ids: instanceIdsOf(page.ActiveInstances), nextToken: page.NextToken };
    });
    return { state: config.SpotFleetRequestState, instanceIds };
  }, GONE);
}

async function readFleet(ec2: EC2Client, id: string): Promise<RequestState> {
  return orGone(async () => {
    const answer = await ec2.send(new DescribeFleetsCommand({ FleetIds: [id] }));
    const fleet = (answer.Fleets ?? []).find((f) => f.FleetId === id);
    if (!fleet?.FleetState) return GONE;
    const instanceIds = await activeInstances(async (NextToken) => {
      const page = await ec2.send(new DescribeFleetInstancesCommand({ FleetId: id, NextToken }));
      return { ids: instanceIdsOf(page.ActiveInstances), nextToken: page.NextToken };
    });
    return { state: fleet.FleetState, instanceIds };
  }, GONE);
}

/** The request's state and its instances; never rejects. */
export function readRequest(ec2: EC2Client, kind: SpotRequestKind, id: string): Promise<Read<RequestState>> {
  const read = {
    'spot-instance-request': readSpotInstanceRequest,
    'spot-fleet-request': readSpotFleetRequest,
    'ec2-fleet': readFleet,
  }[kind];
  return settle(() => read(ec2, id));
}

/** An answer that lists the request as not cancelled, as an error. */
function unsuccessful(
  items: readonly { Error?: { Code?: string; Message?: string } }[] | undefined,
  name: string,
): ActionError | undefined {
  const failure = (items ?? [])[0];
  if (!failure) return undefined;
  return { name: failure.Error?.Code ?? name, message: failure.Error?.Message ?? `${name}: not cancelled` };
}

/** Cancels the request, keeping its instances (TerminateInstances false); resolves to the error, never rejects. */
export async function cancelRequest(
  ec2: EC2Client,
  kind: SpotRequestKind,
  id: string,
): Promise<ActionError | undefined> {
  let refusal: ActionError | undefined;
  const error = await attempt(async () => {
    if (kind === 'spot-instance-request') {
      await ec2.send(new CancelSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [id] }));
    } else if (kind === 'spot-fleet-request') {
      const answer = await ec2.send(
        new CancelSpotFleetRequestsCommand({ SpotFleetRequestIds: [id], TerminateInstances: false }),
      );
      refusal = unsuccessful(answer.UnsuccessfulFleetRequests, 'UnsuccessfulFleetRequest');
    } else {
      const answer = await ec2.send(new DeleteFleetsCommand({ FleetIds: [id], TerminateInstances: false }));
      refusal = unsuccessful(answer.UnsuccessfulFleetDeletions, 'UnsuccessfulFleetDeletion');
    }
  });
  return error ?? refusal;
}
