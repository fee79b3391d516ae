import { INCIDENT_TTL_ATTRIBUTE } from '../../../lib/constructs/evidence-store';
import { INCIDENT_PREFIX } from '../../../lib/cordon-home-stack';
import { TTL_ATTRIBUTE } from '../../../lambda/incidents/aws-incident-store';
import {
  assertDocumentName,
  assertIncidentId,
  assertWritableDocumentName,
  documentKey,
  INCIDENTS_PREFIX,
  incidentKeyPrefix,
  serializeDocument,
} from '../../../lambda/incidents/store';

describe('incident store keys and names', () => {
  it("agree with the stack's constants at run time too (the types already tie them)", () => {
    expect(TTL_ATTRIBUTE).toBe(INCIDENT_TTL_ATTRIBUTE);
    expect(INCIDENTS_PREFIX).toBe(INCIDENT_PREFIX);
  });

  it('put documents at incidents/<id>/<name>.json', () => {
    expect(incidentKeyPrefix('cordon-20260115T0930-ba7816bf8f01')).toBe(
      'incidents/cordon-20260115T0930-ba7816bf8f01/',
    );
    expect(documentKey('cordon-1', 'restore-2026-01-15T10:00:00.000Z')).toBe(
      'incidents/cordon-1/restore-2026-01-15T10:00:00.000Z.json',
    );
  });

  it('accept safe incident ids and refuse the rest', () => {
    for (const ok of ['cordon-20260115T0930-ba7816bf8f01', 'INC_1', '7', 'a'.repeat(128)]) {
      expect(() => assertIncidentId(ok)).not.toThrow();
    }
    for (const bad of ['', '-x', '_x', '.x', 'a.b', 'a/b', '..', 'a b', 'é', 'a'.repeat(129), 'a\nb']) {
      expect(() => assertIncidentId(bad)).toThrow(`invalid incident id ${JSON.stringify(bad)}`);
    }
  });

  it('accept document names with dots and colons, and refuse separators and leading dots', () => {
    for (const ok of ['event', 'record', 'restore-2026-01-15T10:00:00.000Z', 'a..b']) {
      expect(() => assertDocumentName(ok)).not.toThrow();
    }
    for (const bad of ['', '.env', '../x', 'a/b', 'a\\b', 'a b', 'x'.repeat(201)]) {
      expect(() => assertDocumentName(bad)).toThrow('invalid document name');
    }
    expect(() => assertDocumentName('claim')).not.toThrow();
    expect(() => assertWritableDocumentName('claim')).toThrow("document name 'claim' is reserved");
  });

  it('serialize documents as indented JSON with a final newline, refusing what JSON cannot hold', () => {
    expect(serializeDocument({ a: [1] }, 'x')).toBe('{\n  "a": [\n    1\n  ]\n}\n');
    expect(() => serializeDocument(() => 1, 'the event')).toThrow(
      'the event: the document is not JSON-serializable',
    );
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => serializeDocument(cyclic, 'x')).toThrow(/circular/);
  });
});
