import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromPem } from '../../src/crypto/keys-encoding.ts';
import type { SignedChallenge } from '../../src/hsm/requests.ts';
import { activatedWorld, CU_PASSWORD, createUser, expectFail, expectOk, login } from '../unit/hsm/fixtures.ts';
import { approval, approverKey, generateToken, registerQuorumKey } from '../unit/hsm/quorum-fixtures.ts';

/**
 * Interoperability with the real OpenSSL CLI (spec §6.1): a key from `openssl genrsa 2048`, and
 * approvals made exactly as the docs say — `openssl pkeyutl -sign -pkeyopt digest:sha256` over the
 * decoded token bytes — are accepted by the HSM, for quorum tokens and MFA challenges alike.
 */
const dir = mkdtempSync(join(tmpdir(), 'quorum-openssl-'));
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });

function opensslKey(name: string): { pem: string; spki: Uint8Array; sign(token: Uint8Array): Uint8Array } {
  openssl('genrsa', '-out', `${name}.pem`, '2048');
  openssl('rsa', '-in', `${name}.pem`, '-pubout', '-out', `${name}.pub.pem`);
  const pem = readFileSync(join(dir, `${name}.pub.pem`), 'utf8');
  return {
    pem,
    spki: fromPem(pem).der,
    sign(token) {
      writeFileSync(join(dir, 'token.bin'), token);
      openssl('pkeyutl', '-sign', '-pkeyopt', 'digest:sha256', '-inkey', `${name}.pem`, '-in', 'token.bin', '-out', 'token.sig');
      return new Uint8Array(readFileSync(join(dir, 'token.sig')));
    },
  };
}

describe('tokens signed by the openssl CLI', () => {
  it('registers an openssl key and accepts its approval of a user-service token', async () => {
    const a = opensslKey('approver');
    const { hsm, admin } = await activatedWorld('openssl-quorum');
    await createUser(hsm, admin, 'admin2', 'admin', 'admin2-pass-1');
    const admin2 = await login(hsm, 'admin2', 'admin', 'admin2-pass-1');
    // registration with an openssl signature over the registration token
    const reg = await generateToken(hsm, admin2, 'registration');
    expectOk(await hsm.handle({ op: 'user.register-quorum-key', session: admin2, args: { publicKey: a.spki, token: reg, signature: a.sign(reg) } }));
    const k1 = approverKey('admin');
    await registerQuorumKey(hsm, admin, k1);
    expectOk(await hsm.handle({ op: 'quorum.set-value', session: admin, args: { service: 'user', value: 2 } }));

    const token = await generateToken(hsm, admin, 'user');
    const withOpenssl = { token, signatures: [{ username: 'admin2', signature: a.sign(token) }, ...approval(token, [['admin', k1]]).signatures] };
    const tampered = { token, signatures: [{ username: 'admin2', signature: a.sign(new Uint8Array(32)) }, ...approval(token, [['admin', k1]]).signatures] };
    expectFail(await hsm.handle({ op: 'user.create', session: admin, args: { username: 'carol', role: 'crypto-user', password: CU_PASSWORD, approval: tampered } }), 'quorum-required');
    expectOk(await hsm.handle({ op: 'user.create', session: admin, args: { username: 'carol', role: 'crypto-user', password: CU_PASSWORD, approval: withOpenssl } }));
  });

  it('accepts an MFA challenge signed by openssl, and only with the registered key', async () => {
    const m = opensslKey('mfa');
    const other = opensslKey('other');
    const { hsm, alice } = await activatedWorld('openssl-mfa');
    const sign = (answer: { hsms: { unsigned: Uint8Array }[] }, key: typeof m): SignedChallenge[] => answer.hsms.map((h) => ({ unsigned: h.unsigned, signed: key.sign(h.unsigned) }));
    const reg = expectOk<{ hsms: { unsigned: Uint8Array }[] }>(await hsm.handle({ op: 'user.mfa-challenge', session: alice, args: { username: 'alice', role: 'crypto-user' } }));
    expectOk(await hsm.handle({ op: 'user.change-mfa', session: alice, args: { username: 'alice', role: 'crypto-user', publicKey: m.spki, signedTokens: sign(reg, m) } }));
    const challenge = () => hsm.handle({ op: 'session.mfa-challenge', args: { username: 'alice', role: 'crypto-user' } }).then((e) => expectOk<{ hsms: { unsigned: Uint8Array }[] }>(e));
    expectFail(await hsm.handle({ op: 'session.login', args: { username: 'alice', role: 'crypto-user', password: CU_PASSWORD, mfaTokens: sign(await challenge(), other) } }), 'invalid-credentials');
    const ok = await hsm.handle({ op: 'session.login', args: { username: 'alice', role: 'crypto-user', password: CU_PASSWORD, mfaTokens: sign(await challenge(), m) } });
    expect(expectOk<{ username: string }>(ok).username).toBe('alice');
  });
});

describe('approvals made by WebCrypto', () => {
  it('RSASSA-PKCS1-v1_5/SHA-256 sign over approval_data is a valid approval of SHA-256(approval_data)', async () => {
    const { subtle } = globalThis.crypto;
    const pair = (await subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    const spki = new Uint8Array(await subtle.exportKey('spki', pair.publicKey));
    const { hsm, admin } = await activatedWorld('webcrypto-quorum');
    const approvalData = new Uint8Array(64).fill(3);
    const gen = expectOk<{ token: Uint8Array; 'approval-data': Uint8Array }>(await hsm.handle({ op: 'quorum.token-generate', session: admin, args: { service: 'registration', approvalData } }));
    const signature = new Uint8Array(await subtle.sign('RSASSA-PKCS1-v1_5', pair.privateKey, new Uint8Array(gen['approval-data'])));
    expectOk(await hsm.handle({ op: 'user.register-quorum-key', session: admin, args: { publicKey: spki, token: gen.token, signature } }));
  });
});
