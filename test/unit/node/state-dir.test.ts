import { mkdtemp, readdir, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClusterRecord } from '../../../src/cluster/cluster.ts';
import { RECORD_FILE, StateDir } from '../../../src/node/state-dir.ts';

async function scratch(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'state-dir-test-'));
}

function record(dir: string): ClusterRecord {
  return {
    name: 'playground',
    clusterId: 'cluster-abc',
    model: 'hsm2m.medium',
    seed: 's',
    storage: { kind: 'file', dir },
    nextIndex: 2,
    hsms: [0, 1].map((index) => ({
      clusterName: 'playground',
      index,
      ip: `10.0.0.${index + 1}`,
      model: 'hsm2m.medium' as const,
      seed: 's',
      boot: 0,
      storage: { kind: 'file' as const, dir, name: `playground-hsm${index}` },
    })),
  };
}

describe('StateDir', () => {
  it('creates a missing directory, nested, and holds no record at first', async () => {
    const state = new StateDir(join(await scratch(), 'a', 'b'));
    await state.ensure();
    expect(await state.load()).toBeUndefined();
    expect(state.storagePlan()).toEqual({ kind: 'file', dir: state.dir });
  });

  it('resolves a relative directory against the given working directory', async () => {
    const cwd = await scratch();
    expect(new StateDir('st', cwd).dir).toBe(join(cwd, 'st'));
  });

  it('saves the record atomically (no temp file left) and loads it back', async () => {
    const state = new StateDir(await scratch());
    await state.ensure();
    state.save(record(state.dir));
    state.save({ ...record(state.dir), nextIndex: 3 }); // the later write wins
    await state.flush();
    expect(await readdir(state.dir)).toEqual([RECORD_FILE]);
    expect(await state.load()).toEqual({ ...record(state.dir), nextIndex: 3 });
  });

  it('points the HSM files at where the directory is now after it was moved', async () => {
    const parent = await scratch();
    const before = new StateDir(join(parent, 'old'));
    await before.ensure();
    before.save(record(before.dir));
    await before.flush();
    await rename(before.dir, join(parent, 'new'));
    const loaded = await new StateDir(join(parent, 'new')).load();
    expect(loaded?.storage).toEqual({ kind: 'file', dir: join(parent, 'new') });
    expect(loaded?.hsms.map((h) => h.storage)).toEqual([
      { kind: 'file', dir: join(parent, 'new'), name: 'playground-hsm0' },
      { kind: 'file', dir: join(parent, 'new'), name: 'playground-hsm1' },
    ]);
  });

  it('names the file and the problem when the record is damaged', async () => {
    const state = new StateDir(await scratch());
    const path = join(state.dir, RECORD_FILE);
    await writeFile(path, '{ not json');
    await expect(state.load()).rejects.toThrow(`${path} is not valid JSON`);
    await writeFile(path, JSON.stringify({ format: 'something-else', cluster: {} }));
    await expect(state.load()).rejects.toThrow('is not an hsm-playground state record');
    await writeFile(path, JSON.stringify({ format: 'hsm-playground-state/1', cluster: { name: 'x', clusterId: 'c', hsms: [] } }));
    await expect(state.load()).rejects.toThrow('needs a cluster name, a cluster id and at least one HSM');
  });

  it('refuses a path that is a file, and reports a failed write on flush', async () => {
    const parent = await scratch();
    await writeFile(join(parent, 'file'), 'x');
    await expect(new StateDir(join(parent, 'file')).ensure()).rejects.toThrow('cannot use it as a directory');
    const broken = new StateDir(join(parent, 'file', 'below'));
    broken.save(record(broken.dir));
    await expect(broken.flush()).rejects.toThrow(`Cannot save ${join(parent, 'file', 'below', RECORD_FILE)}`);
  });
});
