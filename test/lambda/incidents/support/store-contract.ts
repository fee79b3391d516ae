/**
 * What every IncidentStore must do, run against each implementation (moto for the S3 and
 * DynamoDB ones, a temporary folder for the local one).
 */
import type { IncidentClaim, IncidentStore } from '../../../../lambda/incidents/store';
import { incidentIdFor } from '../../../../lambda/incidents/incident-id';

let sequence = 0;
/** A fresh incident id, shaped as the responder makes them. */
export function freshIncidentId(): string {
  sequence += 1;
  return incidentIdFor(`event-${process.pid}-${Date.now()}-${sequence}`, '2026-01-15T09:30:12Z');
}

export function claimOf(
  incidentId: string,
  summary: IncidentClaim['summary'] = {},
  times: { createdAt?: string; leaseUntil?: string } = {},
): IncidentClaim {
  return {
    incidentId,
    createdAt: times.createdAt ?? '2026-01-15T09:30:12.000Z',
    leaseUntil: times.leaseUntil ?? '2026-01-15T09:32:12.000Z',
    summary,
  };
}

export interface ContractOptions {
  /** A new, empty store (its own bucket/table/folder): containment counts start at zero. */
  readonly makeStore: () => Promise<IncidentStore>;
  /** What `locationOf(id)` must return for the store `makeStore` gave. */
  readonly expectedLocation: (store: IncidentStore, incidentId: string) => string;
  /**
   * Whether the backend itself makes a conditional write atomic when requests race. moto does
   * not (its S3 If-None-Match and DynamoDB condition are a check then a write, without a lock,
   * in a threaded server): against moto the race is covered with aws-sdk-client-mock instead.
   */
  readonly atomicUnderConcurrency: boolean;
}

export function describeIncidentStoreContract(options: ContractOptions): void {
  let store: IncidentStore;
  beforeEach(async () => {
    store = await options.makeStore();
  });

  describe('claim', () => {
    it("returns 'claimed' for a new id, then 'in-progress' for the same id while the lease holds", async () => {
      const id = freshIncidentId();
      await expect(store.claim(claimOf(id, { detection: 'iam-user-key-abuse' }))).resolves.toBe('claimed');
      await expect(store.claim(claimOf(id, { detection: 'other' }))).resolves.toBe('in-progress');
      await expect(store.claim(claimOf(id))).resolves.toBe('in-progress');
    });

    it("answers 'completed' to a re-delivery once the run completed, even after the lease", async () => {
      const id = freshIncidentId();
      await expect(store.claim(claimOf(id))).resolves.toBe('claimed');
      await store.completeClaim(id, new Date('2026-01-15T09:31:00Z'));
      await expect(store.claim(claimOf(id))).resolves.toBe('completed');
      await expect(store.claim(claimOf(id, {}, { createdAt: '2026-01-16T00:00:00.000Z' }))).resolves.toBe(
        'completed',
      );
    });

    it('lets a retry resume a released claim at once, then holds it again', async () => {
      const id = freshIncidentId();
      await expect(store.claim(claimOf(id))).resolves.toBe('claimed');
      await store.releaseClaim(id, new Date('2026-01-15T09:30:30Z'));
      await expect(store.claim(claimOf(id))).resolves.toBe('resumed');
      await expect(store.claim(claimOf(id))).resolves.toBe('in-progress');
      await store.completeClaim(id, new Date('2026-01-15T09:31:00Z'));
      await expect(store.claim(claimOf(id))).resolves.toBe('completed');
    });

    it('lets a retry resume a claim whose lease expired (a run that died), not one still held', async () => {
      const id = freshIncidentId();
      await expect(store.claim(claimOf(id))).resolves.toBe('claimed');
      const later = (createdAt: string) =>
        claimOf(id, {}, { createdAt, leaseUntil: '2026-01-15T09:40:00.000Z' });
      await expect(store.claim(later('2026-01-15T09:32:00.000Z'))).resolves.toBe('in-progress');
      await expect(store.claim(later('2026-01-15T09:33:00.000Z'))).resolves.toBe('resumed');
      await expect(store.claim(later('2026-01-15T09:34:00.000Z'))).resolves.toBe('in-progress');
    });

    it('claims different ids independently', async () => {
      const first = freshIncidentId();
      const second = freshIncidentId();
      await expect(store.claim(claimOf(first))).resolves.toBe('claimed');
      await expect(store.claim(claimOf(second))).resolves.toBe('claimed');
    });

    if (options.atomicUnderConcurrency) {
      it("gives exactly one 'claimed' among concurrent claims of the same id", async () => {
        for (let round = 0; round < 5; round += 1) {
          const id = freshIncidentId();
          const results = await Promise.all(
            Array.from({ length: 12 }, (_, index) => store.claim(claimOf(id, { attempt: index }))),
          );
          expect(results.filter((result) => result === 'claimed')).toHaveLength(1);
          expect(results.filter((result) => result === 'in-progress')).toHaveLength(11);
        }
      });
    }

    it("answers 'in-progress' to every concurrent duplicate of a held id", async () => {
      const id = freshIncidentId();
      await expect(store.claim(claimOf(id))).resolves.toBe('claimed');
      const results = await Promise.all(Array.from({ length: 8 }, () => store.claim(claimOf(id))));
      expect(results).toEqual(Array.from({ length: 8 }, () => 'in-progress'));
    });

    it("answers 'claimed' to concurrent claims of different ids", async () => {
      const ids = Array.from({ length: 8 }, () => freshIncidentId());
      const results = await Promise.all(ids.map((id) => store.claim(claimOf(id))));
      expect(results).toEqual(ids.map(() => 'claimed'));
    });

    it('refuses an id that is not safe as a key segment or folder name, before any write', async () => {
      for (const bad of ['../escape', 'a/b', '', '.hidden', 'has space']) {
        await expect(store.claim(claimOf(bad))).rejects.toThrow(/invalid incident id/);
      }
    });

    it('is not fooled by a document written before the claim', async () => {
      const id = freshIncidentId();
      await store.putDocument(id, 'event', { early: true });
      await expect(store.claim(claimOf(id))).resolves.toBe('claimed');
      await expect(store.claim(claimOf(id))).resolves.toBe('in-progress');
    });
  });

  describe('documents', () => {
    it('round-trip a nested JSON document', async () => {
      const id = freshIncidentId();
      const record = {
        kind: 'cordon/iam-user-containment',
        userName: 'mallory',
        outcomes: [
          { action: 'deny-all', status: 'done' },
          { action: 'deactivate-access-key', keyId: 'AKIA1' },
        ],
        dryRun: false,
        count: 3,
        missing: null,
        text: 'naïve ✓ 日本',
      };
      await store.putDocument(id, 'record', record);
      await expect(store.getDocument(id, 'record')).resolves.toEqual(record);
    });

    it('overwrite an existing document and keep the others', async () => {
      const id = freshIncidentId();
      await store.putDocument(id, 'event', { version: 1 });
      await store.putDocument(id, 'record', { kept: true });
      await store.putDocument(id, 'event', { version: 2 });
      await expect(store.getDocument(id, 'event')).resolves.toEqual({ version: 2 });
      await expect(store.getDocument(id, 'record')).resolves.toEqual({ kept: true });
    });

    it('accept restore-<time> names and non-object documents', async () => {
      const id = freshIncidentId();
      await store.putDocument(id, 'restore-2026-01-15T10:00:00.000Z', ['a', 1]);
      await store.putDocument(id, 'note', 'plain string');
      await expect(store.getDocument(id, 'restore-2026-01-15T10:00:00.000Z')).resolves.toEqual(['a', 1]);
      await expect(store.getDocument(id, 'note')).resolves.toBe('plain string');
    });

    it('read as undefined when absent, for a known and an unknown incident', async () => {
      const id = freshIncidentId();
      await store.putDocument(id, 'event', {});
      await expect(store.getDocument(id, 'record')).resolves.toBeUndefined();
      await expect(store.getDocument(freshIncidentId(), 'event')).resolves.toBeUndefined();
    });

    it("refuse the reserved 'claim' name and unsafe names", async () => {
      const id = freshIncidentId();
      await expect(store.claim(claimOf(id))).resolves.toBe('claimed');
      await expect(store.putDocument(id, 'claim', { hijack: true })).rejects.toThrow(/reserved/);
      await expect(store.putDocument(id, '../x', {})).rejects.toThrow(/invalid document name/);
      await expect(store.putDocument('../x', 'event', {})).rejects.toThrow(/invalid incident id/);
      // The claim still holds.
      await expect(store.claim(claimOf(id))).resolves.toBe('in-progress');
    });

    it('refuse a document that is not JSON', async () => {
      await expect(store.putDocument(freshIncidentId(), 'event', undefined)).rejects.toThrow(
        /not JSON-serializable/,
      );
    });
  });

  describe('containments', () => {
    const t0 = new Date('2026-01-15T09:00:00.000Z');
    const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

    it('count zero in an empty store', async () => {
      await expect(store.countContainmentsSince(new Date(0))).resolves.toBe(0);
    });

    it('count the containments recorded at or after `since`', async () => {
      await store.recordContainment(freshIncidentId(), at(0));
      await store.recordContainment(freshIncidentId(), at(10));
      await store.recordContainment(freshIncidentId(), at(10)); // same instant, another incident
      await store.recordContainment(freshIncidentId(), at(120));

      await expect(store.countContainmentsSince(at(-1))).resolves.toBe(4);
      await expect(store.countContainmentsSince(at(0))).resolves.toBe(4); // inclusive
      await expect(store.countContainmentsSince(new Date(at(0).getTime() + 1))).resolves.toBe(3);
      await expect(store.countContainmentsSince(at(10))).resolves.toBe(3);
      await expect(store.countContainmentsSince(at(11))).resolves.toBe(1);
      await expect(store.countContainmentsSince(at(120))).resolves.toBe(1);
      await expect(store.countContainmentsSince(at(121))).resolves.toBe(0);
    });

    it('count concurrent recordings', async () => {
      await Promise.all(
        Array.from({ length: 8 }, (_, i) => store.recordContainment(freshIncidentId(), at(i))),
      );
      await expect(store.countContainmentsSince(at(0))).resolves.toBe(8);
      await expect(store.countContainmentsSince(at(4))).resolves.toBe(4);
    });

    it('refuse an invalid date', async () => {
      await expect(store.countContainmentsSince(new Date('nope'))).rejects.toThrow(/not a valid date/);
      await expect(store.recordContainment(freshIncidentId(), new Date(NaN))).rejects.toThrow(
        /not a valid date/,
      );
    });
  });

  it('locates an incident', () => {
    const id = freshIncidentId();
    expect(store.locationOf(id)).toBe(options.expectedLocation(store, id));
  });
}
