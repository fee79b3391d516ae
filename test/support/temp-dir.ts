import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDirOptions {
  /**
   * `each` (the default): a new folder for every test, made before it and removed after it.
   * `all`: one folder for the enclosing describe block (or file), made in beforeAll and removed in
   * afterAll, for tests that share staged files.
   */
  readonly per?: 'each' | 'all';
}

/**
 * A temporary folder under os.tmpdir() that is removed, with everything in it, when the test (or
 * the block) is done, whether it passed or not. Call it at the top of a file or of a describe
 * block; the returned function gives the current folder's path.
 *
 *     const dir = useTempDir('cordon-detect-');
 *     it('reads a file', () => writeFileSync(join(dir(), 'event.json'), '{}'));
 */
export function useTempDir(prefix = 'cordon-test-', options: TempDirOptions = {}): () => string {
  const per = options.per ?? 'each';
  let current: string | undefined;
  const make = async () => {
    current = await mkdtemp(join(tmpdir(), prefix));
  };
  const remove = async () => {
    const dir = current;
    current = undefined;
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  };
  if (per === 'each') {
    beforeEach(make);
    afterEach(remove);
  } else {
    beforeAll(make);
    afterAll(remove);
  }
  return () => {
    if (current === undefined) {
      throw new Error(
        `useTempDir('${prefix}'): the folder exists only while ${per === 'each' ? 'a test runs' : 'its block runs'} ` +
          '(call the returned function inside a test or a hook, not while the file is loaded)',
      );
    }
    return current;
  };
}
