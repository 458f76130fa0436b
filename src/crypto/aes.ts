/**
 * AES-128/192/256 in the modes the HSM needs, on @noble/ciphers: GCM (with AAD and truncated
 * tags), CBC with PKCS#7 padding, CTR, key wrap (RFC 3394) and key wrap with padding (RFC 5649),
 * and a single ECB block (for key check values). Every argument is checked first, and every
 * failure is a {@link CryptoError} whose message names what was wrong.
 * @module
 */
import { aeskw, aeskwp, cbc, ctr, ecb, gcm } from '@noble/ciphers/aes.js';
import { equalBytes } from './bytes.ts';
import { CryptoError } from './errors.ts';

/** AES key sizes in bytes. */
export const AES_KEY_LENGTHS = [16, 24, 32] as const;

/** The AES block size in bytes (CBC/CTR IVs, ECB blocks). */
export const AES_BLOCK_LENGTH = 16;

/**
 * GCM tag lengths in bytes that NIST SP 800-38D §5.2.1.2 permits (128, 120, 112, 104, 96 bits,
 * and 64 / 32 bits for special applications). Wycheproof's aes_gcm file has valid cases for 16 only.
 */
export const GCM_TAG_LENGTHS = [16, 15, 14, 13, 12, 8, 4] as const;

/**
 * The shortest GCM IV accepted, in bytes. Shorter IVs (1–7 bytes) are legal in SP 800-38D but
 * noble refuses them and they are a poor idea (the GHASH-derived counter block has little
 * entropy), so we refuse them as a documented limitation with `'bad-iv'`.
 */
export const GCM_MIN_IV_LENGTH = 8;

/**
 * AES-GCM encryption. Returns ciphertext ‖ tag, the tag being `tagLength` bytes.
 * @throws CryptoError `'bad-key'`, `'bad-iv'` (empty or under 8 bytes), `'bad-tag'` (length not allowed).
 */
export function aesGcmEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array, tagLength = 16): Uint8Array {
  checkGcmArguments(key, iv, aad, tagLength);
  checkBytes(plaintext, 'AES-GCM plaintext');
  const sealed = gcm(key, iv, aad).encrypt(plaintext);
  return tagLength === 16 ? sealed : sealed.slice(0, plaintext.length + tagLength);
}

/**
 * AES-GCM decryption of ciphertext ‖ tag. No plaintext is released unless the tag matches.
 * @throws CryptoError `'auth-failed'` if the tag does not match (wrong key, IV, AAD, or altered
 *   data), `'bad-tag'` if the input is shorter than the tag, and the argument errors of
 *   {@link aesGcmEncrypt}.
 */
export function aesGcmDecrypt(key: Uint8Array, iv: Uint8Array, ciphertextAndTag: Uint8Array, aad?: Uint8Array, tagLength = 16): Uint8Array {
  checkGcmArguments(key, iv, aad, tagLength);
  checkBytes(ciphertextAndTag, 'AES-GCM ciphertext');
  if (ciphertextAndTag.length < tagLength) {
    throw new CryptoError('bad-tag', `AES-GCM input must hold at least the ${tagLength}-byte tag, got ${ciphertextAndTag.length} bytes (truncated tag?)`);
  }
  if (tagLength === 16) {
    try {
      return gcm(key, iv, aad).decrypt(ciphertextAndTag);
    } catch {
      throw new CryptoError('auth-failed', 'AES-GCM tag does not match: wrong key, IV or AAD, or the data was altered');
    }
  }
  // noble only does 16-byte tags. For a truncated tag: recover the candidate plaintext with the
  // GCM keystream (GCM-encrypting zeros), recompute the full tag over the same ciphertext, and
  // compare its prefix in constant time. The candidate plaintext is wiped unless it checks out.
  const ctLength = ciphertextAndTag.length - tagLength;
  const ciphertext = ciphertextAndTag.subarray(0, ctLength);
  const keystream = gcm(key, iv, aad).encrypt(new Uint8Array(ctLength));
  const plaintext = new Uint8Array(ctLength);
  for (let i = 0; i < ctLength; i++) plaintext[i] = ciphertext[i]! ^ keystream[i]!;
  const resealed = gcm(key, iv, aad).encrypt(plaintext);
  keystream.fill(0);
  if (!equalBytes(resealed.subarray(ctLength, ctLength + tagLength), ciphertextAndTag.subarray(ctLength))) {
    plaintext.fill(0);
    throw new CryptoError('auth-failed', 'AES-GCM tag does not match: wrong key, IV or AAD, or the data was altered');
  }
  return plaintext;
}

/**
 * AES-CBC encryption with PKCS#7 padding (always adds 1–16 bytes).
 * @throws CryptoError `'bad-key'`, `'bad-iv'` (not 16 bytes).
 */
export function aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array {
  checkKey(key, 'AES-CBC key');
  checkIv16(iv, 'AES-CBC');
  checkBytes(plaintext, 'AES-CBC plaintext');
  return cbc(key, iv).encrypt(plaintext);
}

/**
 * AES-CBC decryption and PKCS#7 padding removal.
 * @throws CryptoError `'bad-input'` (length not a positive multiple of 16), `'bad-padding'`,
 *   `'bad-key'`, `'bad-iv'`.
 */
export function aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  checkKey(key, 'AES-CBC key');
  checkIv16(iv, 'AES-CBC');
  checkBytes(ciphertext, 'AES-CBC ciphertext');
  if (ciphertext.length === 0 || ciphertext.length % AES_BLOCK_LENGTH !== 0) {
    throw new CryptoError('bad-input', `AES-CBC ciphertext length must be a positive multiple of 16 bytes, got ${ciphertext.length}`);
  }
  try {
    return cbc(key, iv).decrypt(ciphertext);
  } catch {
    throw new CryptoError('bad-padding', 'AES-CBC PKCS#7 padding is invalid: wrong key or IV, or the data was altered');
  }
}

/**
 * AES-CTR (NIST SP 800-38A): `iv` is the whole 16-byte initial counter block, incremented as one
 * 128-bit big-endian number. The same call encrypts and decrypts.
 * @throws CryptoError `'bad-key'`, `'bad-iv'` (not 16 bytes).
 */
export function aesCtr(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  checkKey(key, 'AES-CTR key');
  checkIv16(iv, 'AES-CTR');
  checkBytes(data, 'AES-CTR data');
  return ctr(key, iv).encrypt(data);
}

/**
 * AES key wrap without padding (RFC 3394 / NIST SP 800-38F KW). `keyData` must be a multiple of
 * 8 bytes and at least 16 (RFC 3394 §2: n ≥ 2 blocks); the result is 8 bytes longer.
 * @throws CryptoError `'bad-key'` (KEK length), `'bad-input'` (keyData length).
 */
export function aesKeyWrap(kek: Uint8Array, keyData: Uint8Array): Uint8Array {
  checkKey(kek, 'AES key wrap KEK');
  checkBytes(keyData, 'AES key wrap input');
  if (keyData.length < 16 || keyData.length % 8 !== 0) {
    throw new CryptoError('bad-input', `AES key wrap (RFC 3394) input must be a multiple of 8 bytes and at least 16, got ${keyData.length}; use aesKeyWrapPad for other lengths`);
  }
  return aeskw(kek).encrypt(keyData);
}

/**
 * AES key unwrap without padding (RFC 3394): checks the integrity value A6A6A6A6A6A6A6A6.
 * @throws CryptoError `'auth-failed'` (integrity check failed), `'bad-input'` (length), `'bad-key'`.
 */
export function aesKeyUnwrap(kek: Uint8Array, wrapped: Uint8Array): Uint8Array {
  checkKey(kek, 'AES key unwrap KEK');
  checkBytes(wrapped, 'AES key unwrap input');
  if (wrapped.length < 24 || wrapped.length % 8 !== 0) {
    throw new CryptoError('bad-input', `AES key unwrap (RFC 3394) input must be a multiple of 8 bytes and at least 24, got ${wrapped.length}`);
  }
  try {
    return aeskw(kek).decrypt(wrapped);
  } catch {
    throw new CryptoError('auth-failed', 'AES key unwrap integrity check failed: wrong KEK or the wrapped key was altered');
  }
}

/**
 * AES key wrap with padding (RFC 5649 / NIST SP 800-38F KWP): any non-empty input; the result is
 * the input rounded up to 8 bytes, plus 8.
 * @throws CryptoError `'bad-key'` (KEK length), `'bad-input'` (empty input).
 */
export function aesKeyWrapPad(kek: Uint8Array, keyData: Uint8Array): Uint8Array {
  checkKey(kek, 'AES key wrap (padded) KEK');
  checkBytes(keyData, 'AES key wrap (padded) input');
  if (keyData.length === 0) throw new CryptoError('bad-input', 'AES key wrap with padding (RFC 5649) input must not be empty');
  return aeskwp(kek).encrypt(keyData);
}

/**
 * AES key unwrap with padding (RFC 5649): checks the alternative IV A65959A6, the length
 * indicator and that the padding bytes are zero.
 * @throws CryptoError `'auth-failed'` (any of those checks failed), `'bad-input'` (length), `'bad-key'`.
 */
export function aesKeyUnwrapPad(kek: Uint8Array, wrapped: Uint8Array): Uint8Array {
  checkKey(kek, 'AES key unwrap (padded) KEK');
  checkBytes(wrapped, 'AES key unwrap (padded) input');
  if (wrapped.length < 16 || wrapped.length % 8 !== 0) {
    throw new CryptoError('bad-input', `AES key unwrap with padding (RFC 5649) input must be a multiple of 8 bytes and at least 16, got ${wrapped.length}`);
  }
  try {
    return aeskwp(kek).decrypt(wrapped);
  } catch {
    throw new CryptoError('auth-failed', 'AES key unwrap (padded) integrity check failed: wrong KEK, or the wrapped key, its length or its padding was altered');
  }
}

/**
 * Encrypt exactly one 16-byte block with raw AES (ECB, no padding). Used for key check values
 * (spec §5.2: first 3 bytes of the encryption of a zero block).
 * @throws CryptoError `'bad-key'`, `'bad-input'` (block not 16 bytes).
 */
export function aesEncryptBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  checkKey(key, 'AES key');
  checkBytes(block, 'AES block');
  if (block.length !== AES_BLOCK_LENGTH) {
    throw new CryptoError('bad-input', `AES block must be exactly 16 bytes, got ${block.length}`);
  }
  return ecb(key, { disablePadding: true }).encrypt(block);
}

function checkGcmArguments(key: Uint8Array, iv: Uint8Array, aad: Uint8Array | undefined, tagLength: number): void {
  checkKey(key, 'AES-GCM key');
  checkBytes(iv, 'AES-GCM IV');
  if (iv.length === 0) throw new CryptoError('bad-iv', 'AES-GCM IV must not be empty');
  if (iv.length < GCM_MIN_IV_LENGTH) {
    throw new CryptoError('bad-iv', `AES-GCM IV must be at least ${GCM_MIN_IV_LENGTH} bytes (64 bits), got ${iv.length}; shorter IVs are not supported`);
  }
  if (aad !== undefined) checkBytes(aad, 'AES-GCM AAD');
  if (!(GCM_TAG_LENGTHS as readonly number[]).includes(tagLength)) {
    throw new CryptoError('bad-tag', `AES-GCM tag length must be one of ${GCM_TAG_LENGTHS.join(', ')} bytes, got ${tagLength}`);
  }
}

function checkKey(key: Uint8Array, what: string): void {
  if (!(key instanceof Uint8Array)) throw new CryptoError('bad-key', `${what} must be a Uint8Array`);
  if (!(AES_KEY_LENGTHS as readonly number[]).includes(key.length)) {
    throw new CryptoError('bad-key', `${what} must be 16, 24 or 32 bytes, got ${key.length}`);
  }
}

function checkIv16(iv: Uint8Array, mode: string): void {
  if (!(iv instanceof Uint8Array)) throw new CryptoError('bad-iv', `${mode} IV must be a Uint8Array`);
  if (iv.length !== AES_BLOCK_LENGTH) throw new CryptoError('bad-iv', `${mode} IV must be 16 bytes, got ${iv.length}`);
}

function checkBytes(value: unknown, what: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new CryptoError('bad-input', `${what} must be a Uint8Array`);
}
