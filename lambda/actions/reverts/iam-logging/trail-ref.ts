/**
 * A trail as a CloudTrail record names it: a name, or an ARN. An ARN names the trail's home region
 * (where its calls must be made) and account, which may differ from the record's. The calls name
 * the trail by its short name in its home region: a trail's own account and region know it by that
 * name (CloudTrail takes both), and moto's StartLogging and StopLogging take names only.
 */
export interface TrailRef {
  /** As the record gave it (name or ARN). */
  readonly trailName: string;
  /** The trail's short name: what the calls, targets and sentences name. */
  readonly name: string;
  /** The ARN's region, else the record's. */
  readonly region: string;
  /** The ARN's account, null for a plain name. */
  readonly accountId: string | null;
}

const TRAIL_ARN = /^arn:[^:]+:cloudtrail:([a-z0-9-]+):(\d{12}):trail\/(.+)$/;

export function trailRefOf(trailName: string, recordRegion: string): TrailRef {
  const arn = TRAIL_ARN.exec(trailName);
  if (!arn) return { trailName, name: trailName, region: recordRegion, accountId: null };
  return { trailName, name: arn[3], region: arn[1], accountId: arn[2] };
}

export function trailTarget(ref: TrailRef): string {
  return `trail/${ref.name}`;
}
