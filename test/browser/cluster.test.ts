/**
 * The cluster in real Chromium: HSMs in real module Web Workers keeping their snapshots in real
 * IndexedDB. Users and keys survive disposing and reopening the registry (what a page reload
 * does); stopping an HSM does not stop signing.
 */
import { describe, expect, it } from 'vitest';
import { browserSpawner } from '../../src/cluster/browser-spawn.ts';
import { ClusterRegistry, type RegistryDocument } from '../../src/cluster/registry.ts';
import type { ClusterSession } from '../../src/cluster/session.ts';
import { TEST_PASSWORD_COST } from '../../src/crypto/password.ts';
import { IdbJsonRecord } from '../../src/store/idb.ts';
import { activateWithCryptoUser, okData } from './cluster-fixtures.ts';

async function sign(session: ClusterSession, reference: string, byte: number): Promise<string> {
  const answer = await session.request('crypto.sign', {
    mechanism: 'ecdsa',
    keyFilter: [`key-reference=${reference}`],
    hashFunction: 'sha256',
    data: new Uint8Array([byte]),
  });
  return okData<{ signature: string }>(answer).signature;
}

describe('cluster in Chromium (Web Workers + IndexedDB)', () => {
  it('keeps users and keys across a reload, and keeps signing with an HSM stopped', async () => {
    const registryKey = `registry-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const open = () => ClusterRegistry.open({ store: new IdbJsonRecord<RegistryDocument>(registryKey), spawn: browserSpawner() });

    const first = await open();
    const cluster = await first.create({ hsms: 2, storage: { kind: 'idb' }, passwordCost: TEST_PASSWORD_COST });
    const { cryptoUser: alice } = await activateWithCryptoUser(cluster, { adminPassword: 'admin-pass-1', username: 'alice', password: 'alice-pass' });
    const pair = okData<{ private_key: { 'key-reference': string; 'key-info': { 'cluster-coverage': string } } }>(
      await alice.request('key.generate-asymmetric-pair', {
        keyType: 'ec',
        curve: 'prime256v1',
        publicLabel: 'web-pub',
        privateLabel: 'web',
        privateAttributes: { sign: 'true' },
      }),
    );
    const reference = pair.private_key['key-reference'];
    expect(pair.private_key['key-info']['cluster-coverage']).toBe('full');
    okData(await alice.request('key.generate-symmetric', { keyType: 'aes', label: 'web-aes', keyLengthBytes: 32 }));
    const name = cluster.name;
    await first.dispose();

    // "Reload": a new registry from the same IndexedDB; every HSM reopens from its own record.
    const second = await open();
    expect(second.list().map((c) => c.name)).toEqual([name]);
    const reopened = second.get(name)!;
    expect(reopened.hsms.map((h) => h.state)).toEqual(['live', 'live']);
    const users = okData<{ users: { username: string; role: string; 'cluster-coverage': string }[] }>(
      await reopened.openSession().request('user.list', {}),
    );
    expect(users.users.map((u) => [u.username, u.role])).toEqual([
      ['admin', 'admin'],
      ['alice', 'crypto-user'],
      ['app_user', 'internal(APPLIANCE_USER)'],
    ]);
    const again = reopened.openSession();
    okData(await again.request('session.login', { username: 'alice', role: 'crypto-user', password: 'alice-pass' }));
    const listed = okData<{ matched_keys: unknown[] }>(await again.request('key.list', {}));
    expect(listed.matched_keys).toHaveLength(3);
    expect((await reopened.syncStatus()).inSync).toBe(true);

    // Stop an HSM: signing goes on through the other.
    reopened.stopHsm(0);
    for (let i = 0; i < 4; i++) expect((await sign(again, reference, i)).length).toBeGreaterThan(40);
    await reopened.startHsm(0);
    expect((await reopened.syncStatus()).inSync).toBe(true);
    for (let i = 0; i < 2; i++) expect((await sign(again, reference, i)).length).toBeGreaterThan(40);
    await second.remove(name);
    await second.dispose();
  });
});
