import { INCIDENT_ID_PATTERN, incidentIdFor } from '../../../lambda/incidents/incident-id';
import { assertIncidentId } from '../../../lambda/incidents/store';

describe('incidentIdFor', () => {
  it('is cordon-<UTC minute>-<first 12 hex of sha256(event id)>', () => {
    // sha256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
    expect(incidentIdFor('abc', '2026-01-15T09:30:59Z')).toBe('cordon-20260115T0930-ba7816bf8f01');
    // sha256("") = e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
    expect(incidentIdFor('', '2026-01-15T09:30:00.000Z')).toBe('cordon-20260115T0930-e3b0c44298fc');
  });

  it('gives a re-delivery of the same event the same id, and other events other ids', () => {
    const eventId = '6a7e8feb-b491-4cf7-a9f1-bf3703467718';
    const first = incidentIdFor(eventId, '2026-01-15T09:30:12Z');
    expect(incidentIdFor(eventId, '2026-01-15T09:30:12Z')).toBe(first);
    expect(incidentIdFor('6a7e8feb-b491-4cf7-a9f1-bf3703467719', '2026-01-15T09:30:12Z')).not.toBe(first);
  });

  it('reads the time in UTC, whatever offset the event carries', () => {
    expect(incidentIdFor('abc', '2026-01-15T10:30:00+01:00')).toBe('cordon-20260115T0930-ba7816bf8f01');
    expect(incidentIdFor('abc', '2026-01-15T23:59:00-05:00')).toBe('cordon-20260116T0459-ba7816bf8f01');
  });

  it('never throws on an unreadable time: the stamp becomes 00000000T0000', () => {
    for (const time of [
      '',
      'yesterday',
      '   ',
      '+275760-09-13T00:00:00.001Z',
      '12345-01-01T00:00:00Z',
      '+010000-01-01T00:00:00Z',
    ]) {
      expect(incidentIdFor('abc', time)).toBe('cordon-00000000T0000-ba7816bf8f01');
    }
  });

  it('makes ids that match the pattern and are safe as S3 key segments and folder names', () => {
    const events = ['abc', '../../etc/passwd', 'ü/ñ \\ *?', 'x'.repeat(5000)];
    for (const eventId of events) {
      const id = incidentIdFor(eventId, '2026-01-15T09:30:00Z');
      expect(id).toMatch(INCIDENT_ID_PATTERN);
      expect(() => assertIncidentId(id)).not.toThrow();
    }
  });
});
