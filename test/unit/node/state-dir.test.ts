import { mkdtemp, readdir, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClusterRecord } from '../../../src/cluster/cluster.ts';
import type { RegistryDocument } from '../../../src/cluster/registry.ts';
import { REGISTRY_NAME, StateDir } from '../../../src/node/state-dir.ts';

async function scratch(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'state-dir-test-'));
}

function record(dir: string): ClusterRecord {
  return {
    name: 'cluster-1',
    clusterId: 'cluster-abc',
    model: 'hsm2m.medium',
    seed: 's',
    storage: { kind: 'file', dir },
    nextIndex: 2,
    hsms: [0, 1].map((index) => ({
      clusterName: 'cluster-1',
      index,
      ip: `10.0.0.${index + 1}`,
      model: 'hsm2m.medium' as const,
      seed: 's',
      boot: 0,
      storage: { kind: 'file' as const, dir, name: `cluster-1-hsm${index}` },
    })),
  };
}

function documentOf(...records: ClusterRecord[]): RegistryDocument {
  return { format: 1, nextNumber: records.length + 1, clusters: records };
}

describe('StateDir', () => {
  it('creates a missing directory, nested, and holds no registry at first', async () => {
    const state = new StateDir(join(await scratch(), 'a', 'b'));
    await state.ensure();
    expect(await state.read()).toBeUndefined();
    expect(state.storagePlan()).toEqual({ kind: 'file', dir: state.dir });
  });

  it('resolves a relative directory against the given working directory', async () => {
    const cwd = await scratch();
    expect(new StateDir('st', cwd).dir).toBe(join(cwd, 'st'));
    expect(new StateDir('st', cwd).path).toBe(join(cwd, 'st', `${REGISTRY_NAME}.json`));
  });

  it('writes the registry document atomically (no temp file left) and reads it back', async () => {
    const state = new StateDir(await scratch());
    await state.ensure();
    await state.write(documentOf(record(state.dir)));
    expect(await readdir(state.dir)).toEqual([`${REGISTRY_NAME}.json`]);
    expect(await state.read()).toEqual(documentOf(record(state.dir)));
  });

  it('points the HSM files at where the directory is now after it was moved', async () => {
    const parent = await scratch();
    const before = new StateDir(join(parent, 'old'));
    await before.ensure();
    await before.write(documentOf(record(before.dir)));
    await rename(before.dir, join(parent, 'new'));
    const loaded = (await new StateDir(join(parent, 'new')).read())!.clusters[0]!;
    expect(loaded.storage).toEqual({ kind: 'file', dir: join(parent, 'new') });
    expect(loaded.hsms.map((h) => h.storage)).toEqual([
      { kind: 'file', dir: join(parent, 'new'), name: 'cluster-1-hsm0' },
      { kind: 'file', dir: join(parent, 'new'), name: 'cluster-1-hsm1' },
    ]);
  });

  it('names the file and the problem when the document is damaged', async () => {
    const state = new StateDir(await scratch());
    await writeFile(state.path, '{ not json');
    await expect(state.read()).rejects.toThrow(`${state.path} is not valid JSON`);
    await writeFile(state.path, JSON.stringify({ format: 'something-else', clusters: [] }));
    await expect(state.read()).rejects.toThrow('is not an hsm-playground cluster registry');
    await writeFile(state.path, JSON.stringify({ format: 1, nextNumber: 2, clusters: [{ name: 'x', clusterId: 'c', hsms: [] }] }));
    await expect(state.read()).rejects.toThrow('every cluster needs a name, a cluster id and at least one HSM');
  });

  it('refuses a path that is a file', async () => {
    const parent = await scratch();
    await writeFile(join(parent, 'file'), 'x');
    await expect(new StateDir(join(parent, 'file')).ensure()).rejects.toThrow('cannot use it as a directory');
  });
});
