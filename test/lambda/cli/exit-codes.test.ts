import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT_CODES, EXIT_CODE_MEANINGS, exitCodeOf } from '../../../lambda/cli/exit-codes';
import { INCIDENT_OUTCOMES } from '../../../lambda/responder/incident-record';

describe('exit codes', () => {
  it('gives each incident outcome its code, and contained or reverted alone exits 0', () => {
    expect(Object.fromEntries(INCIDENT_OUTCOMES.map((outcome) => [outcome, exitCodeOf(outcome)]))).toEqual({
      contained: 0,
      'partially-contained': 3,
      reverted: 0,
      'partially-reverted': 3,
      failed: 4,
      'dry-run': 6,
      'held-back': 5,
      reported: 7,
      unparsed: 8,
      rejected: 8,
    });
  });

  it('uses each code once', () => {
    const codes = Object.values(EXIT_CODES);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it("are the README's table, row for row", () => {
    const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| `(\d+)` +\| (.+?) +\|$/gm)].map((match) => [
      Number(match[1]),
      match[2],
    ]);
    expect(rows).toEqual(
      (Object.keys(EXIT_CODES) as (keyof typeof EXIT_CODES)[]).map((name) => [
        EXIT_CODES[name],
        EXIT_CODE_MEANINGS[name],
      ]),
    );
  });
});
