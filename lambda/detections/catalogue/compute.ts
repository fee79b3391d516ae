/** Compute launched for an attacker's own use: GPU and accelerator instances (mining, model training). */
import type { Detection, EventBridgeEvent } from '../types';
import { apiCall, asList, at, isRecord, text } from './shared';

/**
 * Whether an instance type belongs to one of the configured families. A family of letters only matches
 * the family before the generation digit ("g" matches g5.xlarge and g4dn.xlarge, not m7g.large nor
 * gr6.4xlarge); an entry that already ends in a digit, "." or "-" is a plain prefix ("p5" matches p5e).
 */
export function isUnusualInstanceType(instanceType: string, families: readonly string[]): boolean {
  return families.some((family) =>
    /[0-9.-]$/.test(family)
      ? instanceType.startsWith(family)
      : instanceType.startsWith(family) && /^[0-9]/.test(instanceType.slice(family.length)),
  );
}

/** Every instance type a launch names: requested, requested as {value}, for spot, or launched. */
function instanceTypes(event: EventBridgeEvent): string[] {
  const request = at(event, 'detail', 'requestParameters');
  const launched = asList(at(event, 'detail', 'responseElements', 'instancesSet', 'items'))
    .filter(isRecord)
    .map((instance) => instance.instanceType);
  return [
    at(request, 'instanceType'),
    at(request, 'instanceType', 'value'),
    at(request, 'launchSpecification', 'instanceType'),
    ...launched,
  ]
    .map(text)
    .filter((type): type is string => type !== undefined);
}

export const COMPUTE_DETECTIONS: readonly Detection[] = [
  {
    id: 'ec2-unusual-instance-type-launched',
    title: 'Unusual EC2 instance type launched',
    severity: 'medium',
    source: 'cloudtrail',
    defaultResponse: 'notify',
    rationale:
      'The first thing done with a stolen key is often to start GPU or accelerator instances for ' +
      'crypto-mining, at the expense of the victim. Attempts that failed (no quota, no permission, dry run) are ' +
      'kept: trying is the signal. Teams that use these families legitimately would be contained by ' +
      'mistake, so Cordon reports; the families are configurable (unusualInstanceTypePrefixes).',
    mitre: 'T1496.001',
    pattern: (context) => {
      if (context.unusualInstanceTypePrefixes.length === 0) return null;
      const families = context.unusualInstanceTypePrefixes.map((family) => ({ prefix: family }));
      return apiCall('ec2', {
        $or: [
          { eventName: ['RunInstances'], requestParameters: { instanceType: families } },
          { eventName: ['RunInstances'], requestParameters: { instanceType: { value: families } } },
          {
            eventName: ['RunInstances'],
            responseElements: { instancesSet: { items: { instanceType: families } } },
          },
          {
            eventName: ['RequestSpotInstances'],
            requestParameters: { launchSpecification: { instanceType: families } },
          },
        ],
      });
    },
    refinement:
      'Keeps the launch only when an instance type it names belongs to a configured family before the ' +
      'generation digit ("g" matches g5.xlarge but not m7g.large nor gr6.4xlarge, whose family is "gr"); ' +
      'the pattern can only say "starts with g".',
    refine: (event, context) =>
      instanceTypes(event).some((type) => isUnusualInstanceType(type, context.unusualInstanceTypePrefixes)),
  },
];
