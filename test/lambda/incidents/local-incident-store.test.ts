import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { LocalIncidentStore } from '../../../lambda/incidents/local-incident-store';
import { claimOf, describeIncidentStoreContract, freshIncidentId } from './support/store-contract';

const temporaryDirs: string[] = [];
async function temporaryDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cordon-incidents-'));
  temporaryDirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(temporaryDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('LocalIncidentStore (a folder)', () => {
  describeIncidentStoreContract({
    makeStore: async () => new LocalIncidentStore({ cwd: await temporaryDir() }),
    expectedLocation: (store, id) => `${join((store as LocalIncidentStore).dir, id)}${sep}`,
    // O_CREAT|O_EXCL on a local file system is atomic.
    atomicUnderConcurrency: true,
  });

  it('lives in .cordon/incidents under the working directory by default, or in the folder given', async () => {
    const cwd = await temporaryDir();
    expect(new LocalIncidentStore({ cwd }).dir).toBe(join(cwd, '.cordon', 'incidents'));
    expect(new LocalIncidentStore({ cwd, dir: 'evidence' }).dir).toBe(join(cwd, 'evidence'));
    expect(new LocalIncidentStore({ cwd, dir: '/var/tmp/x' }).dir).toBe('/var/tmp/x');
    expect(new LocalIncidentStore().dir).toBe(join(process.cwd(), '.cordon', 'incidents'));
  });

  it('writes <dir>/<id>/claim.json and <dir>/<id>/<name>.json, and nothing else', async () => {
    const cwd = await temporaryDir();
    const store = new LocalIncidentStore({ cwd });
    const id = freshIncidentId();
    await store.claim(claimOf(id, { detection: 'first' }));
    await store.claim(claimOf(id, { detection: 'second' }));
    await store.putDocument(id, 'event', { id: 'evt-1' });
    await store.putDocument(id, 'event', { id: 'evt-2' });

    const folder = join(cwd, '.cordon', 'incidents', id);
    expect((await readdir(folder)).sort()).toEqual(['claim.json', 'event.json']); // no temporary files left
    expect(JSON.parse(await readFile(join(folder, 'claim.json'), 'utf8'))).toEqual({
      ...claimOf(id, { detection: 'first' }),
      state: 'in-progress',
      generation: 0,
    });
    expect(JSON.parse(await readFile(join(folder, 'event.json'), 'utf8'))).toEqual({ id: 'evt-2' });
  });

  it('treats an existing claim file without a state (made by hand, or before states) as completed', async () => {
    const cwd = await temporaryDir();
    const store = new LocalIncidentStore({ cwd });
    const id = freshIncidentId();
    await mkdir(join(store.dir, id), { recursive: true });
    await expect(store.claim(claimOf(id))).resolves.toBe('claimed');
    const other = freshIncidentId();
    await mkdir(join(store.dir, other), { recursive: true });
    await writeFile(join(store.dir, other, 'claim.json'), '{}');
    await expect(store.claim(claimOf(other))).resolves.toBe('completed');
  });

  it('appends one JSON line per containment to <dir>/.containments.jsonl', async () => {
    const cwd = await temporaryDir();
    const store = new LocalIncidentStore({ cwd });
    const [a, b] = [freshIncidentId(), freshIncidentId()];
    await store.recordContainment(a, new Date('2026-01-15T09:31:00.000Z'));
    await store.recordContainment(b, new Date('2026-01-15T09:32:00.000Z'));
    const lines = (await readFile(join(store.dir, '.containments.jsonl'), 'utf8')).trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      { at: '2026-01-15T09:31:00.000Z', incidentId: a },
      { at: '2026-01-15T09:32:00.000Z', incidentId: b },
    ]);
  });

  it('fails loudly on a damaged containment log rather than undercounting', async () => {
    const cwd = await temporaryDir();
    const store = new LocalIncidentStore({ cwd });
    await store.recordContainment(freshIncidentId(), new Date('2026-01-15T09:31:00.000Z'));
    const log = join(store.dir, '.containments.jsonl');
    await writeFile(log, `${await readFile(log, 'utf8')}{"at": 12}\n`);
    await expect(store.countContainmentsSince(new Date(0))).rejects.toThrow(`${log} line 2 has no "at" time`);
    await writeFile(log, 'not json\n');
    await expect(store.countContainmentsSince(new Date(0))).rejects.toThrow(
      `${log} line 1 is not valid JSON`,
    );
  });

  it('names the file of a document that is not JSON', async () => {
    const cwd = await temporaryDir();
    const store = new LocalIncidentStore({ cwd });
    const id = freshIncidentId();
    await store.putDocument(id, 'record', {});
    const path = join(store.dir, id, 'record.json');
    await writeFile(path, '{ truncated');
    await expect(store.getDocument(id, 'record')).rejects.toThrow(`${path} is not valid JSON`);
  });

  it('propagates a file-system error other than "already there"', async () => {
    const cwd = await temporaryDir();
    // A file where the store's folder should be: mkdir fails with EEXIST/ENOTDIR, not a claim.
    await mkdir(join(cwd, '.cordon'), { recursive: true });
    await writeFile(join(cwd, '.cordon', 'incidents'), 'not a folder');
    const store = new LocalIncidentStore({ cwd });
    await expect(store.claim(claimOf(freshIncidentId()))).rejects.toThrow(/EEXIST|ENOTDIR/);
    await expect(store.putDocument(freshIncidentId(), 'event', {})).rejects.toThrow(/EEXIST|ENOTDIR/);
  });
});
