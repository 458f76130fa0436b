/**
 * SPKI, PKCS#8 and PEM interoperate with node:crypto and the OpenSSL command line: keys they make
 * parse in ours and re-encode to the very same bytes, keys we make import there and work, and the
 * Wycheproof key encodings decode to their published points. Malformed and unsupported keys get
 * precise CryptoErrors.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/crypto/bytes.ts';
import { derBitString, derNull, derOctetString, derOid, derSequence, derInteger } from '../../../src/crypto/der.ts';
import { CURVE_IDS, CURVES, ecdsaSign, ecdsaVerify, ecGenerateKeyPair, type CurveId } from '../../../src/crypto/ecdsa.ts';
import {
  ecPrivateKeyToPkcs8,
  ecPublicKeyToSpki,
  fromPem,
  pkcs8ToPrivateKey,
  rsaPrivateKeyToPkcs8,
  rsaPublicKeyToSpki,
  spkiToPublicKey,
  toPem,
} from '../../../src/crypto/keys-encoding.ts';
import { seededRandom } from '../../../src/crypto/random.ts';
import { rsaGenerateKeyPair, rsaPkcs1Sign, rsaPkcs1Verify, type RsaPrivateKey } from '../../../src/crypto/rsa.ts';
import { expectCryptoError } from './expect-crypto-error.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);
const der = (buffer: Buffer) => new Uint8Array(buffer);

function fromB64url(text: string): bigint {
  return BigInt('0x' + Buffer.from(text, 'base64url').toString('hex'));
}

describe.each(CURVE_IDS)('EC keys on %s', (curve: CurveId) => {
  it('node keys parse in ours and re-encode to the same bytes (SPKI, PKCS#8, PEM)', () => {
    const node = generateKeyPairSync('ec', { namedCurve: CURVES[curve].opensslName });
    const spki = der(node.publicKey.export({ format: 'der', type: 'spki' }));
    const pkcs8 = der(node.privateKey.export({ format: 'der', type: 'pkcs8' }));
    const publicKey = spkiToPublicKey(spki);
    const privateKey = pkcs8ToPrivateKey(pkcs8);
    if (publicKey.kind !== 'ec' || privateKey.kind !== 'ec') throw new Error('expected EC keys');
    expect(publicKey.curve).toBe(curve);
    expect(privateKey.curve).toBe(curve);
    expect(toHex(privateKey.publicKey)).toBe(toHex(publicKey.point));
    expect(toHex(ecPublicKeyToSpki(curve, publicKey.point))).toBe(toHex(spki));
    expect(toHex(ecPrivateKeyToPkcs8(curve, privateKey.privateKey, privateKey.publicKey))).toBe(toHex(pkcs8));
    expect(toPem('PUBLIC KEY', spki)).toBe(node.publicKey.export({ format: 'pem', type: 'spki' }));
    expect(toPem('PRIVATE KEY', pkcs8)).toBe(node.privateKey.export({ format: 'pem', type: 'pkcs8' }));
    // The parsed private key signs what node verifies.
    const message = utf8('parsed key');
    const signature = ecdsaSign(curve, privateKey.privateKey, message, { hash: 'sha256' });
    expect(nodeVerify('sha256', message, { key: node.publicKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
  });

  it('our keys import into node and work there', () => {
    const ours = ecGenerateKeyPair(curve, seededRandom(`keys-encoding ${curve}`));
    const privateKey = createPrivateKey(toPem('PRIVATE KEY', ecPrivateKeyToPkcs8(curve, ours.privateKey, ours.publicKey)));
    const publicKey = createPublicKey(toPem('PUBLIC KEY', ecPublicKeyToSpki(curve, ours.publicKey)));
    expect(privateKey.asymmetricKeyDetails?.namedCurve).toBe(CURVES[curve].opensslName);
    expect(toHex(der(createPublicKey(privateKey).export({ format: 'der', type: 'spki' })))).toBe(
      toHex(der(publicKey.export({ format: 'der', type: 'spki' }))),
    );
    const message = utf8('imported');
    const signature = der(nodeSign('sha384', message, { key: privateKey, dsaEncoding: 'ieee-p1363' }));
    expect(ecdsaVerify(curve, ours.publicKey, message, signature, { hash: 'sha384' })).toBe(true);
  });
});

describe('RSA keys', () => {
  let ours: RsaPrivateKey;
  beforeAll(() => {
    ours = rsaGenerateKeyPair(2048, 65537n, seededRandom('keys-encoding rsa'));
  });

  it('node keys parse in ours and re-encode to the same bytes', () => {
    const node = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const spki = der(node.publicKey.export({ format: 'der', type: 'spki' }));
    const pkcs8 = der(node.privateKey.export({ format: 'der', type: 'pkcs8' }));
    const publicKey = spkiToPublicKey(spki);
    const privateKey = pkcs8ToPrivateKey(pkcs8);
    if (publicKey.kind !== 'rsa' || privateKey.kind !== 'rsa') throw new Error('expected RSA keys');
    const jwk = node.privateKey.export({ format: 'jwk' });
    expect(publicKey.key.n).toBe(fromB64url(jwk.n!));
    expect(publicKey.key.e).toBe(65537n);
    for (const field of ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const) expect(privateKey.key[field]).toBe(fromB64url(jwk[field]!));
    expect(toHex(rsaPublicKeyToSpki(publicKey.key))).toBe(toHex(spki));
    expect(toHex(rsaPrivateKeyToPkcs8(privateKey.key))).toBe(toHex(pkcs8));
  });

  it('our keys import into node and work there', () => {
    const privateKey = createPrivateKey({ key: Buffer.from(rsaPrivateKeyToPkcs8(ours)), format: 'der', type: 'pkcs8' });
    const publicKey = createPublicKey({ key: Buffer.from(rsaPublicKeyToSpki(ours)), format: 'der', type: 'spki' });
    const message = utf8('rsa imported');
    expect(nodeVerify('sha256', message, publicKey, rsaPkcs1Sign(ours, 'sha256', message))).toBe(true);
    expect(rsaPkcs1Verify(ours, 'sha256', message, nodeSign('sha256', message, privateKey))).toBe(true);
  });

  it('the OpenSSL command line reads our PEM files and we read its', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keys-encoding-'));
    const rsaPath = join(dir, 'rsa.pem');
    writeFileSync(rsaPath, toPem('PRIVATE KEY', rsaPrivateKeyToPkcs8(ours)));
    const rsaPublicPem = execFileSync('openssl', ['pkey', '-in', rsaPath, '-pubout'], { encoding: 'utf8' });
    expect(rsaPublicPem).toBe(toPem('PUBLIC KEY', rsaPublicKeyToSpki(ours)));

    const ec = ecGenerateKeyPair('secp224r1', seededRandom('openssl p224'));
    const ecPath = join(dir, 'ec.pem');
    writeFileSync(ecPath, toPem('PRIVATE KEY', ecPrivateKeyToPkcs8('secp224r1', ec.privateKey, ec.publicKey)));
    const ecPublicPem = execFileSync('openssl', ['pkey', '-in', ecPath, '-pubout'], { encoding: 'utf8' });
    expect(ecPublicPem).toBe(toPem('PUBLIC KEY', ecPublicKeyToSpki('secp224r1', ec.publicKey)));

    const generated = join(dir, 'generated.pem');
    execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:secp521r1', '-out', generated]);
    const parsed = pkcs8ToPrivateKey(fromPem(readFileSync(generated, 'utf8')).der);
    expect(parsed.kind === 'ec' && parsed.curve).toBe('p521');
  });
});

describe('Wycheproof key encodings', () => {
  it.each(['ecdsa_secp256r1_sha256_p1363_test.json', 'ecdsa_secp256k1_sha256_p1363_test.json'])('%s: DER and PEM give the published point', (file) => {
    const data = JSON.parse(readFileSync(new URL(`../../vectors/wycheproof/${file}`, import.meta.url), 'utf8')) as {
      testGroups: { publicKey: { uncompressed: string }; publicKeyDer: string; publicKeyPem: string }[];
    };
    let checked = 0;
    for (const group of data.testGroups) {
      const fromDer = spkiToPublicKey(fromHex(group.publicKeyDer));
      const fromPemText = spkiToPublicKey(fromPem(group.publicKeyPem).der);
      if (fromDer.kind !== 'ec' || fromPemText.kind !== 'ec') throw new Error('expected EC');
      expect(toHex(fromDer.point)).toBe(group.publicKey.uncompressed);
      expect(toHex(fromPemText.point)).toBe(group.publicKey.uncompressed);
      checked++;
    }
    expect(checked).toBe(data.testGroups.length);
  });
});

describe('PEM', () => {
  const body = Uint8Array.from({ length: 100 }, (_, i) => i);
  const pem = toPem('PUBLIC KEY', body);

  it('writes 64-character lines and reads them back, CRLF and surrounding blanks included', () => {
    const lines = pem.trimEnd().split('\n');
    expect(lines[0]).toBe('-----BEGIN PUBLIC KEY-----');
    expect(lines[1]!.length).toBe(64);
    expect(lines.at(-1)).toBe('-----END PUBLIC KEY-----');
    expect(toHex(fromPem(pem).der)).toBe(toHex(body));
    expect(fromPem(`\n  ${pem.replace(/\n/g, '\r\n')}  \n`).label).toBe('PUBLIC KEY');
  });

  it('refuses anything else with a message saying what', () => {
    expectCryptoError(() => fromPem('hello'), 'bad-encoding', /must start with a "-----BEGIN <label>-----" line/);
    expectCryptoError(() => fromPem(pem.replace('END PUBLIC', 'END PRIVATE')), 'bad-encoding', /does not match BEGIN PUBLIC KEY/);
    expectCryptoError(() => fromPem(pem.replace(/-----END.*\n/, '')), 'bad-encoding', /no "-----END PUBLIC KEY-----" line/);
    expectCryptoError(() => fromPem(pem + pem), 'bad-encoding', /text after the END line/);
    expectCryptoError(() => fromPem(pem.replace('AAECAwQF', 'AAEC*wQF')), 'bad-encoding', /PEM body: base64 has an invalid character "\*"/);
    expectCryptoError(() => fromPem('-----BEGIN X-----\n-----END X-----'), 'bad-encoding', /body is empty/);
    expectCryptoError(
      () => fromPem('-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\nAAAA\n-----END RSA PRIVATE KEY-----'),
      'unsupported',
      /encrypted PEM is not supported/,
    );
    expectCryptoError(() => toPem('public key', body), 'bad-input', /upper-case words/);
  });
});

describe('malformed and unsupported keys', () => {
  const ec = ecGenerateKeyPair('p256', seededRandom('malformed keys'));

  it('names an unsupported algorithm or curve', () => {
    const ed = generateKeyPairSync('ed25519');
    expectCryptoError(() => spkiToPublicKey(der(ed.publicKey.export({ format: 'der', type: 'spki' }))), 'unsupported', /algorithm OID 1\.3\.101\.112/);
    const pss = generateKeyPairSync('rsa-pss', { modulusLength: 2048 });
    expectCryptoError(() => pkcs8ToPrivateKey(der(pss.privateKey.export({ format: 'der', type: 'pkcs8' }))), 'unsupported', /RSASSA-PSS-restricted/);
    const p192 = generateKeyPairSync('ec', { namedCurve: 'prime192v1' });
    expectCryptoError(() => spkiToPublicKey(der(p192.publicKey.export({ format: 'der', type: 'spki' }))), 'unsupported', /curve OID 1\.2\.840\.10045\.3\.1\.1/);
  });

  it('refuses a point off the curve, a mismatched key pair and bad structure', () => {
    const spki = ecPublicKeyToSpki('p256', ec.publicKey);
    const offCurve = spki.slice();
    offCurve[offCurve.length - 1]! ^= 1;
    expectCryptoError(() => spkiToPublicKey(offCurve), 'bad-point', /not a point on p256/);
    const other = ecGenerateKeyPair('p256', seededRandom('other key'));
    expectCryptoError(() => ecPrivateKeyToPkcs8('p256', ec.privateKey, other.publicKey), 'bad-key', /does not belong to the private key/);
    expectCryptoError(() => spkiToPublicKey(spki.subarray(0, spki.length - 1)), 'bad-encoding', /claims/);
    expectCryptoError(() => spkiToPublicKey(derSequence(derNull())), 'bad-encoding', /SubjectPublicKeyInfo must have 2 elements, found 1/);
    // A PKCS#8 whose embedded public key belongs to another private key.
    const forged = derSequence(
      derInteger(0n),
      derSequence(derOid('1.2.840.10045.2.1'), derOid('1.2.840.10045.3.1.7')),
      derOctetString(derSequence(derInteger(1n), derOctetString(ec.privateKey), new Uint8Array([0xa1, 0x44, ...derBitString(other.publicKey)]))),
    );
    expectCryptoError(() => pkcs8ToPrivateKey(forged), 'bad-key', /embedded public key does not match/);
    // A private scalar of the wrong width.
    const short = derSequence(
      derInteger(0n),
      derSequence(derOid('1.2.840.10045.2.1'), derOid('1.2.840.10045.3.1.7')),
      derOctetString(derSequence(derInteger(1n), derOctetString(ec.privateKey.subarray(1)))),
    );
    expectCryptoError(() => pkcs8ToPrivateKey(short), 'bad-key', /must be 32 bytes, got 31/);
  });
});
