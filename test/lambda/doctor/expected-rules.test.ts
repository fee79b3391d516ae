import { cordonConfigSchema } from '../../../lambda/config/schema';
import { DETECTIONS } from '../../../lambda/detections/catalogue';
import {
  coveredRegions,
  expectedDetectionRules,
  ruleDescriptionPrefix,
  stackOfRegion,
} from '../../../lambda/doctor/expected-rules';

describe('expectedDetectionRules', () => {
  it('expects one rule per enabled detection, honeytoken use only with keys and with read-only events', () => {
    const withoutKeys = expectedDetectionRules(cordonConfigSchema.parse({}));
    expect(withoutKeys.map((r) => r.detectionId)).not.toContain('honeytoken-used');
    const withKeys = expectedDetectionRules(
      cordonConfigSchema.parse({ honeytokenAccessKeyIds: ['AKIAIOSFODNN7HONEY01'] }),
    );
    expect(withKeys.map((r) => r.detectionId).sort()).toEqual(DETECTIONS.map((d) => d.id).sort());
    expect(withKeys.find((r) => r.detectionId === 'honeytoken-used')?.state).toBe(
      'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
    );
    expect(withKeys.filter((r) => r.state === 'ENABLED')).toHaveLength(withKeys.length - 1);
  });

  it('leaves out a detection the config disables', () => {
    const [first] = DETECTIONS;
    const rules = expectedDetectionRules(
      cordonConfigSchema.parse({ detections: { [first.id]: { enabled: false } } }),
    );
    expect(rules.map((r) => r.detectionId)).not.toContain(first.id);
    expect(rules.length).toBeGreaterThan(0);
  });

  it('finds a rule by the description DetectionRules gives it (`Cordon <id>: <title>`)', () => {
    const [first] = DETECTIONS;
    expect(`Cordon ${first.id}: ${first.title}`.startsWith(ruleDescriptionPrefix(first.id))).toBe(true);
    // One id's prefix never matches another id's description (`Cordon a: ` is not a prefix of `Cordon a-b: `).
    for (const d of DETECTIONS) {
      const matches = DETECTIONS.filter((o) =>
        `Cordon ${o.id}: ${o.title}`.startsWith(ruleDescriptionPrefix(d.id)),
      );
      expect(matches.map((o) => o.id)).toEqual([d.id]);
    }
  });
});

describe('coveredRegions and stackOfRegion', () => {
  it('covers home, the watched regions and the global events region, each with its stack', () => {
    const config = cordonConfigSchema.parse({ homeRegion: 'eu-west-1', regions: ['eu-central-1'] });
    expect(coveredRegions(config)).toEqual(['eu-west-1', 'eu-central-1', 'us-east-1']);
    expect(stackOfRegion(config, 'eu-west-1')).toBe('Cordon');
    expect(stackOfRegion(config, 'us-east-1')).toBe('Cordon-Forwarder-us-east-1');
  });
});
