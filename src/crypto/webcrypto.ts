/**
 * The WebCrypto engine (`crypto.subtle`, the platform's native code): ECDSA sign / verify on
 * P-256, P-384 and P-521 (raw r‖s, which is WebCrypto's own signature format), AES-GCM encrypt /
 * decrypt with any tag length WebCrypto supports, and RSA PKCS#1 v1.5 / PSS sign and verify.
 * Every function is asynchronous and expects arguments the caller has already checked; choosing
 * between this engine and the reference, and validating, is src/crypto/accelerated.ts's job.
 *
 * Keys are imported once per key-material object: a WeakMap keyed by the caller's Uint8Array (AES
 * key, EC scalar, EC point) or RSA key object holds the CryptoKey (per algorithm variant, since an
 * RSA CryptoKey is bound to one hash), so repeated use of one HSM key costs one import, and the
 * entry goes away with the key. CryptoKeys are imported non-extractable. A key WebCrypto refuses
 * to import (AES-192 in Chromium, for instance) is remembered too, and every call with it throws
 * {@link WebCryptoUnsupported} so the caller can use the reference engine instead.
 * @module
 */
import { CURVES, ecPublicKey, ecValidatePublicKey, type CurveId } from './ecdsa.ts';
import { CryptoError } from './errors.ts';
import type { HashName } from './hash-names.ts';
import { ecPrivateKeyToPkcs8, rsaPrivateKeyToPkcs8, rsaPublicKeyToSpki } from './keys-encoding.ts';
import type { RsaPrivateKey, RsaPublicKey } from './rsa.ts';

/** The curves WebCrypto has, with their WebCrypto names. */
export const WEBCRYPTO_CURVES: Readonly<Partial<Record<CurveId, 'P-256' | 'P-384' | 'P-521'>>> = {
  p256: 'P-256',
  p384: 'P-384',
  p521: 'P-521',
};

/** The hashes WebCrypto has (no SHA-224), with their WebCrypto names. */
export const WEBCRYPTO_HASHES: Readonly<Partial<Record<HashName, string>>> = {
  sha1: 'SHA-1',
  sha256: 'SHA-256',
  sha384: 'SHA-384',
  sha512: 'SHA-512',
};

/** GCM tag lengths in bytes WebCrypto accepts (Web Crypto API §AES-GCM: 32, 64, 96–128 bits). */
export const WEBCRYPTO_GCM_TAG_LENGTHS: readonly number[] = [4, 8, 12, 13, 14, 15, 16];

/**
 * GCM IV lengths in bytes WebCrypto serves here. Node 20.20's WebCrypto rejects IVs of 8–11 and
 * over 128 bytes with an OperationError — on decryption indistinguishable from a wrong tag — so
 * those IVs (legal, and served by noble) never reach it. CloudHSM's own IVs are 12 bytes.
 */
export const WEBCRYPTO_GCM_IV_BYTES = { min: 12, max: 128 } as const;

/** The one public exponent every WebCrypto implementation imports (BoringSSL refuses very large ones). */
export const WEBCRYPTO_RSA_EXPONENT = 65537n;

/** Thrown when WebCrypto cannot take a key or parameter set: the caller falls back to the reference engine. */
export class WebCryptoUnsupported extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebCryptoUnsupported';
  }
}

/** Same text as the noble path (src/crypto/aes.ts), so callers see one message whichever engine served. */
const GCM_AUTH_FAILED = 'AES-GCM tag does not match: wrong key, IV or AAD, or the data was altered';

/** Counters for tests and benchmarks: how many imports reached `crypto.subtle.importKey`. */
export const webCryptoStats = { imports: 0 };

type CachedKey = Promise<CryptoKey | WebCryptoUnsupported>;
const keyCache = new WeakMap<object, Map<string, CachedKey>>();

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (s === undefined) throw new WebCryptoUnsupported('crypto.subtle is not available here');
  return s;
}

/** A view WebCrypto accepts (its BufferSource must be backed by an ArrayBuffer, not a SharedArrayBuffer). */
function buffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}

/**
 * The CryptoKey for (`owner`, `variant`), imported by `load` on first use. Concurrent first uses
 * share one import; a refused import is cached as refused.
 */
async function cachedKey(owner: object, variant: string, load: () => Promise<CryptoKey>): Promise<CryptoKey> {
  let variants = keyCache.get(owner);
  if (variants === undefined) {
    variants = new Map();
    keyCache.set(owner, variants);
  }
  let entry = variants.get(variant);
  if (entry === undefined) {
    webCryptoStats.imports++;
    entry = load().catch((error: unknown) => new WebCryptoUnsupported(`WebCrypto refused the key (${variant}): ${error instanceof Error ? error.message : String(error)}`));
    variants.set(variant, entry);
  }
  const key = await entry;
  if (key instanceof WebCryptoUnsupported) throw key;
  return key;
}

function webHash(hash: HashName): string {
  const name = WEBCRYPTO_HASHES[hash];
  if (name === undefined) throw new WebCryptoUnsupported(`WebCrypto has no ${hash}`);
  return name;
}

function webCurve(curve: CurveId): 'P-256' | 'P-384' | 'P-521' {
  const name = WEBCRYPTO_CURVES[curve];
  if (name === undefined) throw new WebCryptoUnsupported(`WebCrypto has no curve ${curve}`);
  return name;
}

// ---------------------------------------------------------------------------------------------
// ECDSA
// ---------------------------------------------------------------------------------------------

/**
 * ECDSA signature (raw r‖s) over `data` hashed with `hash`, with a random nonce (not RFC 6979).
 * The private scalar is imported as PKCS#8; its public point is derived on the first use only.
 * @throws WebCryptoUnsupported for SHA-224, secp224r1 / secp256k1, or a key WebCrypto refuses.
 */
export async function webEcdsaSign(curve: CurveId, privateKey: Uint8Array, data: Uint8Array, hash: HashName): Promise<Uint8Array> {
  const namedCurve = webCurve(curve);
  const algorithm = { name: 'ECDSA', hash: webHash(hash) };
  const key = await cachedKey(privateKey, `ECDSA/${namedCurve}/sign`, async () => {
    const pkcs8 = ecPrivateKeyToPkcs8(curve, privateKey, ecPublicKey(curve, privateKey));
    return subtle().importKey('pkcs8', buffer(pkcs8), { name: 'ECDSA', namedCurve }, false, ['sign']);
  });
  return new Uint8Array(await subtle().sign(algorithm, key, buffer(data)));
}

/**
 * ECDSA verification of a raw r‖s signature; high-S accepted. `publicKey` must be a valid
 * or compressed point. Resolves false, never rejects, for a malformed signature.
 * @throws WebCryptoUnsupported for SHA-224, secp224r1 / secp256k1, or a key WebCrypto refuses.
 */
export async function webEcdsaVerify(curve: CurveId, publicKey: Uint8Array, data: Uint8Array, signature: Uint8Array, hash: HashName): Promise<boolean> {
  const namedCurve = webCurve(curve);
  const algorithm = { name: 'ECDSA', hash: webHash(hash) };
  // The point is checked with the reference code on the first use only (it also uncompresses it).
  const key = await cachedKey(publicKey, `ECDSA/${namedCurve}/verify`, async () =>
    subtle().importKey('raw', buffer(ecValidatePublicKey(curve, publicKey)), { name: 'ECDSA', namedCurve }, false, ['verify']),
  );
  if (signature.length !== 2 * CURVES[curve].scalarBytes) return false;
  try {
    return await subtle().verify(algorithm, key, buffer(signature), buffer(data));
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// AES-GCM
// ---------------------------------------------------------------------------------------------

function aesGcmKey(key: Uint8Array): Promise<CryptoKey> {
  return cachedKey(key, 'AES-GCM', () => subtle().importKey('raw', buffer(key), 'AES-GCM', false, ['encrypt', 'decrypt']));
}

function gcmParams(iv: Uint8Array, aad: Uint8Array | undefined, tagLength: number): AesGcmParams {
  if (!WEBCRYPTO_GCM_TAG_LENGTHS.includes(tagLength)) throw new WebCryptoUnsupported(`WebCrypto has no ${tagLength}-byte GCM tag`);
  if (iv.length < WEBCRYPTO_GCM_IV_BYTES.min || iv.length > WEBCRYPTO_GCM_IV_BYTES.max) {
    throw new WebCryptoUnsupported(`WebCrypto is not given ${iv.length}-byte GCM IVs (it serves ${WEBCRYPTO_GCM_IV_BYTES.min} to ${WEBCRYPTO_GCM_IV_BYTES.max})`);
  }
  const params: AesGcmParams = { name: 'AES-GCM', iv: buffer(iv), tagLength: tagLength * 8 };
  if (aad !== undefined) params.additionalData = buffer(aad);
  return params;
}

/** AES-GCM encryption: ciphertext ‖ tag (`tagLength` bytes). */
export async function webAesGcmEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array | undefined, tagLength: number): Promise<Uint8Array> {
  const params = gcmParams(iv, aad, tagLength);
  const cryptoKey = await aesGcmKey(key);
  try {
    return new Uint8Array(await subtle().encrypt(params, cryptoKey, buffer(plaintext)));
  } catch (error) {
    throw new WebCryptoUnsupported(`WebCrypto AES-GCM encryption failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * AES-GCM decryption of ciphertext ‖ tag.
 * @throws CryptoError `'auth-failed'` (the noble path's message) when the tag does not match.
 */
export async function webAesGcmDecrypt(key: Uint8Array, iv: Uint8Array, ciphertextAndTag: Uint8Array, aad: Uint8Array | undefined, tagLength: number): Promise<Uint8Array> {
  const params = gcmParams(iv, aad, tagLength);
  const cryptoKey = await aesGcmKey(key);
  try {
    return new Uint8Array(await subtle().decrypt(params, cryptoKey, buffer(ciphertextAndTag)));
  } catch {
    // WebCrypto reports a wrong tag as an OperationError and releases no plaintext.
    throw new CryptoError('auth-failed', GCM_AUTH_FAILED);
  }
}

// ---------------------------------------------------------------------------------------------
// RSA
// ---------------------------------------------------------------------------------------------

type RsaScheme = 'RSASSA-PKCS1-v1_5' | 'RSA-PSS';

function rsaKey(key: RsaPublicKey, scheme: RsaScheme, hash: HashName, usage: 'sign' | 'verify'): Promise<CryptoKey> {
  if (key.e !== WEBCRYPTO_RSA_EXPONENT) throw new WebCryptoUnsupported(`WebCrypto takes RSA keys with exponent 65537 only, not ${key.e}`);
  const algorithm = { name: scheme, hash: webHash(hash) };
  return cachedKey(key, `${scheme}/${algorithm.hash}/${usage}`, async () =>
    usage === 'sign'
      ? subtle().importKey('pkcs8', buffer(rsaPrivateKeyToPkcs8(key as RsaPrivateKey)), algorithm, false, ['sign'])
      : subtle().importKey('spki', buffer(rsaPublicKeyToSpki({ n: key.n, e: key.e })), algorithm, false, ['verify']),
  );
}

/** RSASSA-PKCS1-v1_5 signature of `data` hashed with `hash` (deterministic: byte-identical to the BigInt engine). */
export async function webRsaPkcs1Sign(key: RsaPrivateKey, hash: HashName, data: Uint8Array): Promise<Uint8Array> {
  const cryptoKey = await rsaKey(key, 'RSASSA-PKCS1-v1_5', hash, 'sign');
  return new Uint8Array(await subtle().sign('RSASSA-PKCS1-v1_5', cryptoKey, buffer(data)));
}

/** RSASSA-PKCS1-v1_5 verification: false, never a rejection, for a wrong or malformed signature. */
export async function webRsaPkcs1Verify(pub: RsaPublicKey, hash: HashName, data: Uint8Array, signature: Uint8Array): Promise<boolean> {
  const cryptoKey = await rsaKey(pub, 'RSASSA-PKCS1-v1_5', hash, 'verify');
  try {
    return await subtle().verify('RSASSA-PKCS1-v1_5', cryptoKey, buffer(signature), buffer(data));
  } catch {
    return false;
  }
}

/** RSASSA-PSS signature with MGF1 over the same hash and a salt of `saltLength` bytes drawn by the platform. */
export async function webRsaPssSign(key: RsaPrivateKey, hash: HashName, data: Uint8Array, saltLength: number): Promise<Uint8Array> {
  const cryptoKey = await rsaKey(key, 'RSA-PSS', hash, 'sign');
  return new Uint8Array(await subtle().sign({ name: 'RSA-PSS', saltLength }, cryptoKey, buffer(data)));
}

/** RSASSA-PSS verification (MGF1 over the same hash): false, never a rejection, for a wrong or malformed signature. */
export async function webRsaPssVerify(pub: RsaPublicKey, hash: HashName, data: Uint8Array, signature: Uint8Array, saltLength: number): Promise<boolean> {
  const cryptoKey = await rsaKey(pub, 'RSA-PSS', hash, 'verify');
  try {
    return await subtle().verify({ name: 'RSA-PSS', saltLength }, cryptoKey, buffer(signature), buffer(data));
  } catch {
    return false;
  }
}
