import { constants, createPublicKey, publicDecrypt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromBase64, toHex } from '../../../../src/crypto/bytes.ts';
import { digestInfo } from '../../../../src/crypto/rsa.ts';
import { operationTokenFile, parseApprovalFile, parseSignedTokens, registrationTokenFile } from '../../../../src/hsm/quorum/token-format.ts';
import { Keyring } from '../../../../src/ui/keyring/keyring.ts';
import { activatedWorld, expectOk } from '../../hsm/fixtures.ts';
import { approvalData } from '../../hsm/quorum-fixtures.ts';
import { fromPem } from '../../../../src/crypto/keys-encoding.ts';

describe('Keyring', () => {
  it('makes the same RSA-2048 key from the same seed, and a different one from another', () => {
    const a = new Keyring('page-seed/session-1').generate();
    expect(new Keyring('page-seed/session-1').generate()).toBe(a);
    expect(new Keyring('page-seed/session-2').generate()).not.toBe(a);
    const key = createPublicKey(a);
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it('signs as openssl pkeyutl -pkeyopt digest:sha256 does (checked by node:crypto)', () => {
    const ring = new Keyring('sig');
    const pem = ring.generate();
    const token = new Uint8Array(32).fill(0xab);
    const recovered = publicDecrypt({ key: createPublicKey(pem), padding: constants.RSA_PKCS1_PADDING }, ring.sign(token));
    expect(toHex(new Uint8Array(recovered))).toBe(toHex(digestInfo('sha256', token)));
  });

  it('refuses to sign before it has a key', () => {
    expect(() => new Keyring('none').sign(new Uint8Array(32))).toThrow(/make a key pair first/);
  });

  it('registers with the HSM and approves an operation token file the HSM accepts', async () => {
    const { hsm, admin } = await activatedWorld('keyring');
    const ring = new Keyring('keyring-admin');
    const spki = fromPem(ring.generate()).der;
    const reg = expectOk<{ token: Uint8Array; 'approval-data': Uint8Array }>(await hsm.handle({ op: 'quorum.token-generate', session: admin, args: { service: 'registration', approvalData: approvalData() } }));
    const signedReg = await ring.signFile(registrationTokenFile(reg['approval-data'], reg.token), 'reg.json', 'admin');
    expect(signedReg.kind).toBe('tokens');
    const [entry] = parseSignedTokens(signedReg.bytes, 'reg.json');
    expectOk(await hsm.handle({ op: 'user.register-quorum-key', session: admin, args: { publicKey: spki, token: entry!.unsigned, signature: entry!.signed } }));

    expectOk(await hsm.handle({ op: 'quorum.set-value', session: admin, args: { service: 'user', value: 1 } }));
    const op = expectOk<{ token: Uint8Array; 'approval-data': Uint8Array }>(await hsm.handle({ op: 'quorum.token-generate', session: admin, args: { service: 'user', approvalData: approvalData() } }));
    const approved = await ring.signFile(operationTokenFile(op['approval-data'], op.token), 't.json', 'admin');
    expect(approved.kind).toBe('approval');
    const again = await ring.signFile(approved.bytes, 't.json', 'admin'); // re-approving replaces, never duplicates
    const parsed = await parseApprovalFile(again.bytes, 't.json');
    expect(parsed.signatures.map((s) => s.username)).toEqual(['admin']);
    expect(fromBase64(JSON.parse(new TextDecoder().decode(again.bytes)).token as string)).toEqual(op.token);
  });
});
