import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD_COST } from '../../../src/crypto/password.ts';
import { seededRandom } from '../../../src/crypto/random.ts';
import { virtualClock } from '../../../src/hsm/clock.ts';
import { Hsm } from '../../../src/hsm/hsm.ts';
import { MFA_REQUIRED } from '../../../src/hsm/quorum/mfa.ts';
import type { SignedChallenge } from '../../../src/hsm/requests.ts';
import { MemoryStorage } from '../../../src/store/memory.ts';
import { unmaskObject } from '../../../src/hsm/masked.ts';
import { activatedWorld, CU_PASSWORD, expectFail, expectOk, generateAes, login, storedState } from './fixtures.ts';
import { approval, approverKey, generateToken, registerQuorumKey } from './quorum-fixtures.ts';

const KA = approverKey('alice');
const KB = approverKey('bob');
const ref = (r: string) => [`key-reference=${r}`];

/** alice owns an HMAC key shared with bob, use and manage quorum values 2; both registered. */
async function keyWorld(seed: string) {
  const world = await activatedWorld(seed);
  const { hsm, alice, bob } = world;
  await registerQuorumKey(hsm, alice, KA);
  await registerQuorumKey(hsm, bob, KB);
  const mac = expectOk<{ key: { 'key-reference': string } }>(
    await hsm.handle({
      op: 'key.generate-symmetric',
      session: alice,
      args: { keyType: 'generic-secret', label: 'mac', keyLengthBytes: 32, attributes: { sign: 'true', verify: 'true' }, shareCryptoUsers: ['bob'], useKeyQuorumValue: 2, manageKeyQuorumValue: 2 },
    }),
  ).key['key-reference'];
  return { ...world, mac };
}

const DATA = new TextEncoder().encode('approved data');

describe('key quorum values (spec §4.5, §6.2)', () => {
  it('refuse values above owner + shared users with the documented message', async () => {
    const { hsm, alice } = await activatedWorld('key-quorum-invalid');
    const answer = await hsm.handle({ op: 'key.generate-symmetric', session: alice, args: { keyType: 'aes', label: 'x', keyLengthBytes: 16, useKeyQuorumValue: 2 } });
    expect(expectFail(answer, 'invalid-quorum-value').data).toBe('Invalid quorum value provided.');
  });

  it('enforce use: MAC generation needs a key-usage token approved by 2 of the key\'s users', async () => {
    const { hsm, alice, mac } = await keyWorld('key-quorum-use');
    const args = { keyFilter: ref(mac), hashFunction: 'sha256' as const, data: DATA };
    expect(expectFail(await hsm.handle({ op: 'crypto.mac-generate', session: alice, args }), 'quorum-required').data).toBe('Quorum approval is required for this operation');
    const token = await generateToken(hsm, alice, 'key-usage');
    expectFail(await hsm.handle({ op: 'crypto.mac-generate', session: alice, args: { ...args, approval: approval(token, [['alice', KA]]) } }), 'quorum-required');
    const signed = approval(token, [['alice', KA], ['bob', KB]]);
    const out = expectOk<{ mac: string }>(await hsm.handle({ op: 'crypto.mac-generate', session: alice, args: { ...args, approval: signed } }));
    expect(out.mac).toMatch(/^[A-Za-z0-9+/]+=*$/);
    // single use, and a key-management token does not serve key usage
    expectFail(await hsm.handle({ op: 'crypto.mac-generate', session: alice, args: { ...args, approval: signed } }), 'quorum-required');
    const mgmt = await generateToken(hsm, alice, 'key-management');
    expectFail(await hsm.handle({ op: 'crypto.mac-generate', session: alice, args: { ...args, approval: approval(mgmt, [['alice', KA], ['bob', KB]]) } }), 'quorum-required');
  });

  it('enforce management: set-attribute needs a key-management token; approvers must be the key\'s users', async () => {
    const { hsm, alice, admin, mac } = await keyWorld('key-quorum-manage');
    const setLabel = (extra: Record<string, unknown> = {}) =>
      hsm.handle({ op: 'key.set-attribute', session: alice, args: { filter: ref(mac), name: 'label', value: 'renamed', ...extra } });
    expectFail(await setLabel(), 'quorum-required');
    // carol is a registered crypto user but not associated with the key: her approval does not count
    expectOk(await hsm.handle({ op: 'user.create', session: admin, args: { username: 'carol', role: 'crypto-user', password: CU_PASSWORD } }));
    const carol = await login(hsm, 'carol', 'crypto-user', CU_PASSWORD);
    const KC = approverKey('carol');
    await registerQuorumKey(hsm, carol, KC);
    const token = await generateToken(hsm, alice, 'key-management');
    expectFail(await setLabel({ approval: approval(token, [['alice', KA], ['carol', KC]]) }), 'quorum-required');
    expectOk(await setLabel({ approval: approval(token, [['alice', KA], ['bob', KB]]) }));
    const listed = expectOk<{ matched_keys: { attributes: { label: string } }[] }>(await hsm.handle({ op: 'key.list', session: alice, args: { filter: ref(mac) } }));
    expect(listed.matched_keys[0]?.attributes.label).toBe('renamed');
    // the grant does not outlive its request
    expectFail(await setLabel(), 'quorum-required');
  });

  it('enforce key wrap: --payload-approval for the payload key', async () => {
    const { hsm, alice, bob } = await activatedWorld('key-quorum-wrap');
    await registerQuorumKey(hsm, alice, KA);
    await registerQuorumKey(hsm, bob, KB);
    const wrapping = await generateAes(hsm, alice, 'wrapping', { attributes: { wrap: 'true' } });
    const payload = await generateAes(hsm, alice, 'payload', { keyLengthBytes: 16, shareCryptoUsers: ['bob'], manageKeyQuorumValue: 2 });
    const args = { mechanism: 'aes-no-pad' as const, payloadFilter: ref(payload), wrappingFilter: ref(wrapping) };
    expectFail(await hsm.handle({ op: 'key.wrap', session: alice, args }), 'quorum-required');
    const token = await generateToken(hsm, alice, 'key-management');
    // approval given for the wrong key (wrapping) does not help the payload
    expectFail(await hsm.handle({ op: 'key.wrap', session: alice, args: { ...args, wrappingApproval: approval(token, [['alice', KA], ['bob', KB]]) } }), 'quorum-required');
    expectOk(await hsm.handle({ op: 'key.wrap', session: alice, args: { ...args, payloadApproval: approval(token, [['alice', KA], ['bob', KB]]) } }));
  });
});

/** Sign every challenge of an answer with `key`. */
function signAll(answer: { hsms: { unsigned: Uint8Array }[] }, key: ReturnType<typeof approverKey>): SignedChallenge[] {
  return answer.hsms.map((h) => ({ unsigned: h.unsigned, signed: key.sign(h.unsigned) }));
}

describe('MFA token-sign (spec §7.1)', () => {
  async function mfaWorld(seed: string) {
    const world = await activatedWorld(seed);
    const { hsm, alice } = world;
    const challenge = expectOk<{ hsms: { hsm: number; unsigned: Uint8Array }[] }>(
      await hsm.handle({ op: 'user.mfa-challenge', session: alice, args: { username: 'alice', role: 'crypto-user' } }),
    );
    expect(challenge.hsms).toHaveLength(1);
    expect(challenge.hsms[0]!.unsigned).toHaveLength(32);
    expectOk(await hsm.handle({ op: 'user.change-mfa', session: alice, args: { username: 'alice', role: 'crypto-user', publicKey: KA.spki, signedTokens: signAll(challenge, KA) } }));
    expectOk(await hsm.handle({ op: 'session.logout', session: alice, args: {} }));
    return world;
  }

  const loginChallenge = async (hsm: Hsm) =>
    expectOk<{ hsms: { unsigned: Uint8Array }[] }>(await hsm.handle({ op: 'session.mfa-challenge', args: { username: 'alice', role: 'crypto-user' } }));

  it('registering MFA enables it and (for a non-quorum user) quorum too', async () => {
    const { hsm } = await mfaWorld('mfa-register');
    const alice = expectOk<{ users: { username: string; mfa: unknown[]; quorum: unknown[] }[] }>(await hsm.handle({ op: 'user.list', args: {} })).users.find((u) => u.username === 'alice');
    expect(alice?.mfa).toEqual([{ strategy: 'token-sign', status: 'enabled' }]);
    expect(alice?.quorum).toEqual([{ strategy: 'token-sign', status: 'enabled' }]);
  });

  it('login then needs the HSM\'s challenge signed with the registered key', async () => {
    const { hsm } = await mfaWorld('mfa-login');
    const plain = await hsm.handle({ op: 'session.login', args: { username: 'alice', role: 'crypto-user', password: CU_PASSWORD } });
    expect(expectFail(plain, 'invalid-credentials').data).toBe(MFA_REQUIRED);
    const wrongKey = await hsm.handle({ op: 'session.login', args: { username: 'alice', role: 'crypto-user', password: CU_PASSWORD, mfaTokens: signAll(await loginChallenge(hsm), KB) } });
    expectFail(wrongKey, 'invalid-credentials');
    // a made-up challenge (never issued by this HSM) signed with the right key
    const madeUp = [{ unsigned: new Uint8Array(32).fill(9), signed: KA.sign(new Uint8Array(32).fill(9)) }];
    expectFail(await hsm.handle({ op: 'session.login', args: { username: 'alice', role: 'crypto-user', password: CU_PASSWORD, mfaTokens: madeUp } }), 'invalid-credentials');
    const signed = signAll(await loginChallenge(hsm), KA);
    const wrongPassword = await hsm.handle({ op: 'session.login', args: { username: 'alice', role: 'crypto-user', password: 'wrong-pass-1', mfaTokens: signed } });
    expectFail(wrongPassword, 'invalid-credentials');
    const ok = expectOk<{ username: string }>(await hsm.handle({ op: 'session.login', args: { username: 'alice', role: 'crypto-user', password: CU_PASSWORD, mfaTokens: signed } }));
    expect(ok.username).toBe('alice');
    // a challenge is single use
    expectFail(await hsm.handle({ op: 'session.login', args: { username: 'alice', role: 'crypto-user', password: CU_PASSWORD, mfaTokens: signed } }), 'invalid-credentials');
  });

  it('change-mfa refuses a challenge signed by another key than the one registered', async () => {
    const { hsm, bob } = await activatedWorld('mfa-bad-register');
    const challenge = expectOk<{ hsms: { unsigned: Uint8Array }[] }>(await hsm.handle({ op: 'user.mfa-challenge', session: bob, args: { username: 'bob', role: 'crypto-user' } }));
    const answer = await hsm.handle({ op: 'user.change-mfa', session: bob, args: { username: 'bob', role: 'crypto-user', publicKey: KB.spki, signedTokens: signAll(challenge, KA) } });
    expectFail(answer, 'verification-failed');
    // a crypto user may not change someone else's MFA
    expectFail(await hsm.handle({ op: 'user.mfa-challenge', session: bob, args: { username: 'alice', role: 'crypto-user' } }), 'permission-denied');
  });

  it('deregistering MFA removes the quorum registration too, and plain login works again', async () => {
    const { hsm, admin } = await mfaWorld('mfa-deregister');
    expectOk(await hsm.handle({ op: 'user.change-mfa', session: admin, args: { username: 'alice', role: 'crypto-user', deregister: true } }));
    const alice = expectOk<{ users: { username: string; mfa: unknown[]; quorum: unknown[] }[] }>(await hsm.handle({ op: 'user.list', args: {} })).users.find((u) => u.username === 'alice');
    expect(alice).toMatchObject({ mfa: [], quorum: [] });
    expectOk(await hsm.handle({ op: 'session.login', args: { username: 'alice', role: 'crypto-user', password: CU_PASSWORD } }));
  });
});

describe('password changes and registrations (spec §4.3, §7.1)', () => {
  const quorumOfUser = async (hsm: Hsm, name: string) =>
    expectOk<{ users: { username: string; mfa: unknown[]; quorum: unknown[] }[] }>(await hsm.handle({ op: 'user.list', args: {} })).users.find((u) => u.username === name);

  it('--deregister-quorum removes the quorum key; a plain password change keeps it', async () => {
    const { hsm, admin, bob } = await activatedWorld('pw-quorum');
    await registerQuorumKey(hsm, bob, KB);
    expectOk(await hsm.handle({ op: 'session.logout', session: bob, args: {} }));
    expectOk(await hsm.handle({ op: 'user.change-password', session: admin, args: { username: 'bob', role: 'crypto-user', password: 'bob-pass-22' } }));
    expect((await quorumOfUser(hsm, 'bob'))?.quorum).toHaveLength(1);
    expectOk(await hsm.handle({ op: 'user.change-password', session: admin, args: { username: 'bob', role: 'crypto-user', password: 'bob-pass-23', deregisterQuorum: true } }));
    expect((await quorumOfUser(hsm, 'bob'))?.quorum).toEqual([]);
  });

  it('changing an MFA user\'s password removes their quorum registration; --deregister-mfa removes MFA', async () => {
    const { hsm, alice } = await activatedWorld('pw-mfa');
    const challenge = expectOk<{ hsms: { unsigned: Uint8Array }[] }>(await hsm.handle({ op: 'user.mfa-challenge', session: alice, args: { username: 'alice', role: 'crypto-user' } }));
    expectOk(await hsm.handle({ op: 'user.change-mfa', session: alice, args: { username: 'alice', role: 'crypto-user', publicKey: KA.spki, signedTokens: signAll(challenge, KA) } }));
    expectOk(await hsm.handle({ op: 'user.change-password', session: alice, args: { username: 'alice', role: 'crypto-user', password: 'alice-pass-2' } }));
    expect(await quorumOfUser(hsm, 'alice')).toMatchObject({ mfa: [{ strategy: 'token-sign', status: 'enabled' }], quorum: [] });
    expectOk(await hsm.handle({ op: 'user.change-password', session: alice, args: { username: 'alice', role: 'crypto-user', password: 'alice-pass-3', deregisterMfa: true } }));
    expect(await quorumOfUser(hsm, 'alice')).toMatchObject({ mfa: [], quorum: [] });
  });
});

describe('quorum state is HSM state', () => {
  it('persists across a restart, travels in backups and in masked user objects', async () => {
    const { hsm, storage, admin, alice } = await activatedWorld('quorum-persist');
    await registerQuorumKey(hsm, alice, KA);
    await registerQuorumKey(hsm, admin, approverKey('admin'));
    expectOk(await hsm.handle({ op: 'quorum.set-value', session: admin, args: { service: 'user', value: 1 } }));
    expectOk(await hsm.handle({ op: 'quorum.set-timeout', session: admin, args: { generated: 120 } }));
    const digest = hsm.stateDigest();

    const reopened = await Hsm.open({ random: seededRandom('reopened'), clock: virtualClock(), storage, passwordCost: TEST_PASSWORD_COST });
    expect(reopened.stateDigest()).toBe(digest);
    expect(expectOk(await reopened.handle({ op: 'quorum.list-timeouts', session: await login(reopened, 'alice', 'crypto-user', CU_PASSWORD), args: {} }))).toEqual({ generated: 120, approved: 600 });

    const clone = await Hsm.restore(await hsm.backup(), { random: seededRandom('clone'), clock: virtualClock(), storage: new MemoryStorage(), passwordCost: TEST_PASSWORD_COST, index: 1 });
    expect(clone.stateDigest()).toBe(digest);

    const masked = expectOk<{ 'masked-object': Uint8Array }>(await hsm.handle({ op: 'object.extract-masked', session: admin, args: { username: 'alice' } }))['masked-object'];
    const opened = unmaskObject(await storedState(storage), masked);
    expect(opened.kind === 'user' && opened.user.quorumPublicKey).toEqual(KA.spki);
  });

  it('lists the quorum settings in sync status once they differ from the defaults', async () => {
    const { hsm, admin } = await activatedWorld('quorum-sync');
    const names = async () => Object.keys(expectOk<{ objects: Record<string, string> }>(await hsm.handle({ op: 'hsm.sync-status', session: admin, args: {} })).objects);
    expect(await names()).not.toContain('quorum:settings');
    expectOk(await hsm.handle({ op: 'quorum.set-timeout', session: admin, args: { approved: 90 } }));
    expect(await names()).toContain('quorum:settings');
  });
});
