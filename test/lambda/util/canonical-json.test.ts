import fc from 'fast-check';
import { stableId } from '../../../lambda/signal/envelope';
import { canonicalJson } from '../../../lambda/util/canonical-json';

describe('canonicalJson', () => {
  it('sorts object keys at every depth, keeps array order, and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: null } })).toBe('{"a":{"c":null,"d":[3,1]},"b":1}');
    expect(canonicalJson({ b: 1, a: 2 })).toBe(canonicalJson({ a: 2, b: 1 }));
  });

  it('is JSON.stringify with sorted keys for every JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('compares IAM policy documents by meaning, whatever the key order', () => {
    const given = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}';
    const returned = '{"Statement":[{"Resource":"*","Action":"*","Effect":"Deny"}],"Version":"2012-10-17"}';
    expect(canonicalJson(JSON.parse(given))).toBe(canonicalJson(JSON.parse(returned)));
  });

  it('never throws, and writes values that are not JSON as before', () => {
    const cyclic: Record<string, unknown> = {
      b: [1, 'two', null, true],
      a: { z: undefined, y: Number.NaN, x: 10n },
    };
    cyclic.self = cyclic;
    expect(canonicalJson(cyclic)).toBe(
      '{"a":{"x":"10n","y":"NaN","z":undefined},"b":[1,"two",null,true],"self":"[circular]"}',
    );
    expect(canonicalJson(Symbol('s'))).toBe('"symbol"');
    expect(canonicalJson(() => 1)).toBe('"function"');
  });

  it('keeps the stable ids derived before it was shared (incident ids depend on them)', () => {
    // Values computed with envelope.ts's own serialiser, before this module replaced it.
    const cyclic: Record<string, unknown> = {
      b: [1, 'two', null, true],
      a: { z: undefined, y: Number.NaN, x: 10n },
    };
    cyclic.self = cyclic;
    expect(
      stableId('cloudtrail-record', {
        eventName: 'GetObject',
        awsRegion: 'us-east-1',
        nested: { b: 2, a: [1, { d: 'x', c: null }] },
      }),
    ).toBe('4e4553c4-a51f-a971-1c45-002c27437f1b');
    expect(stableId('t', cyclic)).toBe('d0eb7aff-d8dc-9707-8ffc-a974b363bfbe');
  });
});
