/**
 * The cluster registry in Node: clusters, users and keys come back in a "new process" (the
 * registry is disposed and reopened from its file; every HSM reopens from its own file); a
 * corrupt HSM file takes down only that HSM, with a clear reason; clones are listed too.
 */
import * as fs from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ClusterRegistry } from '../../src/cluster/registry.ts';
import { TEST_PASSWORD_COST } from '../../src/crypto/password.ts';
import { nodeSpawner } from '../../src/node/spawn-hsm.ts';
import { inProcessSpawner } from '../../src/cluster/in-process-spawn.ts';
import { FileStorage, JsonFileRecord } from '../../src/store/file.ts';
import type { RegistryDocument } from '../../src/cluster/registry.ts';
import { activateWithUser, makeEcKey, okData, tempDir } from './cluster-helpers.ts';

describe('ClusterRegistry (files)', () => {
  it('brings the same clusters, users and keys back after a restart, and survives one corrupt HSM', async () => {
    const dir = await tempDir('registry-');
    const open = () => ClusterRegistry.open({ store: new JsonFileRecord<RegistryDocument>(fs, dir, 'clusters'), spawn: nodeSpawner() });
    const first = await open();
    const a = await first.create({ hsms: 2, storage: { kind: 'file', dir }, passwordCost: TEST_PASSWORD_COST });
    const { cu } = await activateWithUser(a);
    const key = await makeEcKey(cu, 'persisted');
    const b = await first.clone(a, { storage: { kind: 'file', dir }, passwordCost: TEST_PASSWORD_COST });
    expect(first.list().map((c) => [c.name, c.hsms])).toEqual([
      ['cluster-1', 2],
      ['cluster-2', 1],
    ]);
    expect(b.clusterId).toBe(a.clusterId);
    await first.dispose();

    const second = await open();
    expect(second.list().map((c) => c.name)).toEqual(['cluster-1', 'cluster-2']);
    const again = second.get('cluster-1')!;
    expect(again.hsms.map((h) => h.state)).toEqual(['live', 'live']);
    const session = again.openSession();
    okData(await session.request('session.login', { username: 'cu1', role: 'crypto-user', password: 'cu1-pass-1' }));
    for (let i = 0; i < 2; i++) {
      okData(await session.request('crypto.sign', { mechanism: 'ecdsa', keyFilter: [`key-reference=${key.privateRef}`], hashFunction: 'sha256', data: new Uint8Array([i]) }));
    }
    expect((await again.syncStatus()).inSync).toBe(true);
    // the clone came back too, with the users it was cloned with
    const cloneSession = second.get('cluster-2')!.openSession();
    okData(await cloneSession.request('session.login', { username: 'cu1', role: 'crypto-user', password: 'cu1-pass-1' }));
    await second.dispose();

    await fs.writeFile(`${dir}/cluster-1-hsm1.hsm`, 'garbage');
    const third = await open();
    const damaged = third.get('cluster-1')!;
    expect(damaged.hsms[0]!.state).toBe('live');
    expect(damaged.hsms[1]!.state).toBe('failed');
    expect(damaged.hsms[1]!.failure).toMatch(/cluster-1-hsm1\.hsm is corrupt/);
    const survivor = damaged.openSession();
    okData(await survivor.request('session.login', { username: 'cu1', role: 'crypto-user', password: 'cu1-pass-1' }));
    okData(await survivor.request('crypto.sign', { mechanism: 'ecdsa', keyFilter: [`key-reference=${key.privateRef}`], hashFunction: 'sha256', data: new Uint8Array([3]) }));
    // restarting the damaged HSM replaces it with a clone of the live one
    await damaged.startHsm(1);
    expect(damaged.hsms[1]!.state).toBe('live');
    expect((await damaged.syncStatus()).inSync).toBe(true);
    await third.dispose();
  });
});

describe('ClusterRegistry.open writes the whole list', () => {
  /** In-process HSMs over snapshot files: a "new process" is a new registry over the same directory. */
  const spawn = inProcessSpawner((spec) => {
    if (spec.kind !== 'file') throw new Error(`test expects file storage, got ${spec.kind}`);
    return new FileStorage(fs, spec.dir, spec.name);
  });

  it('lists every reopened cluster (with its new boot counters) after a second open, so a third open finds them', async () => {
    const dir = await tempDir('registry-reopen-');
    const file = new JsonFileRecord<RegistryDocument>(fs, dir, 'clusters');
    const open = () => ClusterRegistry.open({ store: file, spawn });
    const first = await open();
    const a = await first.create({ hsms: 2, storage: { kind: 'file', dir }, passwordCost: TEST_PASSWORD_COST });
    await activateWithUser(a);
    await first.create({ hsms: 1, storage: { kind: 'file', dir }, passwordCost: TEST_PASSWORD_COST });
    await first.dispose();

    const second = await open();
    await second.flush();
    const written = (await file.read())!;
    expect(written.clusters.map((c) => c.name)).toEqual(['cluster-1', 'cluster-2']);
    expect(written.nextNumber).toBe(3);
    // each HSM was started a second time: its boot counter moved from 0 to 1 and was saved
    expect(written.clusters[0]!.hsms.map((h) => h.boot)).toEqual([1, 1]);
    expect(written.clusters[0]!.clusterId).toBe(a.clusterId);
    await second.dispose();

    const third = await open();
    const again = third.get('cluster-1')!;
    expect(again.clusterId).toBe(a.clusterId);
    expect((await again.summaries()).every((s) => s.summary?.activated === true)).toBe(true);
    const cu = again.openSession();
    okData(await cu.request('session.login', { username: 'cu1', role: 'crypto-user', password: 'cu1-pass-1' }));
    await third.flush();
    expect((await file.read())!.clusters[0]!.hsms.map((h) => h.boot)).toEqual([2, 2]);
    await third.dispose();
  });
});
