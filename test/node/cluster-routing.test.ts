/**
 * Routing details of the cluster client with real worker_threads HSMs: failover when an HSM dies
 * with requests in flight, session keys staying on one HSM and vanishing at logout, a refused
 * login leaving no session behind, and seeded clusters answering byte-identically.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Cluster } from '../../src/cluster/cluster.ts';
import type { ClusterSession } from '../../src/cluster/session.ts';
import type { Envelope } from '../../src/hsm/envelope.ts';
import { activateWithUser, makeEcKey, newCluster, okData } from './cluster-helpers.ts';

const clusters: Cluster[] = [];
afterEach(() => {
  while (clusters.length > 0) clusters.pop()!.dispose();
});
async function track(cluster: Promise<Cluster>): Promise<Cluster> {
  const c = await cluster;
  clusters.push(c);
  return c;
}

function signArgs(reference: string, byte = 1) {
  return { mechanism: 'ecdsa' as const, keyFilter: [`key-reference=${reference}`], hashFunction: 'sha256' as const, data: new Uint8Array([byte]) };
}

describe('cluster routing', () => {
  it('fails over to another HSM when one dies with requests in flight', async () => {
    const cluster = await track(newCluster({ hsms: 3 }));
    const { cu } = await activateWithUser(cluster);
    const key = await makeEcKey(cu, 'failover');
    const pending: Promise<Envelope>[] = [];
    for (let i = 0; i < 30; i++) pending.push(cu.request('crypto.sign', signArgs(key.privateRef, i)));
    cluster.stopHsm(1);
    const answers = await Promise.all(pending);
    expect(answers.filter((a) => a.error_code !== 0).map((a) => a.data)).toEqual([]);
    expect(cluster.hsms.map((h) => h.state)).toEqual(['live', 'stopped', 'live']);
  });

  it('keeps session keys on one HSM, out of sync status, and drops them at logout', async () => {
    const cluster = await track(newCluster({ hsms: 2 }));
    const { cu } = await activateWithUser(cluster);
    const before = await cluster.syncStatus();
    const data = okData<{ private_key: { 'key-reference': string; 'key-info': { 'cluster-coverage': string } } }>(
      await cu.request('key.generate-asymmetric-pair', {
        keyType: 'ec',
        curve: 'prime256v1',
        publicLabel: 's-pub',
        privateLabel: 's',
        privateAttributes: { sign: 'true' },
        session: true,
      }),
    );
    expect(data.private_key['key-info']['cluster-coverage']).toBe('partial');
    const after = await cluster.syncStatus();
    expect(after.inSync).toBe(true);
    expect(after.hsms.map((h) => h.objectCount)).toEqual(before.hsms.map((h) => h.objectCount));
    // every sign reaches the one HSM that holds it, whatever the routing
    for (let i = 0; i < 4; i++) okData(await cu.request('crypto.sign', signArgs(data.private_key['key-reference'], i)));
    const summaries = await cluster.summaries();
    const counts = summaries.map((s) => s.summary!.keyCount).sort();
    expect(counts[1]! - counts[0]!).toBe(2);
    okData(await cu.request('session.logout', {}));
    expect(cu.identity).toBeUndefined();
    const afterLogout = (await cluster.summaries()).map((s) => s.summary!.keyCount);
    expect(afterLogout[0]).toBe(afterLogout[1]);
  });

  it('treats token=false in --attributes like --session: the key stays home, the token half of a pair syncs', async () => {
    const cluster = await track(newCluster({ hsms: 2 }));
    const { cu } = await activateWithUser(cluster);
    type KeyJson = { 'key-reference': string; 'key-info': { 'cluster-coverage': string }; attributes: { token: boolean } };
    const secret = okData<{ key: KeyJson }>(
      await cu.request('key.generate-symmetric', { keyType: 'aes', label: 'tf', keyLengthBytes: 16, attributes: { token: 'false' } }),
    ).key;
    expect(secret.attributes.token).toBe(false);
    expect(secret['key-info']['cluster-coverage']).toBe('partial');
    const pair = okData<{ public_key: KeyJson; private_key: KeyJson }>(
      await cu.request('key.generate-asymmetric-pair', {
        keyType: 'ec',
        curve: 'prime256v1',
        publicLabel: 'mixed-pub',
        privateLabel: 'mixed',
        privateAttributes: { sign: 'true', token: 'false' },
      }),
    );
    expect(pair.public_key['key-info']['cluster-coverage']).toBe('full');
    expect(pair.private_key['key-info']['cluster-coverage']).toBe('partial');
    expect((await cluster.syncStatus()).inSync).toBe(true);
    for (let i = 0; i < 4; i++) okData(await cu.request('crypto.sign', signArgs(pair.private_key['key-reference'], i)));
    okData(await cu.request('session.logout', {}));
    okData(await cu.request('session.login', { username: 'cu1', role: 'crypto-user', password: 'cu1-pass-1' }));
    const listed = okData<{ matched_keys: { 'key-reference': string }[] }>(await cu.request('key.list', {}));
    expect(listed.matched_keys.map((k) => k['key-reference'])).toEqual([pair.public_key['key-reference']]);
  });

  it('never lets a replicated token key take the reference of a session key on another HSM', async () => {
    const cluster = await track(newCluster({ hsms: 2, seed: 'handles' }));
    const { cu } = await activateWithUser(cluster);
    // Enough session keys on one HSM that its next handle passes the other HSM's.
    const sessionKeys: string[] = [];
    for (let i = 0; i < 80; i++) {
      sessionKeys.push(
        okData<{ key: { 'key-reference': string } }>(
          await cu.request('key.generate-symmetric', { keyType: 'aes', label: `s${i}`, keyLengthBytes: 16, session: true, attributes: { encrypt: 'true' } }),
        ).key['key-reference'],
      );
    }
    const tokens: string[] = [];
    for (let i = 0; i < 4; i++) {
      tokens.push(okData<{ key: { 'key-reference': string } }>(await cu.request('key.generate-symmetric', { keyType: 'aes', label: `t${i}`, keyLengthBytes: 16 })).key['key-reference']);
    }
    // Token keys come from an HSM whose handles are above every session key's, on any HSM.
    const highestSessionKey = Math.max(...sessionKeys.map((r) => Number.parseInt(r.slice(2), 16)));
    expect(tokens.filter((t) => Number.parseInt(t.slice(2), 16) <= highestSessionKey)).toEqual([]);
    const listed = okData<{ matched_keys: { 'key-reference': string }[] }>(await cu.request('key.list', { maxItems: 1000 }));
    expect(listed.matched_keys.map((k) => k['key-reference']).sort()).toEqual([...sessionKeys, ...tokens].sort());
    for (const ref of [sessionKeys[0]!, sessionKeys.at(-1)!]) {
      okData(await cu.request('crypto.encrypt', { mechanism: 'aes-gcm', keyFilter: [`key-reference=${ref}`], data: new Uint8Array(16), tagLengthBits: 128 }));
    }
    expect((await cluster.syncStatus()).inSync).toBe(true);
  });

  it('refuses a wrong password on every HSM and keeps the session logged out', async () => {
    const cluster = await track(newCluster({ hsms: 2 }));
    await activateWithUser(cluster);
    const session = cluster.openSession();
    const refused = await session.request('session.login', { username: 'cu1', role: 'crypto-user', password: 'wrong-password' });
    expect(refused.error_code).toBe(1);
    expect(refused.error_code === 1 && refused.reason).toBe('invalid-credentials');
    expect(session.identity).toBeUndefined();
    const notLoggedIn = await session.request('key.list', {});
    expect(notLoggedIn.error_code === 1 && notLoggedIn.reason).toBe('not-logged-in');
    const login = okData<Record<string, unknown>>(await session.request('session.login', { username: 'cu1', role: 'crypto-user', password: 'cu1-pass-1' }));
    expect(login).toEqual({ username: 'cu1', role: 'crypto-user' });
  });

  it('answers byte-identically in two seeded clusters running the same script', async () => {
    async function script(): Promise<string> {
      const cluster = await track(newCluster({ hsms: 2, seed: 'same-seed' }));
      const { cu } = await activateWithUser(cluster);
      const transcript: unknown[] = [];
      const run = async (session: ClusterSession, op: Parameters<ClusterSession['request']>[0], args: never) => transcript.push(await session.request(op, args));
      const key = await makeEcKey(cu, 'seeded');
      await run(cu, 'key.generate-symmetric', { keyType: 'aes', label: 'aes', keyLengthBytes: 16 } as never);
      await run(cu, 'crypto.sign', signArgs(key.privateRef) as never);
      await run(cu, 'key.list', { verbose: true } as never);
      transcript.push((await cluster.summaries()).map((s) => s.summary));
      return JSON.stringify(transcript);
    }
    const first = await script();
    const second = await script();
    expect(first).toContain('signature');
    expect(second).toBe(first);
  });
});
