/**
 * The containment benchmark's own parts, without its timings (speed is shown by `npm run bench`
 * only): both ways of containing cut the bench user off completely, and each instant is read off
 * the call log in the right order.
 */
import { containIamUser, type ContainmentResult } from '../../lambda/actions';
import { timeContainment } from '../../bench/contain.bench';

describe('the containment benchmark', () => {
  it("measures Cordon's containment of the bench user, which leaves it fully cut off", async () => {
    let result: ContainmentResult | undefined;
    const times = await timeContainment(async (iam, userName) => {
      result = await containIamUser({ iam, userName, incidentId: 'inc-bench-test' });
    }, 1);

    expect(result).toMatchObject({ denied: true, failures: 0 });
    expect(times.denyMs).toBeLessThanOrEqual(times.doneMs);
    expect(times.keysMs).toBeLessThanOrEqual(times.doneMs);
  });

  it('fails loudly when a way of containing makes no change', async () => {
    await expect(timeContainment(() => Promise.resolve(), 1)).rejects.toThrow(/bench: no deny took effect/);
  });
});
