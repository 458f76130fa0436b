/**
 * Reference PEM files: EC and RSA layouts readable by node:crypto, the reference in place of the
 * secret, and telling a reference from a real or public key.
 * @module
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readReferencePem, referencePem, REFERENCE_MARKER } from '../../../src/cli/cloudhsm-cli/reference-pem.ts';

const spkiOf = (publicKey: ReturnType<typeof generateKeyPairSync>['publicKey']) => new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));

describe('reference PEM (key generate-file --encoding reference-pem)', () => {
  it('EC: an EC PRIVATE KEY that OpenSSL-style parsers read, with the real public point and the reference in place of the scalar', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const pem = referencePem('0x00000000002e06bf', spkiOf(publicKey));
    expect(pem).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n[\s\S]+\n-----END EC PRIVATE KEY-----\n$/);
    expect(readReferencePem(pem)).toEqual({ keyReference: '0x00000000002e06bf', keyType: 'ec' });
    const parsed = createPrivateKey(pem);
    expect(parsed.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    // The public half is the real one: same SPKI as the key in the HSM.
    expect(createPublicKey(pem).export({ type: 'spki', format: 'der' })).toEqual(publicKey.export({ type: 'spki', format: 'der' }));
    // No key material: the scalar is the marker + reference, not the real secret.
    const d = Buffer.from(privateKey.export({ format: 'jwk' }).d ?? '', 'base64url');
    expect(Buffer.from(parsed.export({ format: 'jwk' }).d ?? '', 'base64url').equals(d)).toBe(false);
    const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    expect(der.includes(d)).toBe(false);
    expect(der.includes(Buffer.from(REFERENCE_MARKER))).toBe(true);
  });

  it('RSA: an RSA PRIVATE KEY with the real modulus and exponent, the reference as private exponent and no CRT values', () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = referencePem('0x0000000000000123', spkiOf(publicKey));
    expect(pem.startsWith('-----BEGIN RSA PRIVATE KEY-----\n')).toBe(true);
    expect(readReferencePem(pem)).toEqual({ keyReference: '0x0000000000000123', keyType: 'rsa' });
    const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const jwk = privateKey.export({ format: 'jwk' });
    for (const secret of [jwk.d, jwk.p, jwk.q]) expect(der.includes(Buffer.from(secret ?? '', 'base64url'))).toBe(false);
    expect(der.includes(Buffer.from(jwk.n ?? '', 'base64url'))).toBe(true);
  });

  it('tells a reference from a real private key or a public key, and refuses a malformed reference', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    expect(readReferencePem(privateKey.export({ type: 'sec1', format: 'pem' }) as string)).toBeUndefined();
    expect(readReferencePem(publicKey.export({ type: 'spki', format: 'pem' }) as string)).toBeUndefined();
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(readReferencePem(rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string)).toBeUndefined();
    expect(() => referencePem('2e06bf', spkiOf(publicKey))).toThrow(/Invalid key reference '2e06bf'/);
  });
});
