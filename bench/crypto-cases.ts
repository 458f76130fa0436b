/**
 * The crypto benchmark cases, the same in Node and in Chromium: per primitive and input size,
 * one case per engine that can serve it — noble (the baseline), hash-wasm (WebAssembly),
 * WebCrypto, an optional platform reference (node:crypto, passed in by the Node entry) — plus
 * our own API (`src/crypto → <engine>`, and `src/crypto async → <engine>` for the asynchronous
 * facade src/crypto/accelerated.ts, unseeded), which shows what the chosen engine costs once wrapped.
 * @module
 */
import { gcm } from '@noble/ciphers/aes.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { createHMAC, createSHA256 } from 'hash-wasm';
import { aesGcmEncryptAsync, ecdsaPrimitive, signEcdsa, signRsaPkcs1, signRsaPss, verifyEcdsa, verifyRsaPkcs1, verifyRsaPss } from '../src/crypto/accelerated.ts';
import { aesGcmEncrypt } from '../src/crypto/aes.ts';
import { ecdsaSign, ecdsaVerify, ecPublicKey, type CurveId } from '../src/crypto/ecdsa.ts';
import { engineFor, initEngines, SWITCHABLE_PRIMITIVES, type SwitchablePrimitive } from '../src/crypto/engines.ts';
import { digest } from '../src/crypto/hash.ts';
import { hmac } from '../src/crypto/hmac.ts';
import { rsaPkcs1Sign, rsaPkcs1Verify, rsaPssSign, rsaPssVerify } from '../src/crypto/rsa.ts';
import { systemRandom } from '../src/crypto/random.ts';
import { RSA_VECTOR, rsaSelfTestKey } from '../src/crypto/self-test.ts';
import type { BenchCase } from './measure.ts';

/** A platform's own implementation, used as a reference only (it never serves the HSM). */
export interface ReferenceEngine {
  name: string;
  sha256(data: Uint8Array): unknown;
  hmacSha256(key: Uint8Array, data: Uint8Array): unknown;
  aes256GcmEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): unknown;
  /** Sign and verify functions for a curve (by OpenSSL name), or undefined if unsupported. */
  ecdsa(opensslCurve: string, privateKey: Uint8Array, publicKey: Uint8Array): { sign(m: Uint8Array): unknown; verify(m: Uint8Array): unknown } | undefined;
  /** RSA-2048 PKCS#1 v1.5 SHA-256 signer for the JWK-form key. */
  rsaPkcs1Sha256(jwk: JsonWebKey): (m: Uint8Array) => unknown;
}

export const SIZES: readonly { label: string; bytes: number }[] = [
  { label: '64 B', bytes: 64 },
  { label: '1 KiB', bytes: 1024 },
  { label: '64 KiB', bytes: 64 * 1024 },
];

/** Curves benchmarked: noble object, WebCrypto name (if WebCrypto has the curve), hash, private key. */
const CURVES = [
  { id: 'p256', label: 'P-256', openssl: 'prime256v1', noble: p256, webcrypto: 'P-256', hash: 'sha256', webHash: 'SHA-256' },
  { id: 'p384', label: 'P-384', openssl: 'secp384r1', noble: p384, webcrypto: 'P-384', hash: 'sha384', webHash: 'SHA-384' },
  { id: 'p521', label: 'P-521', openssl: 'secp521r1', noble: p521, webcrypto: 'P-521', hash: 'sha512', webHash: 'SHA-512' },
  { id: 'secp256k1', label: 'secp256k1', openssl: 'secp256k1', noble: secp256k1, webcrypto: undefined, hash: 'sha256', webHash: 'SHA-256' },
] as const;

/** Which engine src/crypto uses (unseeded) for a benchmarked primitive (the reference where there is no switch). */
export function chosenEngine(primitive: string): string {
  const switchable: Record<string, SwitchablePrimitive> = {
    'SHA-256': 'digest',
    'HMAC-SHA256': 'hmac',
    'AES-256-GCM encrypt': 'aes-gcm',
    'RSA-2048 PKCS#1 v1.5 sign': 'rsa-pkcs1-sign',
    'RSA-2048 PKCS#1 v1.5 verify': 'rsa-pkcs1-verify',
    'RSA-2048 PSS sign': 'rsa-pss-sign',
    'RSA-2048 PSS verify': 'rsa-pss-verify',
  };
  for (const curve of CURVES) {
    const sign = ecdsaPrimitive(curve.id as CurveId, 'sign');
    const verify = ecdsaPrimitive(curve.id as CurveId, 'verify');
    if (sign) switchable[`ECDSA ${curve.label} sign`] = sign;
    if (verify) switchable[`ECDSA ${curve.label} verify`] = verify;
  }
  const p = switchable[primitive];
  if (p && (SWITCHABLE_PRIMITIVES as readonly string[]).includes(p)) return engineFor(p);
  return primitive.startsWith('RSA') ? 'bigint' : 'noble';
}

function filled(n: number, seed: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

const hexToB64url = (hex: string) => {
  const bytes = Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

/** The RSA self-test key as a JWK, for WebCrypto and node:crypto. */
export function rsaJwk(): JsonWebKey {
  const k = RSA_VECTOR.key;
  return { kty: 'RSA', n: hexToB64url(k.n), e: hexToB64url(k.e), d: hexToB64url(k.d), p: hexToB64url(k.p), q: hexToB64url(k.q), dp: hexToB64url(k.dp), dq: hexToB64url(k.dq), qi: hexToB64url(k.qi) };
}

/** Every case, grouped by primitive and size, noble first in each group (the ratio baseline). */
export async function cryptoCases(reference?: ReferenceEngine): Promise<BenchCase[]> {
  await initEngines();
  const subtle = globalThis.crypto.subtle;
  const cases: BenchCase[] = [];
  const add = (primitive: string, size: string, engine: string, run: () => unknown, baseline = false) =>
    cases.push({ primitive, size, engine, run, baseline });

  const wasmSha256 = await createSHA256();
  const hmacKey = filled(32, 7);
  const wasmHmac = await createHMAC(createSHA256(), hmacKey);
  const webHmacKey = await subtle.importKey('raw', hmacKey, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const aesKey = filled(32, 3);
  const iv = filled(12, 5);
  const webAesKey = await subtle.importKey('raw', aesKey, 'AES-GCM', false, ['encrypt']);

  for (const { label, bytes } of SIZES) {
    const data = filled(bytes, 1);
    add('SHA-256', label, 'noble', () => sha256(data), true);
    add('SHA-256', label, 'hash-wasm', () => wasmSha256.init().update(data).digest('binary'));
    add('SHA-256', label, 'webcrypto', () => subtle.digest('SHA-256', data));
    if (reference) add('SHA-256', label, reference.name, () => reference.sha256(data));
    add('SHA-256', label, `src/crypto → ${engineFor('digest')}`, () => digest('sha256', data));
  }
  for (const { label, bytes } of SIZES) {
    const data = filled(bytes, 2);
    add('HMAC-SHA256', label, 'noble', () => nobleHmac(sha256, hmacKey, data), true);
    add('HMAC-SHA256', label, 'hash-wasm', () => wasmHmac.init().update(data).digest('binary'));
    add('HMAC-SHA256', label, 'webcrypto', () => subtle.sign('HMAC', webHmacKey, data));
    if (reference) add('HMAC-SHA256', label, reference.name, () => reference.hmacSha256(hmacKey, data));
    add('HMAC-SHA256', label, `src/crypto → ${engineFor('hmac')}`, () => hmac('sha256', hmacKey, data));
  }
  for (const { label, bytes } of SIZES) {
    const data = filled(bytes, 4);
    add('AES-256-GCM encrypt', label, 'noble', () => gcm(aesKey, iv).encrypt(data), true);
    add('AES-256-GCM encrypt', label, 'webcrypto', () => subtle.encrypt({ name: 'AES-GCM', iv }, webAesKey, data));
    if (reference) add('AES-256-GCM encrypt', label, reference.name, () => reference.aes256GcmEncrypt(aesKey, iv, data));
    add('AES-256-GCM encrypt', label, 'src/crypto → noble', () => aesGcmEncrypt(aesKey, iv, data));
    const served = engineFor('aes-gcm', { deterministic: false, bytes });
    add('AES-256-GCM encrypt', label, `src/crypto async → ${served}`, () => aesGcmEncryptAsync(aesKey, iv, data, { deterministic: false }));
  }

  const message = filled(100, 9);
  for (const curve of CURVES) {
    const privateKey = curve.noble.utils.randomSecretKey();
    const publicKey = ecPublicKey(curve.id as CurveId, privateKey);
    const signature = curve.noble.sign(message, privateKey);
    const ours = ecdsaSign(curve.id as CurveId, privateKey, message, { hash: curve.hash });
    const web = curve.webcrypto ? await webEcdsa(curve.webcrypto, curve.webHash, privateKey, publicKey, message) : undefined;
    const ref = reference?.ecdsa(curve.openssl, privateKey, publicKey);
    const sign = `ECDSA ${curve.label} sign`;
    const verify = `ECDSA ${curve.label} verify`;
    add(sign, '-', 'noble', () => curve.noble.sign(message, privateKey), true);
    if (web) add(sign, '-', 'webcrypto', web.sign);
    if (ref) add(sign, '-', reference!.name, () => ref.sign(message));
    add(sign, '-', 'src/crypto → noble', () => ecdsaSign(curve.id as CurveId, privateKey, message, { hash: curve.hash }));
    const signPrimitive = ecdsaPrimitive(curve.id as CurveId, 'sign');
    if (signPrimitive) {
      add(sign, '-', `src/crypto async → ${engineFor(signPrimitive)}`, () =>
        signEcdsa(curve.id as CurveId, privateKey, message, { hash: curve.hash, deterministic: false }));
    }
    add(verify, '-', 'noble', () => curve.noble.verify(signature, message, publicKey), true);
    if (web) add(verify, '-', 'webcrypto', web.verify);
    if (ref) add(verify, '-', reference!.name, () => ref.verify(message));
    add(verify, '-', 'src/crypto → noble', () => ecdsaVerify(curve.id as CurveId, publicKey, message, ours, { hash: curve.hash }));
    const verifyPrimitive = ecdsaPrimitive(curve.id as CurveId, 'verify');
    if (verifyPrimitive) {
      add(verify, '-', `src/crypto async → ${engineFor(verifyPrimitive)}`, () =>
        verifyEcdsa(curve.id as CurveId, publicKey, message, ours, { hash: curve.hash, deterministic: false }));
    }
  }

  // RSA: noble has no RSA; the baseline is our BigInt implementation (src/crypto/rsa.ts).
  const rsaKey = rsaSelfTestKey();
  const webRsaKey = await subtle.importKey('jwk', rsaJwk(), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
  add('RSA-2048 PKCS#1 v1.5 sign', '-', 'bigint', () => rsaPkcs1Sign(rsaKey, 'sha256', message), true);
  add('RSA-2048 PKCS#1 v1.5 sign', '-', 'webcrypto', () => subtle.sign('RSASSA-PKCS1-v1_5', webRsaKey, message));
  if (reference) {
    const sign = reference.rsaPkcs1Sha256(rsaJwk());
    add('RSA-2048 PKCS#1 v1.5 sign', '-', reference.name, () => sign(message));
  }
  add('RSA-2048 PKCS#1 v1.5 sign', '-', `src/crypto async → ${engineFor('rsa-pkcs1-sign')}`, () => signRsaPkcs1(rsaKey, 'sha256', message, { deterministic: false }));
  const rsaPub = { n: rsaKey.n, e: rsaKey.e };
  const pkcs1Signature = new Uint8Array(rsaPkcs1Sign(rsaKey, 'sha256', message));
  const webRsaPub = await subtle.importKey('jwk', { kty: 'RSA', n: rsaJwk().n!, e: rsaJwk().e! }, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']);
  add('RSA-2048 PKCS#1 v1.5 verify', '-', 'bigint', () => rsaPkcs1Verify(rsaPub, 'sha256', message, pkcs1Signature), true);
  add('RSA-2048 PKCS#1 v1.5 verify', '-', 'webcrypto', () => subtle.verify('RSASSA-PKCS1-v1_5', webRsaPub, pkcs1Signature, message));
  add('RSA-2048 PKCS#1 v1.5 verify', '-', `src/crypto async → ${engineFor('rsa-pkcs1-verify')}`, () =>
    verifyRsaPkcs1(rsaPub, 'sha256', message, pkcs1Signature, { deterministic: false }));
  const pss = { name: 'RSA-PSS', saltLength: 32 };
  const webPssKey = await subtle.importKey('jwk', rsaJwk(), { name: 'RSA-PSS', hash: 'SHA-256' }, false, ['sign']);
  const webPssPub = await subtle.importKey('jwk', { kty: 'RSA', n: rsaJwk().n!, e: rsaJwk().e! }, { name: 'RSA-PSS', hash: 'SHA-256' }, false, ['verify']);
  const pssSignature = new Uint8Array(rsaPssSign(rsaKey, 'sha256', message, { saltLength: 32, random: systemRandom() }));
  add('RSA-2048 PSS sign', '-', 'bigint', () => rsaPssSign(rsaKey, 'sha256', message, { saltLength: 32, random: systemRandom() }), true);
  add('RSA-2048 PSS sign', '-', 'webcrypto', () => subtle.sign(pss, webPssKey, message));
  add('RSA-2048 PSS sign', '-', `src/crypto async → ${engineFor('rsa-pss-sign')}`, () =>
    signRsaPss(rsaKey, 'sha256', message, { saltLength: 32, random: systemRandom(), deterministic: false }));
  add('RSA-2048 PSS verify', '-', 'bigint', () => rsaPssVerify(rsaPub, 'sha256', message, pssSignature, { saltLength: 32 }), true);
  add('RSA-2048 PSS verify', '-', 'webcrypto', () => subtle.verify(pss, webPssPub, pssSignature, message));
  add('RSA-2048 PSS verify', '-', `src/crypto async → ${engineFor('rsa-pss-verify')}`, () =>
    verifyRsaPss(rsaPub, 'sha256', message, pssSignature, { saltLength: 32, deterministic: false }));
  return cases;
}

/** WebCrypto ECDSA sign/verify closures for a key given as noble bytes (imported once). */
async function webEcdsa(namedCurve: string, hash: string, privateKey: Uint8Array, publicKey: Uint8Array, message: Uint8Array<ArrayBuffer>) {
  const subtle = globalThis.crypto.subtle;
  const n = (publicKey.length - 1) / 2;
  const b64 = (bytes: Uint8Array) => {
    let s = '';
    for (const b of bytes) s += String.fromCharCode(b);
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  };
  const jwk = { kty: 'EC', crv: namedCurve, x: b64(publicKey.subarray(1, 1 + n)), y: b64(publicKey.subarray(1 + n)) };
  const priv = await subtle.importKey('jwk', { ...jwk, d: b64(privateKey) }, { name: 'ECDSA', namedCurve }, false, ['sign']);
  const pub = await subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve }, false, ['verify']);
  const algorithm = { name: 'ECDSA', hash };
  const signature = await subtle.sign(algorithm, priv, message);
  return {
    sign: () => subtle.sign(algorithm, priv, message),
    verify: () => subtle.verify(algorithm, pub, signature, message),
  };
}
