/**
 * Clusters and their clones (spec §1.3): a clone cluster shares the cluster key, so it accepts a
 * replicated key (same key reference) and user; an unrelated cluster refuses the masked object
 * and inserts nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Cluster } from '../../src/cluster/cluster.ts';
import { TEST_PASSWORD_COST } from '../../src/crypto/password.ts';
import { nodeSpawner } from '../../src/node/spawn-hsm.ts';
import { activateWithUser, makeEcKey, newCluster, okData } from './cluster-helpers.ts';

const clusters: Cluster[] = [];
afterEach(() => {
  while (clusters.length > 0) clusters.pop()!.dispose();
});

describe('cloned clusters', () => {
  it('a clone accepts a replicated key and user; an unrelated cluster refuses them', async () => {
    const source = await newCluster({ hsms: 2 });
    clusters.push(source);
    const { admin, cu } = await activateWithUser(source);
    const clone = await Cluster.cloneFrom(source, { spawn: nodeSpawner(), passwordCost: TEST_PASSWORD_COST, hsms: 2 });
    clusters.push(clone);
    expect(clone.clusterId).toBe(source.clusterId);
    expect((await clone.syncStatus()).inSync).toBe(true);

    const key = await makeEcKey(cu, 'to-replicate');
    const replicated = await source.replicateKeyTo(clone, cu, [`key-reference=${key.privateRef}`]);
    expect(okData(replicated)).toMatchObject({
      key: { 'key-reference': key.privateRef, 'key-info': { 'key-owners': [{ username: 'cu1', 'key-coverage': 'full' }], 'cluster-coverage': 'full' }, attributes: { label: 'to-replicate', sign: true } },
      message: 'Successfully replicated key',
    });
    const cloneCu = clone.openSession();
    okData(await cloneCu.request('session.login', { username: 'cu1', role: 'crypto-user', password: 'cu1-pass-1' }));
    for (let i = 0; i < 2; i++) {
      okData(await cloneCu.request('crypto.sign', { mechanism: 'ecdsa', keyFilter: [`key-reference=${key.privateRef}`], hashFunction: 'sha256', data: new Uint8Array([i]) }));
    }
    expect((await clone.syncStatus()).inSync).toBe(true);

    okData(await admin.request('user.create', { username: 'cu9', role: 'crypto-user', password: 'cu9-pass-1' }));
    expect(okData(await source.replicateUserTo(clone, admin, 'cu9', 'crypto-user'))).toEqual({
      user: { username: 'cu9', role: 'crypto-user', locked: 'false', mfa: [], quorum: [], 'cluster-coverage': 'full' },
      message: 'Successfully replicated user',
    });
    expect(await source.replicateUserTo(clone, admin, 'cu9', 'admin')).toMatchObject({ error_code: 1, reason: 'user-not-found', data: 'User not found: cu9 with role admin' });

    const unrelated = await newCluster({ hsms: 1 });
    clusters.push(unrelated);
    expect(unrelated.clusterId).not.toBe(source.clusterId);
    const before = (await unrelated.summaries())[0]!.summary!;
    const refused = await source.replicateKeyTo(unrelated, cu, [`key-reference=${key.privateRef}`]);
    expect(refused.error_code).toBe(1);
    expect(refused.error_code === 1 && refused.reason).toBe('bad-masked-object');
    const after = (await unrelated.summaries())[0]!.summary!;
    expect(after.keyCount).toBe(before.keyCount);
  });

  it('never overwrites a key the clone made itself under the same key reference', async () => {
    const source = await newCluster({ hsms: 1 });
    clusters.push(source);
    const { cu } = await activateWithUser(source);
    const clone = await Cluster.cloneFrom(source, { spawn: nodeSpawner(), passwordCost: TEST_PASSWORD_COST, hsms: 1 });
    clusters.push(clone);
    const cloneCu = clone.openSession();
    okData(await cloneCu.request('session.login', { username: 'cu1', role: 'crypto-user', password: 'cu1-pass-1' }));
    // both single HSMs count handles up from the state they were cloned with: their next keys clash
    const own = await makeEcKey(cloneCu, 'clone-own');
    const fresh = await makeEcKey(cu, 'source-new');
    expect(fresh.privateRef).toBe(own.privateRef);
    const clash = await source.replicateKeyTo(clone, cu, [`key-reference=${fresh.privateRef}`]);
    expect(clash).toMatchObject({ error_code: 1, reason: 'key-not-permitted' });
    expect(String(clash.data)).toBe(`Cluster ${clone.name} already holds a different key with key reference ${fresh.privateRef}; it was not replaced`);
    const listed = okData<{ matched_keys: { attributes: { label: string } }[] }>(await cloneCu.request('key.list', { filter: [`key-reference=${own.privateRef}`], verbose: true }));
    expect(listed.matched_keys.map((k) => k.attributes.label)).toEqual(['clone-own']);
    // replicating a key the clone already holds unchanged is fine (idempotent)
    const first = await makeEcKey(cu, 'twice');
    okData(await source.replicateKeyTo(clone, cu, [`key-reference=${first.privateRef}`]));
    expect(okData(await source.replicateKeyTo(clone, cu, [`key-reference=${first.privateRef}`]))['message']).toBe('Successfully replicated key');
  });
});
