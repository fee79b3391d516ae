/**
 * The sweep benchmark's own parts, without its timings (speed and memory are shown by `npm run
 * bench` only): both ways of reading deliver every event of every region against a fixture that
 * enforces 2 requests a second, the streaming measure reads the whole timeline and finds its
 * figures, and the templated events are real-format records of their own id and time.
 */
import { measureStreaming, templatedEvents, timeReads } from '../../bench/sweep.bench';

describe('the sweep benchmark', () => {
  it('reads every region in parallel and one after another, every event checked, with no throttle left unretried', async () => {
    const times = await timeReads({ 'us-east-1': 3, 'eu-west-1': 1, 'ap-south-1': 2 }, 1);
    expect(times).toMatchObject({ busiestPages: 3, pages: 6 });
    expect(times.parallelMs).toBeGreaterThan(0);
    expect(times.sequentialMs).toBeGreaterThan(0);
  });

  // The heap figures themselves are the benchmark's to print: inside jest, without gc, the
  // collector runs when it likes, so no sign of theirs can be asserted.
  it('streams a whole timeline and holds it whole, every event read both ways', async () => {
    const memory = await measureStreaming(2_000, ['us-east-1', 'eu-west-1']);
    expect(memory.events).toBe(2_000);
  });

  it('makes real-format records, each with its own id and time', () => {
    const events = templatedEvents('eu-west-1', 5, 12);
    const records = events.map((event) => JSON.parse(event.cloudTrailEvent));
    expect(new Set(records.map((record) => record.eventID)).size).toBe(12);
    records.forEach((record, n) => {
      expect(record.eventID).toBe(events[n].eventId);
      expect(Date.parse(record.eventTime)).toBe(events[n].eventTime.getTime());
      expect(record).toMatchObject({
        awsRegion: 'eu-west-1',
        userIdentity: { accessKeyId: 'AKIABENCHATTACKER001' },
      });
    });
  });
});
