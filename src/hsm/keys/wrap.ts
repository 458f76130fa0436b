/**
 * The key wrap mechanisms of `key wrap` / `key unwrap` (spec §4.6), as byte transformations of a
 * payload under a wrapping key; who may wrap what is decided by the key handlers.
 *
 * - `aes-gcm`: AES-GCM with a fresh 96-bit IV, returned beside the blob; unwrap needs `--iv`.
 * - `cloudhsm-aes-gcm`: the same, with the IV prepended to the blob (IV ‖ ciphertext ‖ tag).
 * - `aes-no-pad`: RFC 3394 key wrap; the payload must be a multiple of 8 bytes (≥ 16).
 * - `aes-pkcs5-pad`: RFC 3394 over the payload padded PKCS#5-style to a multiple of 8 bytes
 *   (the key-wrap semiblock), 1–8 padding bytes each holding the padding length.
 * - `aes-zero-pad`: RFC 5649 (key wrap with padding; zero padding and the length in the IV).
 * - `rsa-oaep`: RSAES-OAEP with `--hash-function` / `--mgf` (default SHA-256 for both).
 * - `rsa-pkcs`: RSAES-PKCS1-v1_5.
 * - `rsa-aes`: PKCS#11 CKM_RSA_AES_KEY_WRAP: a fresh 256-bit AES key, OAEP-encrypted under the
 *   RSA key, followed by the payload wrapped under it with RFC 5649. The blob is the OAEP part
 *   (modulus length) ‖ the RFC 5649 part.
 * @module
 */
import {
  aesGcmDecrypt,
  aesGcmEncrypt,
  aesKeyUnwrap,
  aesKeyUnwrapPad,
  aesKeyWrap,
  aesKeyWrapPad,
} from '../../crypto/aes.ts';
import { concatBytes } from '../../crypto/bytes.ts';
import type { HashName } from '../../crypto/hash.ts';
import type { RandomSource } from '../../crypto/random.ts';
import {
  rsaModulusBytes,
  rsaOaepDecrypt,
  rsaOaepEncrypt,
  rsaPkcs1Decrypt,
  rsaPkcs1Encrypt,
  type RsaPrivateKey,
  type RsaPublicKey,
} from '../../crypto/rsa.ts';
import { HsmError } from '../envelope.ts';
import type { WrapMechanism } from '../requests.ts';

export const WRAP_MECHANISMS: readonly WrapMechanism[] = [
  'aes-gcm',
  'cloudhsm-aes-gcm',
  'aes-no-pad',
  'aes-pkcs5-pad',
  'aes-zero-pad',
  'rsa-aes',
  'rsa-oaep',
  'rsa-pkcs',
];

/** AES mechanisms take an AES key; the others an RSA public key (wrap) or private key (unwrap). */
export function isAesMechanism(mechanism: WrapMechanism): boolean {
  return mechanism.startsWith('aes-') || mechanism === 'cloudhsm-aes-gcm';
}

/** The GCM IV length the HSM draws for wrapping (96 bits). */
export const WRAP_GCM_IV_BYTES = 12;

/** Size of the ephemeral AES key of `rsa-aes`. */
const RSA_AES_KEY_BYTES = 32;

export interface WrapParameters {
  readonly tagLengthBits?: number;
  readonly aad?: Uint8Array;
  readonly hashFunction?: HashName;
  readonly mgf?: HashName;
  /** `aes-gcm` unwrap only. */
  readonly iv?: Uint8Array;
}

/** The key doing the wrapping: AES bytes, or an RSA key. */
export type WrappingKey =
  | { readonly kind: 'aes'; readonly key: Uint8Array }
  | { readonly kind: 'rsa-public'; readonly key: RsaPublicKey }
  | { readonly kind: 'rsa-private'; readonly key: RsaPrivateKey };

export interface WrapResult {
  readonly wrapped: Uint8Array;
  /** Only for `aes-gcm`: the IV the caller needs to unwrap. */
  readonly iv?: Uint8Array;
}

/** GCM tag length in bytes from `--tag-length-bits` (required for the GCM mechanisms). */
function gcmTagBytes(params: WrapParameters): number {
  const bits = params.tagLengthBits;
  if (bits === undefined) throw new HsmError('bad-request', 'The AES-GCM mechanisms need --tag-length-bits');
  if (!Number.isInteger(bits) || bits % 8 !== 0 || bits < 96 || bits > 128) {
    throw new HsmError('bad-request', `Invalid --tag-length-bits ${bits}: expected 96, 104, 112, 120 or 128`);
  }
  return bits / 8;
}

function oaepHashes(params: WrapParameters): { hash: HashName; mgfHash: HashName } {
  const hash = params.hashFunction ?? 'sha256';
  return { hash, mgfHash: params.mgf ?? hash };
}

/** PKCS#5 padding to a multiple of 8 bytes: always 1–8 bytes, each equal to the padding length. */
export function pkcs5Pad(data: Uint8Array): Uint8Array {
  const n = 8 - (data.length % 8);
  return concatBytes(data, new Uint8Array(n).fill(n));
}

/** Remove PKCS#5 padding; a malformed pad means a wrong key or altered data. */
export function pkcs5Unpad(data: Uint8Array): Uint8Array {
  const n = data[data.length - 1] ?? 0;
  const ok = data.length >= 8 && data.length % 8 === 0 && n >= 1 && n <= 8 && data.subarray(data.length - n).every((b) => b === n);
  if (!ok) throw new HsmError('bad-request', 'Unwrap failed: the PKCS#5 padding of the unwrapped data is invalid');
  return data.slice(0, data.length - n);
}

function needAes(key: WrappingKey, mechanism: WrapMechanism): Uint8Array {
  if (key.kind !== 'aes') throw new HsmError('key-not-permitted', `Mechanism ${mechanism} needs an AES wrapping key`);
  return key.key;
}

/** Wrap `payload` (raw secret bytes or a PKCS#8 private key) under `key` with `mechanism`. */
export function wrapBytes(
  mechanism: WrapMechanism,
  key: WrappingKey,
  payload: Uint8Array,
  params: WrapParameters,
  random: RandomSource,
): WrapResult {
  switch (mechanism) {
    case 'aes-gcm':
    case 'cloudhsm-aes-gcm': {
      const aes = needAes(key, mechanism);
      const tag = gcmTagBytes(params);
      const iv = random.bytes(WRAP_GCM_IV_BYTES);
      const sealed = aesGcmEncrypt(aes, iv, payload, params.aad, tag);
      return mechanism === 'aes-gcm' ? { wrapped: sealed, iv } : { wrapped: concatBytes(iv, sealed) };
    }
    case 'aes-no-pad': {
      const aes = needAes(key, mechanism);
      if (payload.length % 8 !== 0 || payload.length < 16) {
        throw new HsmError(
          'bad-request',
          `Mechanism aes-no-pad needs a payload that is a multiple of 8 bytes (at least 16); this key is ${payload.length} bytes: use aes-pkcs5-pad or aes-zero-pad`,
        );
      }
      return { wrapped: aesKeyWrap(aes, payload) };
    }
    case 'aes-pkcs5-pad':
      return { wrapped: aesKeyWrap(needAes(key, mechanism), pkcs5Pad(payload)) };
    case 'aes-zero-pad':
      return { wrapped: aesKeyWrapPad(needAes(key, mechanism), payload) };
    case 'rsa-oaep':
    case 'rsa-pkcs':
    case 'rsa-aes': {
      if (key.kind !== 'rsa-public') throw new HsmError('key-not-permitted', `Mechanism ${mechanism} wraps with an RSA public key`);
      if (mechanism === 'rsa-pkcs') {
        const max = rsaModulusBytes(key.key) - 11;
        if (payload.length > max) {
          throw new HsmError('bad-request', `Payload of ${payload.length} bytes is too long for rsa-pkcs with this key: at most ${max}`);
        }
        return { wrapped: rsaPkcs1Encrypt(key.key, payload, random) };
      }
      const { hash, mgfHash } = oaepHashes(params);
      if (mechanism === 'rsa-oaep') {
        return { wrapped: rsaOaepEncrypt(key.key, payload, { hash, mgfHash, random }) };
      }
      const ephemeral = random.bytes(RSA_AES_KEY_BYTES);
      const head = rsaOaepEncrypt(key.key, ephemeral, { hash, mgfHash, random });
      const tail = aesKeyWrapPad(ephemeral, payload);
      ephemeral.fill(0);
      return { wrapped: concatBytes(head, tail) };
    }
  }
}

/** Reverse {@link wrapBytes}: the payload bytes, or a refusal when the blob does not open. */
export function unwrapBytes(mechanism: WrapMechanism, key: WrappingKey, data: Uint8Array, params: WrapParameters): Uint8Array {
  switch (mechanism) {
    case 'aes-gcm': {
      const aes = needAes(key, mechanism);
      const tag = gcmTagBytes(params);
      if (params.iv === undefined) throw new HsmError('bad-request', 'Mechanism aes-gcm needs --iv to unwrap');
      return aesGcmDecrypt(aes, params.iv, data, params.aad, tag);
    }
    case 'cloudhsm-aes-gcm': {
      const aes = needAes(key, mechanism);
      const tag = gcmTagBytes(params);
      if (data.length < WRAP_GCM_IV_BYTES + tag) {
        throw new HsmError('bad-request', `Wrapped data is too short for cloudhsm-aes-gcm: ${data.length} bytes`);
      }
      return aesGcmDecrypt(aes, data.subarray(0, WRAP_GCM_IV_BYTES), data.subarray(WRAP_GCM_IV_BYTES), params.aad, tag);
    }
    case 'aes-no-pad':
      return aesKeyUnwrap(needAes(key, mechanism), data);
    case 'aes-pkcs5-pad':
      return pkcs5Unpad(aesKeyUnwrap(needAes(key, mechanism), data));
    case 'aes-zero-pad':
      return aesKeyUnwrapPad(needAes(key, mechanism), data);
    case 'rsa-oaep':
    case 'rsa-pkcs':
    case 'rsa-aes': {
      if (key.kind !== 'rsa-private') throw new HsmError('key-not-permitted', `Mechanism ${mechanism} unwraps with an RSA private key`);
      if (mechanism === 'rsa-pkcs') return rsaPkcs1Decrypt(key.key, data);
      const { hash, mgfHash } = oaepHashes(params);
      if (mechanism === 'rsa-oaep') return rsaOaepDecrypt(key.key, data, { hash, mgfHash });
      const k = rsaModulusBytes(key.key);
      if (data.length <= k) throw new HsmError('bad-request', `Wrapped data is too short for rsa-aes: ${data.length} bytes`);
      const ephemeral = rsaOaepDecrypt(key.key, data.subarray(0, k), { hash, mgfHash });
      if (ephemeral.length !== 16 && ephemeral.length !== 24 && ephemeral.length !== 32) {
        throw new HsmError('bad-request', `Unwrap failed: the rsa-aes key inside is ${ephemeral.length} bytes, not an AES key`);
      }
      const payload = aesKeyUnwrapPad(ephemeral, data.subarray(k));
      ephemeral.fill(0);
      return payload;
    }
  }
}
