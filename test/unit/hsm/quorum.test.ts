import { beforeEach, describe, expect, it } from 'vitest';
import { QUORUM_REQUIRED } from '../../../src/hsm/quorum/approvals.ts';
import type { Hsm } from '../../../src/hsm/hsm.ts';
import { ADMIN_PASSWORD, activatedWorld, createUser, expectFail, expectOk, login } from './fixtures.ts';
import { approval, approverKey, generateToken, registerQuorumKey } from './quorum-fixtures.ts';

/**
 * Quorum authentication on one HSM (spec §6): three admins with registered keys and the `user`
 * quorum value 2, driven through requests exactly as the CLI sends them.
 */
const ADMIN2_PASSWORD = 'admin2-pass-1';
const ADMIN3_PASSWORD = 'admin3-pass-1';
const K1 = approverKey('admin');
const K2 = approverKey('admin2');
const K3 = approverKey('admin3');

let now: number;
let hsm: Hsm;
let admin: string;
let admin2: string;
let admin3: string;

async function threeAdmins(seed: string) {
  now = Date.UTC(2026, 0, 1);
  const world = await activatedWorld(seed, { clock: () => now });
  hsm = world.hsm;
  admin = world.admin;
  await createUser(hsm, admin, 'admin2', 'admin', ADMIN2_PASSWORD);
  await createUser(hsm, admin, 'admin3', 'admin', ADMIN3_PASSWORD);
  admin2 = await login(hsm, 'admin2', 'admin', ADMIN2_PASSWORD);
  admin3 = await login(hsm, 'admin3', 'admin', ADMIN3_PASSWORD);
  await registerQuorumKey(hsm, admin, K1);
  await registerQuorumKey(hsm, admin2, K2);
  await registerQuorumKey(hsm, admin3, K3);
  return world;
}

const createCarol = (session: string, extra: Record<string, unknown> = {}) =>
  hsm.handle({ op: 'user.create', session, args: { username: 'carol', role: 'crypto-user', password: 'carol-pass-1', ...extra } });

describe('quorum values (spec §4.4, §6.1)', () => {
  beforeEach(() => threeAdmins('quorum-values'));

  it('default to 1 for every service and are listed without login', async () => {
    expect(expectOk(await hsm.handle({ op: 'quorum.list-values', args: {} }))).toEqual({ user: 1, quorum: 1, cluster: 1 });
    expect(expectOk(await hsm.handle({ op: 'quorum.list-timeouts', session: admin, args: {} }))).toEqual({ generated: 600, approved: 600 });
  });

  it('accept 1 to 8 within the registered admins; refuse 9, 0 and more than the registered approvers', async () => {
    expect(expectOk(await hsm.handle({ op: 'quorum.set-value', session: admin, args: { service: 'user', value: 2 } }))).toBe('Set quorum value successful');
    const nine = expectFail(await hsm.handle({ op: 'quorum.set-value', session: admin, args: { service: 'quorum', value: 9 } }), 'invalid-quorum-value');
    expect(nine.data).toMatch(/^Invalid quorum value provided/);
    expectFail(await hsm.handle({ op: 'quorum.set-value', session: admin, args: { service: 'quorum', value: 0 } }), 'invalid-quorum-value');
    const four = expectFail(await hsm.handle({ op: 'quorum.set-value', session: admin, args: { service: 'quorum', value: 4 } }), 'invalid-quorum-value');
    expect(four.data).toContain('only 3 admin(s)');
    expect(expectOk(await hsm.handle({ op: 'quorum.list-values', args: {} }))).toEqual({ user: 2, quorum: 1, cluster: 1 });
  });

  it('count in the state digest (a changed value is a changed HSM)', async () => {
    const before = hsm.stateDigest();
    expectOk(await hsm.handle({ op: 'quorum.set-value', session: admin, args: { service: 'user', value: 3 } }));
    expect(hsm.stateDigest()).not.toBe(before);
  });

  it('protect set-quorum-value itself once the quorum service value is above 1', async () => {
    expectOk(await hsm.handle({ op: 'quorum.set-value', session: admin, args: { service: 'quorum', value: 2 } }));
    const refused = expectFail(await hsm.handle({ op: 'quorum.set-value', session: admin, args: { service: 'user', value: 2 } }), 'quorum-required');
    expect(refused.data).toBe(QUORUM_REQUIRED);
    const token = await generateToken(hsm, admin, 'quorum');
    const ok = await hsm.handle({ op: 'quorum.set-value', session: admin, args: { service: 'user', value: 2, approval: approval(token, [['admin2', K2], ['admin3', K3]]) } });
    expect(expectOk(ok)).toBe('Set quorum value successful');
  });
});

describe('user service with quorum value 2 (three admins)', () => {
  beforeEach(async () => {
    await threeAdmins('quorum-user');
    expectOk(await hsm.handle({ op: 'quorum.set-value', session: admin, args: { service: 'user', value: 2 } }));
  });

  it('refuses a protected command without --approval, with the documented message, changing nothing', async () => {
    const before = hsm.stateDigest();
    const refused = expectFail(await createCarol(admin), 'quorum-required');
    expect(refused.data).toBe('Quorum approval is required for this operation');
    expect(hsm.stateDigest()).toBe(before);
  });

  it('refuses one approval, then accepts two distinct approvals, and lists the approvals seen', async () => {
    const token = await generateToken(hsm, admin, 'user');
    expectFail(await createCarol(admin, { approval: approval(token, [['admin2', K2]]) }), 'quorum-required');
    const listed = expectOk<{ tokens: Record<string, unknown>[] }>(await hsm.handle({ op: 'quorum.token-list', session: admin2, args: {} }));
    expect(listed.tokens).toEqual([
      { username: 'admin', service: 'user', 'approvals-required': 2, 'number-of-approvals': 1, 'token-timeout-seconds': 600, 'cluster-coverage': 'full' },
    ]);
    expect(expectOk(await createCarol(admin, { approval: approval(token, [['admin2', K2], ['admin3', K3]]) }))).toEqual({ username: 'carol', role: 'crypto-user' });
  });

  it('lets the requester approve their own token', async () => {
    const token = await generateToken(hsm, admin, 'user');
    expectOk(await createCarol(admin, { approval: approval(token, [['admin', K1], ['admin3', K3]]) }));
  });

  it('refuses the same approver twice (approvers must be distinct)', async () => {
    const token = await generateToken(hsm, admin, 'user');
    expectFail(await createCarol(admin, { approval: approval(token, [['admin2', K2], ['admin2', K2]]) }), 'quorum-required');
  });

  it('counts one signature once even when a second officer registered the signer\'s key as their own (CMU registerQuorumPubKey)', async () => {
    const data = new Uint8Array(64).fill(0x3c);
    const { token } = expectOk<{ token: Uint8Array }>(await hsm.handle({ op: 'quorum.token-generate', session: admin, args: { service: 'user', approvalData: data } }));
    // admin3 approves; CMU registration takes a signature over any file, so admin2 can register
    // admin3's public key with admin3's approval signature over the token file (its SHA-256 is the token)
    const theirSignature = K3.sign(token);
    expectOk(await hsm.handle({ op: 'user.register-quorum-key', session: admin2, args: { publicKey: K3.spki, signedData: data, signature: theirSignature } }));
    const twice = { token, signatures: [{ username: 'admin3', signature: theirSignature }, { username: 'admin2', signature: theirSignature }] };
    expect(expectFail(await createCarol(admin, { approval: twice }), 'quorum-required').data).toBe(QUORUM_REQUIRED);
    // a really distinct second approver still makes two
    expectOk(await createCarol(admin, { approval: { token, signatures: [...twice.signatures, { username: 'admin', signature: K1.sign(token) }] } }));
  });

  it('refuses a reused token: a token is single use', async () => {
    const token = await generateToken(hsm, admin, 'user');
    const signed = approval(token, [['admin2', K2], ['admin3', K3]]);
    expectOk(await createCarol(admin, { approval: signed }));
    const again = await hsm.handle({ op: 'user.create', session: admin, args: { username: 'dave', role: 'crypto-user', password: 'dave-pass-1', approval: signed } });
    expect(expectFail(again, 'quorum-required').data).toBe(QUORUM_REQUIRED);
    expect(expectOk<{ tokens: unknown[] }>(await hsm.handle({ op: 'quorum.token-list', session: admin, args: {} })).tokens).toEqual([]);
  });

  it('refuses a token from a logged-out session, and from another session of the same user', async () => {
    const token = await generateToken(hsm, admin, 'user');
    const signed = approval(token, [['admin2', K2], ['admin3', K3]]);
    const other = await login(hsm, 'admin', 'admin', ADMIN_PASSWORD);
    expectFail(await createCarol(other, { approval: signed }), 'quorum-required');
    expectOk(await hsm.handle({ op: 'session.logout', session: admin, args: {} }));
    expectFail(await createCarol(other, { approval: signed }), 'quorum-required');
    const fresh = await login(hsm, 'admin', 'admin', ADMIN_PASSWORD);
    expectFail(await createCarol(fresh, { approval: signed }), 'quorum-required');
  });

  it('does not count a signature by an unregistered key, a wrong key, or a crypto user', async () => {
    await createUserWithQuorum();
    const token = await generateToken(hsm, admin, 'user');
    const stranger = approverKey('stranger');
    // admin4 exists but never registered; admin3's name with another key; alice is a CU
    expectFail(await createCarol(admin, { approval: approval(token, [['admin2', K2], ['admin4', stranger]]) }), 'quorum-required');
    expectFail(await createCarol(admin, { approval: approval(token, [['admin2', K2], ['admin3', stranger]]) }), 'quorum-required');
    expectFail(await createCarol(admin, { approval: approval(token, [['admin2', K2], ['alice', approverKey('alice')]]) }), 'quorum-required');
    expectOk(await createCarol(admin, { approval: approval(token, [['admin2', K2], ['admin3', K3]]) }));
  });

  it('refuses a token for another service', async () => {
    expectOk(await hsm.handle({ op: 'quorum.set-value', session: admin, args: { service: 'quorum', value: 2, approval: approval(await generateToken(hsm, admin, 'user'), [['admin2', K2], ['admin3', K3]]) } }));
    const quorumToken = await generateToken(hsm, admin, 'quorum');
    expectFail(await createCarol(admin, { approval: approval(quorumToken, [['admin2', K2], ['admin3', K3]]) }), 'quorum-required');
  });

  it('expires an unapproved token after the generated timeout, and an approved one after the approved timeout', async () => {
    expectOk(await hsm.handle({ op: 'quorum.set-timeout', session: admin, args: { generated: 60, approved: 30 } }));
    const stale = await generateToken(hsm, admin, 'user');
    now += 61_000;
    expectFail(await createCarol(admin, { approval: approval(stale, [['admin2', K2], ['admin3', K3]]) }), 'quorum-required');

    const token = await generateToken(hsm, admin, 'user');
    const signed = approval(token, [['admin2', K2], ['admin3', K3]]);
    // approved (enough approvals) but the operation itself fails: the approved timeout starts
    expectFail(await hsm.handle({ op: 'user.delete', session: admin, args: { username: 'nobody', role: 'crypto-user', approval: signed } }), 'user-not-found');
    now += 50_000; // within generated (60 s) but past approved (30 s)
    expectFail(await createCarol(admin, { approval: signed }), 'quorum-required');
  });

  it('protects delete and change-password of another user, but not one\'s own password', async () => {
    const token = await generateToken(hsm, admin, 'user');
    expectOk(await createCarol(admin, { approval: approval(token, [['admin2', K2], ['admin3', K3]]) }));
    expectFail(await hsm.handle({ op: 'user.change-password', session: admin, args: { username: 'carol', role: 'crypto-user', password: 'carol-pass-2' } }), 'quorum-required');
    expectFail(await hsm.handle({ op: 'user.delete', session: admin, args: { username: 'carol', role: 'crypto-user' } }), 'quorum-required');
    expectOk(await hsm.handle({ op: 'user.change-password', session: admin, args: { username: 'admin', role: 'admin', password: 'admin-pass-2' } }));
    const del = await generateToken(hsm, admin, 'user');
    expectOk(await hsm.handle({ op: 'user.delete', session: admin, args: { username: 'carol', role: 'crypto-user', approval: approval(del, [['admin2', K2], ['admin3', K3]]) } }));
  });

  it('quorum token-sign delete removes tokens (scope user: the caller\'s only)', async () => {
    await generateToken(hsm, admin, 'user');
    await generateToken(hsm, admin2, 'user');
    expectOk(await hsm.handle({ op: 'quorum.token-delete', session: admin, args: { scope: 'user' } }));
    const left = expectOk<{ tokens: { username: string }[] }>(await hsm.handle({ op: 'quorum.token-list', session: admin, args: {} })).tokens;
    expect(left.map((t) => t.username)).toEqual(['admin2']);
    expectOk(await hsm.handle({ op: 'quorum.token-delete', session: admin, args: { scope: 'all' } }));
    expect(expectOk<{ tokens: unknown[] }>(await hsm.handle({ op: 'quorum.token-list', session: admin, args: {} })).tokens).toEqual([]);
  });
});

/** admin4: an admin without a quorum key. */
async function createUserWithQuorum(): Promise<void> {
  const token = await generateToken(hsm, admin, 'user');
  expectOk(await hsm.handle({ op: 'user.create', session: admin, args: { username: 'admin4', role: 'admin', password: 'admin4-pass-1', approval: approval(token, [['admin2', K2], ['admin3', K3]]) } }));
}

describe('registration (user change-quorum token-sign register)', () => {
  beforeEach(() => threeAdmins('quorum-registration'));

  it('shows quorum enabled in user list and survives a restart from storage', async () => {
    const users = expectOk<{ users: { username: string; quorum: unknown[] }[] }>(await hsm.handle({ op: 'user.list', args: {} })).users;
    expect(users.find((u) => u.username === 'admin2')?.quorum).toEqual([{ strategy: 'token-sign', status: 'enabled' }]);
    expect(users.find((u) => u.username === 'alice')?.quorum).toEqual([]);
  });

  it('refuses a signature by another key, a non-RSA-2048 key, and a token that is not a registration token', async () => {
    const alice = await login(hsm, 'alice', 'crypto-user', 'crypto-pass-1');
    const token = await generateToken(hsm, alice, 'registration');
    const k = approverKey('alice');
    const wrongSigner = await hsm.handle({ op: 'user.register-quorum-key', session: alice, args: { publicKey: k.spki, token, signature: approverKey('stranger').sign(token) } });
    expect(expectFail(wrongSigner, 'verification-failed').data).toContain('does not verify');
    const small = approverKey('small', 3072);
    expect(expectFail(await hsm.handle({ op: 'user.register-quorum-key', session: alice, args: { publicKey: small.spki, token, signature: small.sign(token) } }), 'bad-request').data).toContain('RSA-2048');
    const usage = await generateToken(hsm, alice, 'key-usage');
    expectFail(await hsm.handle({ op: 'user.register-quorum-key', session: alice, args: { publicKey: k.spki, token: usage, signature: k.sign(usage) } }), 'bad-request');
    expectOk(await hsm.handle({ op: 'user.register-quorum-key', session: alice, args: { publicKey: k.spki, token, signature: k.sign(token) } }));
    // a registration token is single use too
    expectFail(await hsm.handle({ op: 'user.register-quorum-key', session: alice, args: { publicKey: k.spki, token, signature: k.sign(token) } }), 'bad-request');
  });

  it('refuses token services that do not fit the role', async () => {
    const alice = await login(hsm, 'alice', 'crypto-user', 'crypto-pass-1');
    expectFail(await hsm.handle({ op: 'quorum.token-generate', session: alice, args: { service: 'user', approvalData: new Uint8Array(32).fill(1) } }), 'permission-denied');
    expectFail(await hsm.handle({ op: 'quorum.token-generate', session: admin, args: { service: 'key-usage', approvalData: new Uint8Array(32).fill(2) } }), 'permission-denied');
    expectFail(await hsm.handle({ op: 'quorum.token-generate', session: admin, args: { service: 'user', approvalData: new Uint8Array(8) } }), 'bad-request');
  });
});
