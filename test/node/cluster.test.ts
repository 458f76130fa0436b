/**
 * The cluster with real HSMs in worker_threads: creation as HSM 0 plus clones, login on all,
 * keys made through one HSM usable through each, stop/restart with partial → full coverage and
 * agreeing sync status, adding an HSM to a cluster of 1,000 keys, removal.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Cluster } from '../../src/cluster/cluster.ts';
import { activateWithUser, makeEcKey, newCluster, okData, tempDir } from './cluster-helpers.ts';

const clusters: Cluster[] = [];
afterEach(() => {
  while (clusters.length > 0) clusters.pop()!.dispose();
});
async function track(cluster: Promise<Cluster>): Promise<Cluster> {
  const c = await cluster;
  clusters.push(c);
  return c;
}

describe('a cluster of 3 HSMs in worker threads', () => {
  it('starts as HSM 0 plus clones sharing its cluster id and the unactivated admin', async () => {
    const cluster = await track(newCluster({ hsms: 3 }));
    const summaries = await cluster.summaries();
    expect(summaries.map((s) => s.summary?.clusterId)).toEqual([cluster.clusterId, cluster.clusterId, cluster.clusterId]);
    expect(new Set(summaries.map((s) => s.summary?.serialNumber)).size).toBe(3);
    expect(summaries.every((s) => s.summary?.activated === false)).toBe(true);
    const anyone = cluster.openSession();
    const info = okData<{ hsms: unknown[] }>(await anyone.request('hsm.info', {}));
    expect(info.hsms).toHaveLength(3);
    // activation reaches every HSM
    okData(await anyone.request('cluster.activate', { password: 'admin-pass-1' }));
    expect((await cluster.summaries()).every((s) => s.summary?.activated === true)).toBe(true);
    expect((await cluster.syncStatus()).inSync).toBe(true);
  });

  it('makes a key through one HSM that signs through each HSM, with full coverage', async () => {
    const cluster = await track(newCluster({ hsms: 3, seed: 'route-test' }));
    const { cu } = await activateWithUser(cluster);
    const key = await makeEcKey(cu, 'signer');
    expect(key.coverage).toBe('full');
    // seeded routing is round robin: three signs land on three different HSMs
    const data = new Uint8Array([1, 2, 3]);
    for (let i = 0; i < 3; i++) {
      const sig = okData<{ signature: string }>(
        await cu.request('crypto.sign', { mechanism: 'ecdsa', keyFilter: [`key-reference=${key.privateRef}`], hashFunction: 'sha256', data }),
      );
      expect(typeof sig.signature).toBe('string');
    }
    // and each HSM holds the key under the same reference
    for (const hsm of cluster.hsms) {
      const session = cluster.openSession();
      okData(await session.request('session.login', { username: 'cu1', role: 'crypto-user', password: 'cu1-pass-1' }));
      const answer = await session.sendTo((cluster as unknown as { liveLinks(): { index: number }[] }).liveLinks().find((l) => l.index === hsm.index) as never, 'key.list', {
        filter: [`key-reference=${key.privateRef}`],
      });
      expect(okData<{ matched_keys: unknown[] }>(answer).matched_keys).toHaveLength(1);
    }
    const status = await cluster.syncStatus();
    expect(status.inSync).toBe(true);
    expect(status.hsms.map((h) => h.objectCount)).toEqual([status.hsms[0]!.objectCount, status.hsms[0]!.objectCount, status.hsms[0]!.objectCount]);
  });

  it('keeps answering with an HSM stopped: partial coverage, then full after restart and resync', async () => {
    const dir = await tempDir('cluster-restart-');
    const cluster = await track(newCluster({ hsms: 3, storage: { kind: 'file', dir } }));
    const { cu } = await activateWithUser(cluster);
    const before = await makeEcKey(cu, 'before');
    cluster.stopHsm(1);
    const during = await makeEcKey(cu, 'during');
    expect(during.coverage).toBe('partial');
    // signing keeps working on the live HSMs
    for (let i = 0; i < 4; i++) {
      okData(await cu.request('crypto.sign', { mechanism: 'ecdsa', keyFilter: [`key-reference=${during.privateRef}`], hashFunction: 'sha256', data: new Uint8Array([i]) }));
    }
    const listed = okData<{ matched_keys: { 'key-reference': string; 'key-info': { 'cluster-coverage': string } }[] }>(
      await cu.request('key.list', { verbose: true }),
    );
    const coverageOf = (ref: string) => listed.matched_keys.find((k) => k['key-reference'] === ref)?.['key-info']['cluster-coverage'];
    expect(coverageOf(before.privateRef)).toBe('full');
    expect(coverageOf(during.privateRef)).toBe('partial');

    await cluster.startHsm(1);
    const status = await cluster.syncStatus();
    expect(status.outOfSync).toEqual({});
    expect(status.inSync).toBe(true);
    const after = okData<{ matched_keys: { 'key-reference': string; 'key-info': { 'cluster-coverage': string } }[] }>(
      await cu.request('key.list', { verbose: true }),
    );
    expect(after.matched_keys.every((k) => k['key-info']['cluster-coverage'] === 'full')).toBe(true);
    // the restarted HSM serves the key it missed (the CU session logs in there again by itself)
    for (let i = 0; i < 3; i++) {
      okData(await cu.request('crypto.sign', { mechanism: 'ecdsa', keyFilter: [`key-reference=${during.privateRef}`], hashFunction: 'sha256', data: new Uint8Array([9]) }));
    }
  });

  it('resyncs a restarted HSM that missed a deletion and a user change', async () => {
    const dir = await tempDir('cluster-delete-');
    const cluster = await track(newCluster({ hsms: 2, storage: { kind: 'file', dir } }));
    const { admin, cu } = await activateWithUser(cluster);
    const key = await makeEcKey(cu, 'doomed');
    cluster.stopHsm(0);
    okData(await cu.request('key.delete', { filter: [`key-reference=${key.privateRef}`] }));
    okData(await admin.request('user.create', { username: 'cu2', role: 'crypto-user', password: 'cu2-pass-1' }));
    await cluster.startHsm(0);
    expect((await cluster.syncStatus()).inSync).toBe(true);
    const users = okData<{ users: { username: string; 'cluster-coverage': string }[] }>(await admin.request('user.list', {}));
    expect(users.users.find((u) => u.username === 'cu2')?.['cluster-coverage']).toBe('full');
  });

  it('adds an HSM to a cluster holding 1,000 keys and sync status agrees', async () => {
    const cluster = await track(newCluster({ hsms: 2 }));
    const { cu } = await activateWithUser(cluster);
    const requests = Array.from({ length: 1000 }, (_, i) => ({
      op: 'key.generate-symmetric' as const,
      args: { keyType: 'aes' as const, label: `k${i}`, keyLengthBytes: 32 },
    }));
    const answers = await cu.requestBatch(requests);
    expect(answers.filter((a) => a.error_code === 0)).toHaveLength(1000);
    const summary = await cluster.addHsm();
    expect(summary.clusterId).toBe(cluster.clusterId);
    expect(summary.keyCount).toBeGreaterThanOrEqual(1000);
    const status = await cluster.syncStatus();
    expect(status.inSync).toBe(true);
    expect(status.hsms).toHaveLength(3);
    expect(new Set(status.hsms.map((h) => h.objectCount)).size).toBe(1);
    // a tampered stored backup is refused
    const stored = cluster.backups.at(-1)!.bytes.slice();
    stored[stored.length - 5]! ^= 1;
    await expect(cluster.addHsm({ backup: stored })).rejects.toThrow(/failed to start/);
    expect(cluster.size).toBe(3);
    await cluster.removeHsm(1);
    expect(cluster.hsms.map((h) => h.index)).toEqual([0, 2]);
    expect((await cluster.syncStatus()).inSync).toBe(true);
  });
});
