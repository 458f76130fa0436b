/**
 * RSA against node:crypto (OpenSSL): signatures made by each side verify on the other for
 * PKCS#1 v1.5 and PSS with every hash, OAEP both ways, PKCS#1 v1.5 encryption both ways, and keys
 * we generate import into node. MGF1 with a hash other than the message hash (which node cannot
 * express) is checked against micro-rsa-dsa-dh. Seeded key generation and seeded PSS / OAEP
 * repeat byte for byte. RSA keys are few and shared: BigInt key generation costs up to seconds.
 * @module
 */
import {
  constants,
  createPrivateKey,
  createPublicKey,
  privateDecrypt,
  publicEncrypt,
  sign as nodeSign,
  verify as nodeVerify,
  type KeyObject,
} from 'node:crypto';
import fc from 'fast-check';
import { mgf1, OAEP, PSS } from 'micro-rsa-dsa-dh/rsa.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../../../src/crypto/bytes.ts';
import { HASH_NAMES, hashLength, nobleHash, type HashName } from '../../../src/crypto/hash.ts';
import { seededRandom, systemRandom } from '../../../src/crypto/random.ts';
import {
  bitLength,
  digestInfo,
  rsaGenerateKeyPair,
  rsaOaepDecrypt,
  rsaOaepEncrypt,
  rsaOaepMaxMessageBytes,
  rsaPkcs1Decrypt,
  rsaPkcs1Encrypt,
  rsaPkcs1Sign,
  rsaPkcs1Verify,
  rsaPssSign,
  rsaPssVerify,
  type RsaPrivateKey,
} from '../../../src/crypto/rsa.ts';
import { expectCryptoError } from './expect-crypto-error.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);

function b64url(x: bigint): string {
  let hex = x.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  return Buffer.from(hex, 'hex').toString('base64url');
}

function fromB64url(text: string): bigint {
  return BigInt('0x' + Buffer.from(text, 'base64url').toString('hex'));
}

/** Our key as node KeyObjects, through JWK (independent of our DER code). */
function toNode(key: RsaPrivateKey): { privateKey: KeyObject; publicKey: KeyObject } {
  const jwk = {
    kty: 'RSA',
    n: b64url(key.n),
    e: b64url(key.e),
    d: b64url(key.d),
    p: b64url(key.p),
    q: b64url(key.q),
    dp: b64url(key.dp),
    dq: b64url(key.dq),
    qi: b64url(key.qi),
  };
  const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

const PSS_PADDING = constants.RSA_PKCS1_PSS_PADDING;
const OAEP_PADDING = constants.RSA_PKCS1_OAEP_PADDING;

let key2048: RsaPrivateKey;
let node2048: ReturnType<typeof toNode>;

beforeAll(() => {
  key2048 = rsaGenerateKeyPair(2048, 65537n, seededRandom('rsa-2048 test key'));
  node2048 = toNode(key2048);
});

describe('key generation', () => {
  it('the same seed gives the same 2048-bit key; another seed another key', () => {
    const again = rsaGenerateKeyPair(2048, 65537n, seededRandom('rsa-2048 test key'));
    for (const field of ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'] as const) expect(again[field]).toBe(key2048[field]);
    const other = rsaGenerateKeyPair(2048, 65537n, seededRandom('another seed'));
    expect(other.n).not.toBe(key2048.n);
  });

  it('makes a well-formed key (FIPS 186-5 shape) that node accepts as its own', () => {
    const { n, e, d, p, q, dp, dq, qi } = key2048;
    expect(bitLength(n)).toBe(2048);
    expect(bitLength(p)).toBe(1024);
    expect(bitLength(q)).toBe(1024);
    expect(p * q).toBe(n);
    expect(p > q).toBe(true);
    const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));
    const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
    expect((e * d) % lambda).toBe(1n);
    expect(dp).toBe(d % (p - 1n));
    expect(dq).toBe(d % (q - 1n));
    expect((qi * q) % p).toBe(1n);
    const jwk = node2048.privateKey.export({ format: 'jwk' });
    expect(fromB64url(jwk.n!)).toBe(n);
    expect(fromB64url(jwk.d!)).toBe(d);
    expect(node2048.privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it.each([
    [3072, 65537n],
    [4096, 65539n],
  ] as const)('makes a %i-bit key with e = %s that signs and verifies with node', (bits, e) => {
    const key = rsaGenerateKeyPair(bits, e, systemRandom());
    expect(bitLength(key.n)).toBe(bits);
    expect(key.e).toBe(e);
    const { privateKey, publicKey } = toNode(key);
    expect(publicKey.asymmetricKeyDetails?.publicExponent).toBe(e);
    const message = utf8(`rsa-${bits}`);
    expect(nodeVerify('sha256', message, publicKey, rsaPkcs1Sign(key, 'sha256', message))).toBe(true);
    expect(rsaPkcs1Verify(key, 'sha512', message, nodeSign('sha512', message, privateKey))).toBe(true);
    const ciphertext = publicEncrypt({ key: publicKey, padding: OAEP_PADDING, oaepHash: 'sha384' }, message);
    expect(toHex(rsaOaepDecrypt(key, ciphertext, { hash: 'sha384' }))).toBe(toHex(message));
  });

  it('refuses sizes and exponents CloudHSM would refuse, naming the rule', () => {
    const random = systemRandom();
    expectCryptoError(() => rsaGenerateKeyPair(1024, 65537n, random), 'bad-input', /2048 to 4096 bits, got 1024/);
    expectCryptoError(() => rsaGenerateKeyPair(2047, 65537n, random), 'bad-input', /multiple of 8/);
    expectCryptoError(() => rsaGenerateKeyPair(2048, 3n, random), 'bad-input', /at least 65537.*got 3/);
    expectCryptoError(() => rsaGenerateKeyPair(2048, 65538n, random), 'bad-input', /must be odd/);
  });
});

describe.each(HASH_NAMES)('%s signatures agree with node:crypto', (hash) => {
  it('PKCS#1 v1.5 both ways, and over a given digest', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (message) => {
        const ours = rsaPkcs1Sign(key2048, hash, message);
        const theirs = new Uint8Array(nodeSign(hash, message, node2048.privateKey));
        // PKCS#1 v1.5 is deterministic: the two signatures are the same bytes.
        expect(toHex(ours)).toBe(toHex(theirs));
        expect(nodeVerify(hash, message, node2048.publicKey, ours)).toBe(true);
        expect(rsaPkcs1Verify(key2048, hash, message, theirs)).toBe(true);
        const digest = nobleHash(hash)(message);
        expect(toHex(rsaPkcs1Sign(key2048, hash, digest, { prehashed: true }))).toBe(toHex(ours));
        expect(rsaPkcs1Verify(key2048, hash, digest, theirs, { prehashed: true })).toBe(true);
        expect(rsaPkcs1Verify(key2048, hash, Uint8Array.of(...message, 0), theirs)).toBe(false);
      }),
      { numRuns: 6 },
    );
  });

  it('PSS both ways for salt lengths 0 to the hash length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 0, max: hashLength(hash) }), (message, saltLength) => {
        const ours = rsaPssSign(key2048, hash, message, { saltLength, random: systemRandom() });
        expect(nodeVerify(hash, message, { key: node2048.publicKey, padding: PSS_PADDING, saltLength }, ours)).toBe(true);
        const theirs = nodeSign(hash, message, { key: node2048.privateKey, padding: PSS_PADDING, saltLength });
        expect(rsaPssVerify(key2048, hash, message, theirs, { saltLength })).toBe(true);
        expect(rsaPssVerify(key2048, hash, nobleHash(hash)(message), theirs, { saltLength, prehashed: true })).toBe(true);
        expect(rsaPssVerify(key2048, hash, message, theirs, { saltLength: saltLength + 1 })).toBe(false);
        expect(rsaPssVerify(key2048, hash, Uint8Array.of(...message, 0), theirs, { saltLength })).toBe(false);
      }),
      { numRuns: 5 },
    );
  });
});

describe.each(HASH_NAMES)('OAEP with %s agrees with node:crypto', (hash) => {
  it('both ways, with and without a label, up to the longest message', () => {
    const max = rsaOaepMaxMessageBytes(key2048, hash);
    expect(max).toBe(256 - 2 * hashLength(hash) - 2);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: max }), fc.option(fc.uint8Array({ maxLength: 40 }), { nil: undefined }), (message, label) => {
        const ours = rsaOaepEncrypt(key2048, message, { hash, label, random: systemRandom() });
        const opened = privateDecrypt({ key: node2048.privateKey, padding: OAEP_PADDING, oaepHash: hash, oaepLabel: label }, ours);
        expect(toHex(opened)).toBe(toHex(message));
        const theirs = publicEncrypt({ key: node2048.publicKey, padding: OAEP_PADDING, oaepHash: hash, oaepLabel: label }, message);
        expect(toHex(rsaOaepDecrypt(key2048, theirs, { hash, label }))).toBe(toHex(message));
      }),
      { numRuns: 6 },
    );
    const longest = new Uint8Array(max).fill(7);
    const sealed = rsaOaepEncrypt(key2048, longest, { hash, random: systemRandom() });
    expect(toHex(rsaOaepDecrypt(key2048, sealed, { hash }))).toBe(toHex(longest));
  });
});

describe('MGF1 with a different hash (checked against micro-rsa-dsa-dh)', () => {
  const micro = () => ({ n: key2048.n, d: key2048.d });

  it('OAEP sha256 + MGF1-sha1 opens in micro-rsa-dsa-dh, and its ciphertext opens in ours', () => {
    const scheme = OAEP(nobleHash('sha256'), mgf1(nobleHash('sha1')));
    const message = utf8('wrapped key bytes');
    const ours = rsaOaepEncrypt(key2048, message, { hash: 'sha256', mgfHash: 'sha1', random: systemRandom() });
    expect(toHex(scheme.decrypt(micro(), ours))).toBe(toHex(message));
    const theirs = scheme.encrypt({ n: key2048.n, e: key2048.e }, message);
    expect(toHex(rsaOaepDecrypt(key2048, theirs, { hash: 'sha256', mgfHash: 'sha1' }))).toBe(toHex(message));
    expectCryptoError(() => rsaOaepDecrypt(key2048, theirs, { hash: 'sha256' }), 'bad-padding', /^RSA OAEP decryption failed$/);
  });

  it('PSS sha384 + MGF1-sha256 verifies in micro-rsa-dsa-dh, and its signature in ours', () => {
    const scheme = PSS(nobleHash('sha384'), mgf1(nobleHash('sha256')), 20);
    const message = utf8('pss with another mgf');
    const ours = rsaPssSign(key2048, 'sha384', message, { mgfHash: 'sha256', saltLength: 20, random: systemRandom() });
    expect(scheme.verify({ n: key2048.n, e: key2048.e }, message, ours)).toBe(true);
    const theirs = scheme.sign(micro(), message);
    expect(rsaPssVerify(key2048, 'sha384', message, theirs, { mgfHash: 'sha256', saltLength: 20 })).toBe(true);
    expect(rsaPssVerify(key2048, 'sha384', message, theirs, { saltLength: 20 })).toBe(false);
  });
});

describe('PKCS#1 v1.5 encryption', () => {
  it('node ciphertexts open in ours; ours carry a well-formed 00 02 PS 00 M block (node, no padding)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 245 }), (message) => {
        const theirs = publicEncrypt({ key: node2048.publicKey, padding: constants.RSA_PKCS1_PADDING }, message);
        expect(toHex(rsaPkcs1Decrypt(key2048, theirs))).toBe(toHex(message));
        const ours = rsaPkcs1Encrypt(key2048, message, systemRandom());
        // Node 20 refuses PKCS#1 v1.5 private decryption (CVE-2023-46809), so look at the raw block.
        const block = privateDecrypt({ key: node2048.privateKey, padding: constants.RSA_NO_PADDING }, ours);
        expect(block[0]).toBe(0);
        expect(block[1]).toBe(2);
        const padding = block.subarray(2, 256 - message.length - 1);
        expect(padding.length).toBeGreaterThanOrEqual(8);
        expect(padding.every((byte) => byte !== 0)).toBe(true);
        expect(block[256 - message.length - 1]).toBe(0);
        expect(toHex(block.subarray(256 - message.length))).toBe(toHex(message));
        expect(toHex(rsaPkcs1Decrypt(key2048, ours))).toBe(toHex(message));
      }),
      { numRuns: 10 },
    );
  });
});

describe('seeded operations repeat', () => {
  it('PSS signatures and OAEP / PKCS#1 ciphertexts are identical for the same seed', () => {
    const message = utf8('deterministic mode');
    const run = (seed: string) => [
      toHex(rsaPssSign(key2048, 'sha256', message, { saltLength: 32, random: seededRandom(seed) })),
      toHex(rsaOaepEncrypt(key2048, message, { hash: 'sha256', random: seededRandom(seed) })),
      toHex(rsaPkcs1Encrypt(key2048, message, seededRandom(seed))),
    ];
    expect(run('one')).toEqual(run('one'));
    expect(run('one')[0]).not.toBe(run('two')[0]);
  });
});

describe('DigestInfo', () => {
  it('matches the RFC 8017 §9.2 note 1 prefixes', () => {
    const prefixes: Record<HashName, string> = {
      sha1: '3021300906052b0e03021a05000414',
      sha224: '302d300d06096086480165030402040500041c',
      sha256: '3031300d060960864801650304020105000420',
      sha384: '3041300d060960864801650304020205000430',
      sha512: '3051300d060960864801650304020305000440',
    };
    for (const hash of HASH_NAMES) {
      const digest = new Uint8Array(hashLength(hash)).fill(0xab);
      expect(toHex(digestInfo(hash, digest))).toBe(prefixes[hash] + 'ab'.repeat(hashLength(hash)));
    }
  });
});

describe('malformed input', () => {
  const message = utf8('m');

  it('refuses an inconsistent private key', () => {
    expectCryptoError(() => rsaPkcs1Sign({ ...key2048, p: key2048.p + 2n }, 'sha256', message), 'bad-key', /p·q ≠ n/);
    expectCryptoError(() => rsaPkcs1Sign({ ...key2048, dp: key2048.dp + 1n }, 'sha256', message), 'bad-key', /CRT result failed/);
    expectCryptoError(() => rsaPkcs1Sign({ ...key2048, d: -1n }, 'sha256', message), 'bad-key', /field d must be a positive bigint/);
  });

  it('refuses a public key that is too small or has a bad exponent', () => {
    expectCryptoError(() => rsaPkcs1Verify({ n: (1n << 1023n) + 1n, e: 65537n }, 'sha256', message, new Uint8Array(128)), 'bad-key', /2048 to 16384 bits, got 1024/);
    expectCryptoError(() => rsaPkcs1Verify({ n: key2048.n, e: 65536n }, 'sha256', message, new Uint8Array(256)), 'bad-key', /exponent must be odd/);
  });

  it('returns false for signatures of the wrong length or value', () => {
    const signature = rsaPkcs1Sign(key2048, 'sha256', message);
    expect(rsaPkcs1Verify(key2048, 'sha256', message, signature.subarray(1))).toBe(false);
    expect(rsaPkcs1Verify(key2048, 'sha256', message, new Uint8Array(256).fill(0xff))).toBe(false);
    expect(rsaPssVerify(key2048, 'sha256', message, new Uint8Array(255), { saltLength: 32 })).toBe(false);
    expect(rsaPkcs1Verify(key2048, 'sha384', message, signature)).toBe(false);
  });

  it('names lengths: digest, salt, plaintext, ciphertext', () => {
    expectCryptoError(() => rsaPkcs1Sign(key2048, 'sha256', new Uint8Array(20), { prehashed: true }), 'bad-input', /sha256 digest must be 32 bytes, got 20/);
    expectCryptoError(() => rsaPssSign(key2048, 'sha512', message, { saltLength: 200, random: systemRandom() }), 'bad-input', /salt length 200 is too long.*at most 190/);
    expectCryptoError(() => rsaPssSign(key2048, 'sha256', message, { saltLength: -1, random: systemRandom() }), 'bad-input', /non-negative integer/);
    expectCryptoError(() => rsaOaepEncrypt(key2048, new Uint8Array(191), { hash: 'sha256', random: systemRandom() }), 'bad-input', /at most 190 bytes, got 191/);
    expectCryptoError(() => rsaPkcs1Encrypt(key2048, new Uint8Array(246), systemRandom()), 'bad-input', /at most 245 bytes, got 246/);
    expectCryptoError(() => rsaOaepDecrypt(key2048, new Uint8Array(255), { hash: 'sha256' }), 'bad-input', /must be 256 bytes for a 2048-bit key, got 255/);
    expectCryptoError(() => rsaOaepDecrypt(key2048, new Uint8Array(256).fill(0xff), { hash: 'sha256' }), 'bad-input', /not below the modulus/);
  });

  it('gives one fixed message for any padding failure', () => {
    const sealed = rsaOaepEncrypt(key2048, message, { hash: 'sha256', random: systemRandom() });
    const tampered = sealed.slice();
    tampered[100]! ^= 1;
    expectCryptoError(() => rsaOaepDecrypt(key2048, tampered, { hash: 'sha256' }), 'bad-padding', /^RSA OAEP decryption failed$/);
    expectCryptoError(() => rsaOaepDecrypt(key2048, sealed, { hash: 'sha256', label: utf8('x') }), 'bad-padding', /^RSA OAEP decryption failed$/);
    expectCryptoError(() => rsaPkcs1Decrypt(key2048, sealed), 'bad-padding', /^RSA PKCS#1 v1.5 decryption failed$/);
  });
});
