import { describe, expect, it } from 'vitest';
import { canonicalJson, keyObjectName, objectDigests, stateDigest } from '../../../src/hsm/digest.ts';
import type { HsmState, KeyRecord } from '../../../src/hsm/state.ts';
import { openTestHsm, storedState } from './fixtures.ts';

const KEY: KeyRecord = {
  handle: 7,
  owner: 'alice',
  shared: ['bob', 'carol'],
  manageKeyQuorumValue: 0,
  useKeyQuorumValue: 0,
  attributes: { label: 'k', 'key-type': 'aes' },
  material: new Uint8Array(16).fill(9),
};

async function baseState(): Promise<HsmState> {
  return storedState((await openTestHsm('digest')).storage);
}

describe('canonicalJson', () => {
  it('sorts object keys, encodes bytes as hex and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: [Uint8Array.of(1, 255)], c: undefined })).toBe('{"a":["hex:01ff"],"b":1}');
    expect(canonicalJson({ x: { z: 1, y: 2 } })).toBe(canonicalJson({ x: { y: 2, z: 1 } }));
  });
});

describe('stateDigest', () => {
  it('ignores the audit log and failed-login counters but sees users, keys, attributes, settings and activation', async () => {
    const s = await baseState();
    const d = stateDigest(s);
    expect(d).toMatch(/^[0-9a-f]{64}$/);
    expect(stateDigest({ ...s, audit: [{ time: 1, hsm: 0, user: '', role: 'unauthenticated', op: 'x', result: 'ok', detail: '' }] })).toBe(d);
    expect(stateDigest({ ...s, users: s.users.map((u) => ({ ...u, failedLogins: 4 })) })).toBe(d);
    expect(stateDigest({ ...s, activated: true })).not.toBe(d);
    expect(stateDigest({ ...s, settings: { ...s.settings, maxFailedLogins: 6 } })).not.toBe(d);
    expect(stateDigest({ ...s, users: s.users.map((u) => ({ ...u, role: 'admin' as const })) })).not.toBe(d);
    const withKey = stateDigest({ ...s, keys: [KEY] });
    expect(withKey).not.toBe(d);
    expect(stateDigest({ ...s, keys: [{ ...KEY, attributes: { ...KEY.attributes, label: 'other' } }] })).not.toBe(withKey);
    expect(stateDigest({ ...s, keys: [{ ...KEY, material: new Uint8Array(16) }] })).not.toBe(withKey);
  });
});

describe('objectDigests (sync status)', () => {
  it('equal objects give equal digests; another digest key or a changed object gives different ones', async () => {
    const s = await baseState();
    const key = new Uint8Array(32).fill(1);
    const a = objectDigests({ ...s, keys: [KEY] }, key);
    expect(objectDigests({ ...s, keys: [{ ...KEY, shared: ['carol', 'bob'] }] }, key)).toStrictEqual(a); // share order does not matter
    expect(Object.keys(a)).toEqual(['key:0x0000000000000007', 'user:admin', 'user:app_user']);
    expect(objectDigests({ ...s, keys: [{ ...KEY, owner: 'bob' }] }, key)[keyObjectName(7)]).not.toBe(a[keyObjectName(7)]);
    expect(objectDigests({ ...s, keys: [KEY] }, new Uint8Array(32).fill(2))[keyObjectName(7)]).not.toBe(a[keyObjectName(7)]);
    // failure counters are per HSM and do not make users look out of sync
    expect(objectDigests({ ...s, keys: [KEY], users: s.users.map((u) => ({ ...u, failedLogins: 2 })) }, key)).toStrictEqual(a);
    // session keys never sync
    expect(Object.keys(objectDigests({ ...s, keys: [{ ...KEY, sessionId: 'abc' }] }, key))).toEqual(['user:admin', 'user:app_user']);
  });
});
