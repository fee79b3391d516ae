import { CONTAINMENT_RECORD_KIND } from '../actions/iam-user/record';
import type { AnyContainment } from '../actions/registry';
import { outcomeOf, type IncidentRecord } from '../responder/incident-record';

/** What goes to SNS: a subject and text a person reads in e-mail, JSON for machines, filterable attributes. */
export interface Report {
  readonly subject: string;
  readonly text: string;
  readonly json: string;
  readonly attributes: Readonly<Record<'severity' | 'detection' | 'principalType' | 'outcome', string>>;
}

/** SNS refuses subjects of 100 characters or more, and any control character. */
export const MAX_SUBJECT_LENGTH = 99;

/** An instance finding names no principal but the instance (its type is Unknown). */
function instanceOnly(record: IncidentRecord): string | undefined {
  const signal = record.signal;
  const p = signal?.principal;
  return p?.type === 'Unknown' && !p.userName && !p.arn ? signal?.instanceId : undefined;
}

function principalName(record: IncidentRecord): string {
  const p = record.signal?.principal;
  if (!p) return 'unknown principal';
  return instanceOnly(record) ?? p.userName ?? p.roleName ?? p.arn ?? p.principalId ?? p.type;
}

/** What the principal is, for "What happened": its type, or the instance for an instance finding. */
function principalKind(record: IncidentRecord): string {
  if (!record.signal) return 'unknown';
  return instanceOnly(record) ? 'EC2 instance' : record.signal.principal.type;
}

function subjectOf(record: IncidentRecord): string {
  const outcome = outcomeOf(record);
  const what = record.detections[0]?.id ?? (record.signal ? 'no detection' : 'unparsed event');
  const subject = `[Cordon] ${outcome}: ${principalName(record)} (${what})`.replace(/[\r\n\t]/g, ' ');
  return subject.length > MAX_SUBJECT_LENGTH ? `${subject.slice(0, MAX_SUBJECT_LENGTH - 1)}…` : subject;
}

function section(title: string, lines: readonly string[]): string[] {
  return lines.length ? ['', `${title}:`, ...lines.map((l) => `  - ${l}`)] : [];
}

/** The loud line for a principal that is not cut off, in the words of its kind. */
function notCutOff(containment: AnyContainment): string {
  switch (containment.kind) {
    case CONTAINMENT_RECORD_KIND:
      return `user ${containment.userName} is NOT denied: every deny form was refused`;
    case 'cordon/iam-role-containment':
      return `the older sessions of role ${containment.roleName} are NOT revoked: the attacker's session still works`;
    case 'cordon/ec2-instance-containment':
      return `${containment.subject} is NOT isolated: its network is as it was`;
    case 'cordon/change-revert':
      return `${containment.subject} is NOT reverted: the change is still in place`;
  }
}

/** The report of one incident. */
export function renderReport(record: IncidentRecord): Report {
  const { signal, plan } = record;
  const outcome = outcomeOf(record);
  const happened = signal
    ? [
        `${principalKind(record)} ${principalName(record)} in account ${signal.accountId}, ${signal.region}, at ${signal.time}`,
        ...(signal.findingType
          ? [`GuardDuty ${signal.findingType} (severity ${signal.severity ?? '?'})`]
          : []),
        ...(signal.eventName
          ? [`call ${signal.eventSource ?? ''} ${signal.eventName}`.replace('  ', ' ')]
          : []),
        ...(signal.accessKeyId ? [`access key ${signal.accessKeyId} (${signal.credentialKind})`] : []),
        ...(signal.sourceIp
          ? [`from ${signal.sourceIp}${signal.userAgent ? ` with ${signal.userAgent}` : ''}`]
          : []),
        ...record.detections.map((d) => `detection ${d.id}: ${d.title} [${d.severity}, ${d.response}]`),
      ]
    : [`the event could not be parsed: ${record.rejection?.message ?? 'unknown reason'}`];
  if (signal && record.rejection) happened.push(`REJECTED: ${record.rejection.message}`);
  if (record.resumed)
    happened.push('an earlier attempt failed before finishing; this run (a retry) finished it');
  const verification = record.verification;
  if (verification?.scheduled) {
    happened.push(
      `containment is verified again after ${verification.delaysSeconds.map((s) => `${s} s`).join(' and ')}: anything undone is redone and escalated`,
    );
  }
  const steps = record.containments.flatMap((c) =>
    c.outcomes.map((o) => `${o.status}: ${o.action} ${o.target}: ${o.detail}`),
  );
  const changedNothing = !plan?.enforce;
  const failed = [
    ...record.errors.map((e) => `${e.action}: ${e.name}: ${e.message}`),
    ...record.containments.flatMap((c) =>
      c.outcomes
        .filter((o) => o.status === 'failed')
        .map((o) => `${o.action} ${o.target}: ${o.error?.name ?? 'Error'}: ${o.error?.message ?? ''}`),
    ),
    ...record.containments.filter((c) => !c.effective && !c.dryRun).map(notCutOff),
  ];
  const text = [
    `Cordon incident ${record.incidentId}: ${outcome}`,
    ...section('What happened', happened),
    ...section('Decision', plan?.reasons ?? []),
    ...section(changedNothing ? 'What would be done (nothing was changed)' : 'What was done', steps),
    ...section('What failed', failed),
    ...section(
      'What a human must still do',
      plan?.manualSteps.concat(
        record.containments.flatMap((c) => c.manualSteps ?? []),
        verification && !verification.scheduled ? [verification.why] : [],
      ) ??
        (signal
          ? record.rejection
            ? [
                'Check why an event of another account reached this one (event bus forwarding, a shared finding), and respond in that account.',
              ]
            : []
          : ['Read the event in the record and decide whether it needs a response.']),
    ),
    '',
    `Record: ${record.location}`,
  ].join('\n');
  return {
    subject: subjectOf(record),
    text,
    json: JSON.stringify({ incidentId: record.incidentId, outcome, record }),
    attributes: {
      severity: plan?.severity ?? record.detections[0]?.severity ?? 'medium',
      detection: record.detections[0]?.id ?? 'none',
      principalType: signal?.principal.type ?? 'Unknown',
      outcome,
    },
  };
}
