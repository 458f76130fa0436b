/**
 * The asynchronous face of the primitives a faster engine can serve — ECDSA, AES-GCM, RSA
 * PKCS#1 v1.5 and PSS signatures. Each call asks src/crypto/engines.ts which engine serves it
 * (passing whether the caller's RandomSource is seeded, and the input size) and runs it there:
 * WebCrypto (src/crypto/webcrypto.ts) where the realm's benchmark put it, otherwise the reference
 * (@noble, or our BigInt RSA). Inputs WebCrypto cannot take — SHA-224, a prehashed digest,
 * secp224r1 / secp256k1, RSA exponents other than 65537, a PSS MGF1 hash unlike the message hash,
 * a GCM IV outside 12–128 bytes, anything malformed — go to the reference, so errors carry exactly the
 * reference's CryptoError codes and messages; a key WebCrypto refuses to import does too.
 * Verification resolves false, never rejects, for a malformed signature.
 * @module
 */
import { AES_KEY_LENGTHS, GCM_TAG_LENGTHS, aesGcmDecrypt, aesGcmEncrypt } from './aes.ts';
import { ecdsaSign, ecdsaVerify, type CurveId, type EcdsaOptions } from './ecdsa.ts';
import { engineFor, type SwitchablePrimitive } from './engines.ts';
import { CryptoError } from './errors.ts';
import { isHashName, type HashName } from './hash-names.ts';
import { hashLength } from './hash.ts';
import {
  bitLength,
  rsaPkcs1Sign,
  rsaPkcs1Verify,
  rsaPssSign,
  rsaPssVerify,
  type RsaPrivateKey,
  type RsaPssSignOptions,
  type RsaPssVerifyOptions,
  type RsaPublicKey,
  type RsaSignOptions,
} from './rsa.ts';
import {
  WEBCRYPTO_CURVES,
  WEBCRYPTO_GCM_IV_BYTES,
  WEBCRYPTO_GCM_TAG_LENGTHS,
  WEBCRYPTO_HASHES,
  WEBCRYPTO_RSA_EXPONENT,
  webAesGcmDecrypt,
  webAesGcmEncrypt,
  webEcdsaSign,
  webEcdsaVerify,
  webRsaPkcs1Sign,
  webRsaPkcs1Verify,
  webRsaPssSign,
  webRsaPssVerify,
} from './webcrypto.ts';

/** What every call needs to pick an engine. */
export interface EngineChoice {
  /** `RandomSource.deterministic` of the caller: true (seeded) means only deterministic engines serve. */
  readonly deterministic: boolean;
}

/** The switchable primitive of ECDSA on a curve, or undefined for curves only noble has. */
export function ecdsaPrimitive(curve: CurveId, operation: 'sign' | 'verify'): SwitchablePrimitive | undefined {
  return WEBCRYPTO_CURVES[curve] === undefined ? undefined : (`ecdsa-${curve}-${operation}` as SwitchablePrimitive);
}

/**
 * Run `fast` when WebCrypto serves; if it fails with anything but a CryptoError (an import
 * WebCrypto refused, a parameter it lacks), the reference answers instead.
 */
async function withFallback<T>(useWebCrypto: boolean, fast: () => Promise<T>, reference: () => T): Promise<T> {
  if (useWebCrypto) {
    try {
      return await fast();
    } catch (error) {
      if (error instanceof CryptoError) throw error;
    }
  }
  return reference();
}

const isBytes = (value: unknown): value is Uint8Array => value instanceof Uint8Array;
const webHashOk = (hash: unknown): hash is HashName => isHashName(hash) && WEBCRYPTO_HASHES[hash] !== undefined;

// ---------------------------------------------------------------------------------------------
// ECDSA
// ---------------------------------------------------------------------------------------------

function webCanTakeEcdsa(key: unknown, data: unknown, opts: EcdsaOptions): boolean {
  return isBytes(key) && isBytes(data) && opts.prehashed !== true && webHashOk(opts.hash);
}

/**
 * ECDSA signature, raw r‖s. Seeded: noble's RFC 6979 signature (byte-identical everywhere).
 * Unseeded, where WebCrypto serves: a random-nonce signature, equally valid.
 * @throws CryptoError as {@link ecdsaSign}.
 */
export async function signEcdsa(curve: CurveId, privateKey: Uint8Array, data: Uint8Array, opts: EcdsaOptions & EngineChoice): Promise<Uint8Array> {
  const primitive = ecdsaPrimitive(curve, 'sign');
  const web = primitive !== undefined && webCanTakeEcdsa(privateKey, data, opts) && engineFor(primitive, opts) === 'webcrypto';
  return withFallback(web, () => webEcdsaSign(curve, privateKey, data, opts.hash), () => ecdsaSign(curve, privateKey, data, opts));
}

/**
 * ECDSA verification of raw r‖s; accepts high-S. Resolves false for a wrong or malformed signature.
 * @throws CryptoError as {@link ecdsaVerify} ('bad-point' for a public key not on the curve).
 */
export async function verifyEcdsa(
  curve: CurveId,
  publicKey: Uint8Array,
  data: Uint8Array,
  signature: Uint8Array,
  opts: EcdsaOptions & EngineChoice,
): Promise<boolean> {
  const primitive = ecdsaPrimitive(curve, 'verify');
  const web = primitive !== undefined && webCanTakeEcdsa(publicKey, data, opts) && isBytes(signature) && engineFor(primitive, opts) === 'webcrypto';
  return withFallback(web, () => webEcdsaVerify(curve, publicKey, data, signature, opts.hash), () => ecdsaVerify(curve, publicKey, data, signature, opts));
}

// ---------------------------------------------------------------------------------------------
// AES-GCM
// ---------------------------------------------------------------------------------------------

/** Options of the asynchronous AES-GCM calls. */
export interface AesGcmAsyncOptions extends EngineChoice {
  readonly aad?: Uint8Array | undefined;
  /** Tag length in bytes (default 16); see GCM_TAG_LENGTHS. */
  readonly tagLength?: number;
}

function webCanTakeGcm(key: unknown, iv: unknown, data: unknown, aad: unknown, tagLength: number): boolean {
  return (
    isBytes(key) &&
    (AES_KEY_LENGTHS as readonly number[]).includes(key.length) &&
    isBytes(iv) &&
    iv.length >= WEBCRYPTO_GCM_IV_BYTES.min &&
    iv.length <= WEBCRYPTO_GCM_IV_BYTES.max &&
    isBytes(data) &&
    (aad === undefined || isBytes(aad)) &&
    (GCM_TAG_LENGTHS as readonly number[]).includes(tagLength) &&
    WEBCRYPTO_GCM_TAG_LENGTHS.includes(tagLength)
  );
}

/**
 * AES-GCM encryption: ciphertext ‖ tag; the same bytes whichever engine serves.
 * @throws CryptoError as {@link aesGcmEncrypt}.
 */
export async function aesGcmEncryptAsync(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, opts: AesGcmAsyncOptions): Promise<Uint8Array> {
  const tagLength = opts.tagLength ?? 16;
  const web =
    webCanTakeGcm(key, iv, plaintext, opts.aad, tagLength) &&
    engineFor('aes-gcm', { deterministic: opts.deterministic, bytes: plaintext.length }) === 'webcrypto';
  return withFallback(web, () => webAesGcmEncrypt(key, iv, plaintext, opts.aad, tagLength), () => aesGcmEncrypt(key, iv, plaintext, opts.aad, tagLength));
}

/**
 * AES-GCM decryption of ciphertext ‖ tag; no plaintext unless the tag matches.
 * @throws CryptoError as {@link aesGcmDecrypt} (`'auth-failed'` with the same message from either engine).
 */
export async function aesGcmDecryptAsync(key: Uint8Array, iv: Uint8Array, ciphertextAndTag: Uint8Array, opts: AesGcmAsyncOptions): Promise<Uint8Array> {
  const tagLength = opts.tagLength ?? 16;
  const web =
    webCanTakeGcm(key, iv, ciphertextAndTag, opts.aad, tagLength) &&
    ciphertextAndTag.length >= tagLength &&
    engineFor('aes-gcm', { deterministic: opts.deterministic, bytes: ciphertextAndTag.length }) === 'webcrypto';
  return withFallback(
    web,
    () => webAesGcmDecrypt(key, iv, ciphertextAndTag, opts.aad, tagLength),
    () => aesGcmDecrypt(key, iv, ciphertextAndTag, opts.aad, tagLength),
  );
}

// ---------------------------------------------------------------------------------------------
// RSA
// ---------------------------------------------------------------------------------------------

function webCanTakeRsa(key: RsaPublicKey, hash: HashName, data: unknown, opts: RsaSignOptions): boolean {
  return typeof key === 'object' && key !== null && key.e === WEBCRYPTO_RSA_EXPONENT && typeof key.n === 'bigint' && webHashOk(hash) && isBytes(data) && opts.prehashed !== true;
}

/** PSS parameters WebCrypto can take: MGF1 over the message hash, and a salt length that fits the key. */
function webCanTakePss(key: RsaPublicKey, hash: HashName, opts: RsaPssVerifyOptions): boolean {
  const { saltLength } = opts;
  if ((opts.mgfHash ?? hash) !== hash || !Number.isInteger(saltLength) || saltLength < 0) return false;
  const emLen = Math.ceil((bitLength(key.n) - 1) / 8);
  return saltLength <= emLen - hashLength(hash) - 2;
}

/**
 * RSASSA-PKCS1-v1_5 signature; deterministic, so byte-identical from either engine.
 * @throws CryptoError as {@link rsaPkcs1Sign}.
 */
export async function signRsaPkcs1(key: RsaPrivateKey, hash: HashName, data: Uint8Array, opts: RsaSignOptions & EngineChoice): Promise<Uint8Array> {
  const web = webCanTakeRsa(key, hash, data, opts) && engineFor('rsa-pkcs1-sign', opts) === 'webcrypto';
  return withFallback(web, () => webRsaPkcs1Sign(key, hash, data), () => rsaPkcs1Sign(key, hash, data, opts));
}

/**
 * RSASSA-PKCS1-v1_5 verification: false for a wrong or malformed signature.
 * @throws CryptoError as {@link rsaPkcs1Verify} (a malformed key).
 */
export async function verifyRsaPkcs1(
  pub: RsaPublicKey,
  hash: HashName,
  data: Uint8Array,
  signature: Uint8Array,
  opts: RsaSignOptions & EngineChoice,
): Promise<boolean> {
  const web = webCanTakeRsa(pub, hash, data, opts) && isBytes(signature) && engineFor('rsa-pkcs1-verify', opts) === 'webcrypto';
  return withFallback(web, () => webRsaPkcs1Verify(pub, hash, data, signature), () => rsaPkcs1Verify(pub, hash, data, signature, opts));
}

/**
 * RSASSA-PSS signature. Seeded (`deterministic`, or a deterministic `opts.random`): the salt
 * comes from `opts.random` through the BigInt engine; unseeded, WebCrypto may draw it.
 * @throws CryptoError as {@link rsaPssSign}.
 */
export async function signRsaPss(key: RsaPrivateKey, hash: HashName, data: Uint8Array, opts: RsaPssSignOptions & EngineChoice): Promise<Uint8Array> {
  const deterministic = opts.deterministic || opts.random?.deterministic === true;
  const web = webCanTakeRsa(key, hash, data, opts) && webCanTakePss(key, hash, opts) && engineFor('rsa-pss-sign', { deterministic }) === 'webcrypto';
  return withFallback(web, () => webRsaPssSign(key, hash, data, opts.saltLength), () => rsaPssSign(key, hash, data, opts));
}

/**
 * RSASSA-PSS verification: false for a wrong or malformed signature.
 * @throws CryptoError as {@link rsaPssVerify} (a malformed key, a salt too long for the key).
 */
export async function verifyRsaPss(
  pub: RsaPublicKey,
  hash: HashName,
  data: Uint8Array,
  signature: Uint8Array,
  opts: RsaPssVerifyOptions & EngineChoice,
): Promise<boolean> {
  const web =
    webCanTakeRsa(pub, hash, data, opts) && webCanTakePss(pub, hash, opts) && isBytes(signature) && engineFor('rsa-pss-verify', opts) === 'webcrypto';
  return withFallback(web, () => webRsaPssVerify(pub, hash, data, signature, opts.saltLength), () => rsaPssVerify(pub, hash, data, signature, opts));
}
