import { describe, expect, it } from 'vitest';
import type { Hsm } from '../../../src/hsm/hsm.ts';
import { MFA_REQUIRED } from '../../../src/hsm/quorum/mfa.ts';
import type { SignedChallenge } from '../../../src/hsm/requests.ts';
import { activatedWorld, CU_PASSWORD, createUser, expectFail, expectOk, login } from './fixtures.ts';
import { approval, approverKey, generateToken, registerQuorumKey, type ApproverKey } from './quorum-fixtures.ts';

/**
 * `user change-mfa token-sign` with `--change-password` and `--change-quorum` (spec §7.1), and how
 * MFA and quorum registrations follow password changes: the MFA key becomes the quorum key of a
 * user without one; a new password for an MFA user who is a quorum approver drops the quorum key.
 */
const KA = approverKey('alice');
const KB = approverKey('bob');
const KQ = approverKey('alice-quorum');
const KR = approverKey('alice-rotated');
const NEW_PASSWORD = 'alice-new-pass-1';

type ListedUser = { username: string; mfa: unknown[]; quorum: unknown[] };
const ENABLED = [{ strategy: 'token-sign', status: 'enabled' }];

async function listed(hsm: Hsm, name: string): Promise<ListedUser | undefined> {
  return expectOk<{ users: ListedUser[] }>(await hsm.handle({ op: 'user.list', args: {} })).users.find((u) => u.username === name);
}

async function signedChallenges(hsm: Hsm, session: string, username: string, key: ApproverKey): Promise<SignedChallenge[]> {
  const challenge = expectOk<{ hsms: { unsigned: Uint8Array }[] }>(await hsm.handle({ op: 'user.mfa-challenge', session, args: { username, role: 'crypto-user' } }));
  return challenge.hsms.map((h) => ({ unsigned: h.unsigned, signed: key.sign(h.unsigned) }));
}

/** Register (or rotate) alice's MFA key as `session`, with extra arguments. */
async function changeMfa(hsm: Hsm, session: string, key: ApproverKey, extra: Record<string, unknown> = {}) {
  const signedTokens = await signedChallenges(hsm, session, 'alice', key);
  return hsm.handle({ op: 'user.change-mfa', session, args: { username: 'alice', role: 'crypto-user', publicKey: key.spki, signedTokens, ...extra } });
}

/** Log alice in with her MFA key. */
async function mfaLogin(hsm: Hsm, password: string, key: ApproverKey) {
  const challenge = expectOk<{ hsms: { unsigned: Uint8Array }[] }>(await hsm.handle({ op: 'session.mfa-challenge', args: { username: 'alice', role: 'crypto-user' } }));
  const mfaTokens = challenge.hsms.map((h) => ({ unsigned: h.unsigned, signed: key.sign(h.unsigned) }));
  return hsm.handle({ op: 'session.login', args: { username: 'alice', role: 'crypto-user', password, mfaTokens } });
}

describe('user change-mfa --change-password (spec §7.1)', () => {
  it('sets the new password with the MFA key in one write; the old password stops working', async () => {
    const { hsm, alice } = await activatedWorld('mfa-password');
    expect(expectOk(await changeMfa(hsm, alice, KA, { password: NEW_PASSWORD }))).toEqual({ username: 'alice', role: 'crypto-user' });
    expectOk(await hsm.handle({ op: 'session.logout', session: alice, args: {} }));
    expectFail(await mfaLogin(hsm, CU_PASSWORD, KA), 'invalid-credentials');
    expectFail(await hsm.handle({ op: 'session.login', args: { username: 'alice', role: 'crypto-user', password: NEW_PASSWORD } }), 'invalid-credentials');
    expect(expectOk<{ username: string }>(await mfaLogin(hsm, NEW_PASSWORD, KA)).username).toBe('alice');
  });

  it('checks the password like user change-password, before anything changes', async () => {
    const { hsm, alice } = await activatedWorld('mfa-password-rules');
    const before = hsm.stateDigest();
    const short = expectFail(await changeMfa(hsm, alice, KA, { password: 'short' }), 'bad-request');
    expect(short.data).toBe('password must be 8 to 32 characters, got 5');
    expect(expectFail(await changeMfa(hsm, alice, KA, { password: 42 }), 'bad-request').data).toBe('password must be a string');
    expect(expectFail(await changeMfa(hsm, alice, KA, { password: NEW_PASSWORD, legacy: 'yes' }), 'bad-request').data).toBe('legacy must be a boolean');
    expect(await listed(hsm, 'alice')).toMatchObject({ mfa: [], quorum: [] });
    expect(hsm.stateDigest()).toBe(before);
    // CMU callers (legacy) may use the legacy minimum of 7
    expectOk(await changeMfa(hsm, alice, KA, { password: 'seven77', legacy: true }));
  });

  it('refuses a wrong signature without changing the password', async () => {
    const { hsm, alice } = await activatedWorld('mfa-password-bad-signature');
    const signedTokens = await signedChallenges(hsm, alice, 'alice', KB);
    const answer = await hsm.handle({ op: 'user.change-mfa', session: alice, args: { username: 'alice', role: 'crypto-user', publicKey: KA.spki, signedTokens, password: NEW_PASSWORD } });
    expectFail(answer, 'verification-failed');
    expectOk(await hsm.handle({ op: 'session.logout', session: alice, args: {} }));
    expectOk(await hsm.handle({ op: 'session.login', args: { username: 'alice', role: 'crypto-user', password: CU_PASSWORD } }));
  });

  it("refuses an admin's change of a logged-in user's password; once logged out, it also unlocks", async () => {
    const { hsm, admin, alice } = await activatedWorld('mfa-password-admin');
    const refused = expectFail(await changeMfa(hsm, admin, KA, { password: NEW_PASSWORD }), 'user-logged-in');
    expect(refused.data).toBe('Cannot modify a logged in user: alice');
    expectOk(await hsm.handle({ op: 'session.logout', session: alice, args: {} }));
    for (let i = 0; i < 5; i++) await hsm.handle({ op: 'session.login', args: { username: 'alice', role: 'crypto-user', password: 'wrong-pass-1' } });
    expectFail(await hsm.handle({ op: 'session.login', args: { username: 'alice', role: 'crypto-user', password: CU_PASSWORD } }), 'user-locked');
    expectOk(await changeMfa(hsm, admin, KA, { password: NEW_PASSWORD }));
    expectOk(await mfaLogin(hsm, NEW_PASSWORD, KA));
  });

  it("needs a user-service approval for another user's MFA and password when the user quorum value is 2", async () => {
    const { hsm, admin, alice } = await activatedWorld('mfa-password-quorum');
    await createUser(hsm, admin, 'admin2', 'admin', 'admin2-pass-1');
    const admin2 = await login(hsm, 'admin2', 'admin', 'admin2-pass-1');
    const K1 = approverKey('admin');
    const K2 = approverKey('admin2');
    await registerQuorumKey(hsm, admin, K1);
    await registerQuorumKey(hsm, admin2, K2);
    expectOk(await hsm.handle({ op: 'quorum.set-value', session: admin, args: { service: 'user', value: 2 } }));
    expectOk(await hsm.handle({ op: 'session.logout', session: alice, args: {} }));

    expectFail(await changeMfa(hsm, admin, KA, { password: NEW_PASSWORD }), 'quorum-required');
    // the refused request changed nothing: the old password still logs in
    const check = await login(hsm, 'alice', 'crypto-user', CU_PASSWORD);
    expectOk(await hsm.handle({ op: 'session.logout', session: check, args: {} }));
    const token = await generateToken(hsm, admin, 'user');
    expectOk(await changeMfa(hsm, admin, KA, { password: NEW_PASSWORD, approval: approval(token, [['admin', K1], ['admin2', K2]]) }));
    expectOk(await mfaLogin(hsm, NEW_PASSWORD, KA));
    // one's own MFA and password need no approval
    const bob = await login(hsm, 'bob', 'crypto-user', CU_PASSWORD);
    const signedTokens = await signedChallenges(hsm, bob, 'bob', KB);
    expectOk(await hsm.handle({ op: 'user.change-mfa', session: bob, args: { username: 'bob', role: 'crypto-user', publicKey: KB.spki, signedTokens, password: 'bob-new-pass-1' } }));
  });

  it('deregister with a password removes MFA and the quorum key and sets the password', async () => {
    const { hsm, alice } = await activatedWorld('mfa-password-deregister');
    expectOk(await changeMfa(hsm, alice, KA));
    const answer = await hsm.handle({ op: 'user.change-mfa', session: alice, args: { username: 'alice', role: 'crypto-user', deregister: true, changeQuorum: true, password: NEW_PASSWORD } });
    expect(expectOk(answer)).toEqual({ username: 'alice', role: 'crypto-user' });
    expect(await listed(hsm, 'alice')).toMatchObject({ mfa: [], quorum: [] });
    expectOk(await hsm.handle({ op: 'session.logout', session: alice, args: {} }));
    expectOk(await hsm.handle({ op: 'session.login', args: { username: 'alice', role: 'crypto-user', password: NEW_PASSWORD } }));
  });

  it('validates the flags: deregister with a key, non-boolean flags', async () => {
    const { hsm, alice } = await activatedWorld('mfa-flags');
    const both = await hsm.handle({ op: 'user.change-mfa', session: alice, args: { username: 'alice', role: 'crypto-user', deregister: true, publicKey: KA.spki } });
    expect(expectFail(both, 'bad-request').data).toBe('give either deregister or publicKey + signedTokens, not both');
    const bad = await hsm.handle({ op: 'user.change-mfa', session: alice, args: { username: 'alice', role: 'crypto-user', deregister: 'yes' } } as never);
    expect(expectFail(bad, 'bad-request').data).toBe('deregister must be a boolean');
    expect(expectFail(await changeMfa(hsm, alice, KA, { changeQuorum: 1 }), 'bad-request').data).toBe('changeQuorum must be a boolean');
  });
});

describe('MFA and quorum share the key (spec §7.1)', () => {
  /** Can `key` approve for alice (a key-usage approval of her own key with use quorum 2 shared with bob)? */
  async function aliceApprovesWith(hsm: Hsm, alice: string, bob: string, key: ApproverKey): Promise<boolean> {
    await registerQuorumKey(hsm, bob, KB);
    const mac = expectOk<{ key: { 'key-reference': string } }>(
      await hsm.handle({
        op: 'key.generate-symmetric',
        session: alice,
        args: { keyType: 'generic-secret', label: 'm', keyLengthBytes: 32, attributes: { sign: 'true' }, shareCryptoUsers: ['bob'], useKeyQuorumValue: 2 },
      }),
    ).key['key-reference'];
    const token = await generateToken(hsm, alice, 'key-usage');
    const answer = await hsm.handle({
      op: 'crypto.mac-generate',
      session: alice,
      args: { keyFilter: [`key-reference=${mac}`], hashFunction: 'sha256', data: new Uint8Array(4), approval: approval(token, [['alice', key], ['bob', KB]]) },
    });
    return answer.error_code === 0;
  }

  it('enabling MFA on a non-quorum user registers the MFA key for quorum: its approvals count', async () => {
    const { hsm, alice, bob } = await activatedWorld('mfa-registers-quorum');
    expectOk(await changeMfa(hsm, alice, KA));
    expect(await listed(hsm, 'alice')).toMatchObject({ mfa: ENABLED, quorum: ENABLED });
    expect(await aliceApprovesWith(hsm, alice, bob, KA)).toBe(true);
  });

  it('enabling MFA keeps an existing quorum key unless --change-quorum', async () => {
    const { hsm, alice, bob } = await activatedWorld('mfa-keeps-quorum');
    await registerQuorumKey(hsm, alice, KQ);
    expectOk(await changeMfa(hsm, alice, KA));
    expect(await aliceApprovesWith(hsm, alice, bob, KA)).toBe(false);
    expect(await aliceApprovesWith(hsm, alice, bob, KQ)).toBe(true);
  });

  it('--change-quorum rotates the quorum key along with the MFA key', async () => {
    const { hsm, alice, bob } = await activatedWorld('mfa-change-quorum');
    await registerQuorumKey(hsm, alice, KQ);
    expectOk(await changeMfa(hsm, alice, KA, { changeQuorum: true }));
    expect(await aliceApprovesWith(hsm, alice, bob, KQ)).toBe(false);
    expect(await aliceApprovesWith(hsm, alice, bob, KA)).toBe(true);
  });

  it('a new password for an MFA user who is a quorum approver drops the quorum key; the new MFA key then takes its place', async () => {
    const { hsm, alice, bob } = await activatedWorld('mfa-rotate-with-password');
    expectOk(await changeMfa(hsm, alice, KA));
    await registerQuorumKey(hsm, alice, KQ);
    // rotate MFA to KR with a new password: the password drops KQ (alice had MFA), so KR becomes her quorum key too
    expectOk(await changeMfa(hsm, alice, KR, { password: NEW_PASSWORD }));
    expect(await listed(hsm, 'alice')).toMatchObject({ mfa: ENABLED, quorum: ENABLED });
    expect(await aliceApprovesWith(hsm, alice, bob, KQ)).toBe(false);
    expect(await aliceApprovesWith(hsm, alice, bob, KR)).toBe(true);
  });

  it('a new password for a user without MFA keeps their quorum key (the rule is for MFA users only)', async () => {
    const { hsm, admin, alice } = await activatedWorld('password-no-mfa');
    await registerQuorumKey(hsm, alice, KQ);
    expectOk(await hsm.handle({ op: 'session.logout', session: alice, args: {} }));
    expectOk(await hsm.handle({ op: 'user.change-password', session: admin, args: { username: 'alice', role: 'crypto-user', password: NEW_PASSWORD } }));
    expect(await listed(hsm, 'alice')).toMatchObject({ mfa: [], quorum: ENABLED });
  });

  it("an admin's reset of an MFA approver's password drops the quorum key but keeps MFA: they must register again", async () => {
    const { hsm, admin, alice } = await activatedWorld('password-mfa-approver');
    expectOk(await changeMfa(hsm, alice, KA));
    expectOk(await hsm.handle({ op: 'session.logout', session: alice, args: {} }));
    expectOk(await hsm.handle({ op: 'user.change-password', session: admin, args: { username: 'alice', role: 'crypto-user', password: NEW_PASSWORD } }));
    expect(await listed(hsm, 'alice')).toMatchObject({ mfa: ENABLED, quorum: [] });
    expect(expectFail(await hsm.handle({ op: 'session.login', args: { username: 'alice', role: 'crypto-user', password: NEW_PASSWORD } }), 'invalid-credentials').data).toBe(MFA_REQUIRED);
    const again = expectOk<{ session: string }>(await mfaLogin(hsm, NEW_PASSWORD, KA)).session;
    await registerQuorumKey(hsm, again, KA);
    expect(await listed(hsm, 'alice')).toMatchObject({ mfa: ENABLED, quorum: ENABLED });
  });
});
