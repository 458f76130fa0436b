import { describe, expect, it } from 'vitest';
import { Hsm } from '../../../../src/hsm/hsm.ts';
import { activatedWorld, CU_PASSWORD, expectFail, expectOk, generateAes, login, testOptions } from '../fixtures.ts';

type Blob = { 'masked-object': Uint8Array };
type KeyObj = { key: Record<string, unknown> & { 'key-reference': string } };

/** Two HSMs of one cluster: the second restored from a backup of the first. */
async function twoHsms(seed: string) {
  const w = await activatedWorld(seed);
  const other = await Hsm.restore(await w.hsm.backup(), testOptions(`${seed}-2`, { index: 1 }));
  const admin2 = await login(other, 'admin', 'admin', 'admin-pass-1');
  const alice2 = await login(other, 'alice', 'crypto-user', CU_PASSWORD);
  const au2 = await login(other, 'app_user', 'appliance', 'password');
  return { ...w, other, admin2, alice2, au2 };
}

describe('object.extract-masked / object.insert-masked', () => {
  it('a key inserted by its owner on a clone gets a NEW handle and the same attributes and check value', async () => {
    const { hsm, alice, other, alice2 } = await twoHsms('masked-key');
    const ref = await generateAes(hsm, alice, 'moved', { shareCryptoUsers: ['bob'] });
    const blob = expectOk<Blob>(await hsm.handle({ op: 'object.extract-masked', session: alice, args: { filter: [`key-reference=${ref}`] } }))['masked-object'];
    expect(blob).toBeInstanceOf(Uint8Array);
    const inserted = expectOk<{ 'key-reference': string }>(await other.handle({ op: 'object.insert-masked', session: alice2, args: { blob } }))['key-reference'];
    expect(inserted).toMatch(/^0x[0-9a-f]{16}$/);
    expect(inserted).not.toBe(ref);
    const listed = expectOk<{ matched_keys: KeyObj['key'][] }>(await other.handle({ op: 'key.list', session: alice2, args: { verbose: true } })).matched_keys;
    const copy = listed.find((k) => k['key-reference'] === inserted)!;
    const original = expectOk<{ matched_keys: KeyObj['key'][] }>(await hsm.handle({ op: 'key.list', session: alice, args: { verbose: true, filter: [`key-reference=${ref}`] } })).matched_keys[0]!;
    expect(copy['attributes']).toStrictEqual(original['attributes']);
    expect(copy['key-info']).toStrictEqual(original['key-info']);
  });

  it('the appliance user keeps the original handle and replaces an existing copy (cluster sync)', async () => {
    const { hsm, alice, other, au2, alice2 } = await twoHsms('masked-sync');
    const ref = await generateAes(hsm, alice, 'synced');
    const blob = expectOk<Blob>(await hsm.handle({ op: 'object.extract-masked', session: alice, args: { filter: [`key-reference=${ref}`] } }))['masked-object'];
    expect(expectOk(await other.handle({ op: 'object.insert-masked', session: au2, args: { blob } }))).toStrictEqual({ 'key-reference': ref });
    expect(expectOk(await other.handle({ op: 'object.insert-masked', session: au2, args: { blob } }))).toStrictEqual({ 'key-reference': ref });
    expect(other.summary().keyCount).toBe(1);
    // both HSMs now report the same digests
    const s1 = expectOk(await hsm.handle({ op: 'hsm.sync-status', session: alice, args: {} }));
    const s2 = expectOk(await other.handle({ op: 'hsm.sync-status', session: alice2, args: {} }));
    expect(s2).toStrictEqual(s1);
    // and a key generated next on the clone does not reuse the synced handle
    const next = await generateAes(other, alice2, 'after-sync');
    expect(next).not.toBe(ref);
  });

  it('users: an admin moves a user to a clone; the appliance user replaces; CUs may not', async () => {
    const { hsm, admin, alice, other, admin2, au2 } = await twoHsms('masked-user');
    expectOk(await hsm.handle({ op: 'user.create', session: admin, args: { username: 'late', role: 'crypto-user', password: CU_PASSWORD } }));
    const blob = expectOk<Blob>(await hsm.handle({ op: 'object.extract-masked', session: admin, args: { username: 'LATE' } }))['masked-object'];
    expectFail(await other.handle({ op: 'session.login', args: { username: 'late', role: 'crypto-user', password: CU_PASSWORD } }), 'invalid-credentials');
    expect(expectOk(await other.handle({ op: 'object.insert-masked', session: admin2, args: { blob } }))).toStrictEqual({ username: 'late' });
    await login(other, 'late', 'crypto-user', CU_PASSWORD);
    expectFail(await other.handle({ op: 'object.insert-masked', session: admin2, args: { blob } }), 'user-exists');
    expectOk(await other.handle({ op: 'object.insert-masked', session: au2, args: { blob } }));
    const denied = expectFail(await hsm.handle({ op: 'object.extract-masked', session: alice, args: { username: 'late' } }), 'permission-denied');
    expect(denied.data).toMatch(/^Permission denied: only an admin or the appliance user/);
  });

  it('a synced user keeps this HSM\'s failure counter, but a synced password reset unlocks', async () => {
    const { hsm, admin, other, au2 } = await twoHsms('masked-unlock');
    const failFiveTimes = async (target: Hsm) => {
      for (let i = 0; i < 5; i++) expectFail(await target.handle({ op: 'session.login', args: { username: 'carol', role: 'crypto-user', password: `wrong-${i}-pass` } }), 'invalid-credentials');
    };
    const lockedOn = async (target: Hsm) =>
      expectOk<{ users: { username: string; locked: string }[] }>(await target.handle({ op: 'user.list', args: {} })).users.find((u) => u.username === 'carol')?.locked;
    expectOk(await hsm.handle({ op: 'user.create', session: admin, args: { username: 'carol', role: 'crypto-user', password: CU_PASSWORD } }));
    const extract = async () => expectOk<Blob>(await hsm.handle({ op: 'object.extract-masked', session: admin, args: { username: 'carol' } }))['masked-object'];
    expectOk(await other.handle({ op: 'object.insert-masked', session: au2, args: { blob: await extract() } }));
    await failFiveTimes(hsm);
    await failFiveTimes(other);
    // the same record synced again: the other HSM's lockout stands
    expectOk(await other.handle({ op: 'object.insert-masked', session: au2, args: { blob: await extract() } }));
    expect(await lockedOn(other)).toBe('true');
    // the admin resets carol's password on the first HSM; the synced record unlocks her on the second
    expectOk(await hsm.handle({ op: 'user.change-password', session: admin, args: { username: 'carol', role: 'crypto-user', password: 'Fresh#2026pw' } }));
    expect(await lockedOn(hsm)).toBe('false');
    expectOk(await other.handle({ op: 'object.insert-masked', session: au2, args: { blob: await extract() } }));
    expect(await lockedOn(other)).toBe('false');
    await login(other, 'carol', 'crypto-user', 'Fresh#2026pw');
  });

  it('a blob from another cluster is refused and inserts nothing', async () => {
    const a = await activatedWorld('cluster-one');
    const b = await activatedWorld('cluster-two');
    const ref = await generateAes(a.hsm, a.alice, 'foreign');
    const blob = expectOk<Blob>(await a.hsm.handle({ op: 'object.extract-masked', session: a.alice, args: { filter: [`key-reference=${ref}`] } }))['masked-object'];
    const before = b.hsm.stateDigest();
    const f = expectFail(await b.hsm.handle({ op: 'object.insert-masked', session: b.alice, args: { blob } }), 'bad-masked-object');
    expect(f.data).toContain(a.hsm.summary().clusterId);
    expect(b.hsm.stateDigest()).toBe(before);
  });

  it('a crypto user may not extract a key they cannot see, nor a session key', async () => {
    const { hsm, alice, bob } = await activatedWorld('masked-scope');
    const ref = await generateAes(hsm, alice, 'private-to-alice');
    expectFail(await hsm.handle({ op: 'object.extract-masked', session: bob, args: { filter: [`key-reference=${ref}`] } }), 'key-not-found');
    const ses = await generateAes(hsm, alice, 'ses', { session: true });
    expectFail(await hsm.handle({ op: 'object.extract-masked', session: alice, args: { filter: [`key-reference=${ses}`] } }), 'key-not-permitted');
    expectFail(await hsm.handle({ op: 'object.extract-masked', session: alice, args: {} }), 'bad-request');
  });

  it('a key whose owner is missing on the target HSM is refused (users must sync first)', async () => {
    const { hsm, admin, other, au2 } = await twoHsms('masked-owner');
    expectOk(await hsm.handle({ op: 'user.create', session: admin, args: { username: 'newcu', role: 'crypto-user', password: CU_PASSWORD } }));
    const newcu = await login(hsm, 'newcu', 'crypto-user', CU_PASSWORD);
    const ref = await generateAes(hsm, newcu, 'orphan');
    const blob = expectOk<Blob>(await hsm.handle({ op: 'object.extract-masked', session: newcu, args: { filter: [`key-reference=${ref}`] } }))['masked-object'];
    expect(expectFail(await other.handle({ op: 'object.insert-masked', session: au2, args: { blob } }), 'user-not-found').data).toMatch(/newcu/);
  });
});

describe('hsm.sync-status', () => {
  it('lists token keys and users by name with 64-hex digits; session keys are left out; digests change with the object', async () => {
    const { hsm, alice } = await activatedWorld('sync');
    const ref = await generateAes(hsm, alice, 'tok');
    await generateAes(hsm, alice, 'ses', { session: true });
    const objects = expectOk<{ objects: Record<string, string> }>(await hsm.handle({ op: 'hsm.sync-status', session: alice, args: {} })).objects;
    expect(Object.keys(objects)).toEqual([`key:${ref}`, 'user:admin', 'user:app_user', 'user:alice', 'user:bob']);
    for (const d of Object.values(objects)) expect(d).toMatch(/^[0-9a-f]{64}$/);
    expectOk(await hsm.handle({ op: 'key.set-attribute', session: alice, args: { filter: [`key-reference=${ref}`], name: 'label', value: 'renamed' } }));
    const after = expectOk<{ objects: Record<string, string> }>(await hsm.handle({ op: 'hsm.sync-status', session: alice, args: {} })).objects;
    expect(after[`key:${ref}`]).not.toBe(objects[`key:${ref}`]);
    expect(after['user:alice']).toBe(objects['user:alice']);
  });
});

describe('object.insert-masked never replaces a session key', () => {
  it('the appliance user is refused when the handle belongs to a session key on the target; the session key stays', async () => {
    // Two HSMs with the same server id allocate the same handles: the collision sync must not resolve by overwriting.
    const w = await activatedWorld('masked-session');
    const other = await Hsm.restore(await w.hsm.backup(), testOptions('masked-session-2', { index: 0 }));
    const alice2 = await login(other, 'alice', 'crypto-user', CU_PASSWORD);
    const au2 = await login(other, 'app_user', 'appliance', 'password');
    const sessionRef = await generateAes(other, alice2, 'mine-only', { session: true });
    const tokenRef = await generateAes(w.hsm, w.alice, 'token');
    expect(tokenRef).toBe(sessionRef);
    const blob = expectOk<Blob>(await w.hsm.handle({ op: 'object.extract-masked', session: w.alice, args: { filter: [`key-reference=${tokenRef}`] } }))['masked-object'];
    const before = other.stateDigest();
    const refused = expectFail(await other.handle({ op: 'object.insert-masked', session: au2, args: { blob } }), 'key-not-permitted');
    expect(refused.data).toBe(`Key ${sessionRef} is a session key on this HSM; a masked object cannot replace it`);
    expect(other.stateDigest()).toBe(before);
    const listed = expectOk<{ matched_keys: KeyObj['key'][] }>(await other.handle({ op: 'key.list', session: alice2, args: { verbose: true } })).matched_keys;
    expect(listed.map((k) => [k['key-reference'], (k['attributes'] as { label: string; token: boolean }).label, (k['attributes'] as { token: boolean }).token])).toEqual([
      [sessionRef, 'mine-only', false],
    ]);
    // a customer's insert is unaffected: it takes a new handle beside the session key
    const inserted = expectOk<{ 'key-reference': string }>(await other.handle({ op: 'object.insert-masked', session: alice2, args: { blob } }))['key-reference'];
    expect(inserted).not.toBe(sessionRef);
    expect(other.summary().keyCount).toBe(2);
  });
});
