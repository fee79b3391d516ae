import { existsSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { useTempDir } from './temp-dir';

describe('useTempDir', () => {
  describe('per test (the default)', () => {
    const dir = useTempDir('cordon-temp-dir-test-');
    let first: string;

    it('gives a fresh folder under os.tmpdir() while a test runs', () => {
      first = dir();
      expect(dirname(first)).toBe(tmpdir());
      expect(basename(first)).toMatch(/^cordon-temp-dir-test-/);
      writeFileSync(join(first, 'left-behind.json'), '{}');
    });

    it('removes it, files and all, after the test, and gives the next test another', () => {
      expect(existsSync(first)).toBe(false);
      expect(dir()).not.toBe(first);
      expect(existsSync(dir())).toBe(true);
    });
  });

  let shared: string;
  describe("per block ({ per: 'all' })", () => {
    const dir = useTempDir('cordon-temp-dir-test-', { per: 'all' });

    it('gives the same folder to every test of the block', () => {
      shared = dir();
      writeFileSync(join(shared, 'staged.json'), '{}');
    });

    it('keeps it between them', () => {
      expect(dir()).toBe(shared);
      expect(existsSync(join(shared, 'staged.json'))).toBe(true);
    });
  });

  it("removes the block's folder after the block", () => {
    expect(shared).toMatch(/cordon-temp-dir-test-/); // the block ran first
    expect(existsSync(shared)).toBe(false);
  });
});

describe("the run's temporary folder", () => {
  it('is the one the jest global setup made (its teardown removes it, with anything left in it)', () => {
    expect(basename(tmpdir())).toMatch(/^cordon-jest-/);
    expect(process.env.TMPDIR).toBe(tmpdir());
  });
});
