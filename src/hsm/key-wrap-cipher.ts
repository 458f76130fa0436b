/**
 * AES key wrap as a cipher of `crypto encrypt` / `crypto decrypt` (KMU `aesWrapUnwrap`, spec §9):
 * `aes-kw` is RFC 3394 with an optional 8-byte initial value (default A6A6A6A6A6A6A6A6, the one
 * KMU warns about), `aes-kwp` is RFC 5649 (key wrap with padding, fixed alternative IV).
 *
 * The default-IV and padded forms use the crypto layer's RFC 3394 / RFC 5649 functions. A caller
 * IV needs the RFC 3394 §2.2.1 / §2.2.2 wrapping process itself, written here over single AES
 * block operations of the crypto layer (encrypt: `aesEncryptBlock`; decrypt: one CBC block, see
 * {@link decryptBlock}), and checked against the RFC vectors and node:crypto in the tests.
 * @module
 */
import { aesCbcDecrypt, aesEncryptBlock, aesKeyUnwrap, aesKeyUnwrapPad, aesKeyWrap, aesKeyWrapPad } from '../crypto/aes.ts';
import { concatBytes, equalBytes } from '../crypto/bytes.ts';
import { CryptoError } from '../crypto/errors.ts';

/** RFC 3394 §2.2.3.1 default initial value. */
export const DEFAULT_KW_IV = new Uint8Array([0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6]);
export const KW_IV_BYTES = 8;

function checkIv(iv: Uint8Array): void {
  if (iv.length !== KW_IV_BYTES) throw new CryptoError('bad-iv', `AES key wrap (RFC 3394) IV must be ${KW_IV_BYTES} bytes, got ${iv.length}`);
}

function checkWrapInput(data: Uint8Array): void {
  if (data.length < 16 || data.length % 8 !== 0) {
    throw new CryptoError('bad-input', `AES key wrap (RFC 3394) input must be a multiple of 8 bytes and at least 16, got ${data.length}; use aes-kwp for other lengths`);
  }
}

/**
 * AES decryption of one 16-byte block, from the crypto layer's CBC decryption: with a zero IV,
 * CBC turns `block` into D(block); a second block E(block ⊕ 0x10…) decrypts to a full PKCS#7
 * padding block (sixteen 0x10 bytes), which CBC removes, leaving exactly D(block).
 */
function decryptBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  const pad = aesEncryptBlock(key, block.map((b) => b ^ 0x10));
  return aesCbcDecrypt(key, new Uint8Array(16), concatBytes(block, pad));
}

/** `t` as 64 bits big-endian, XORed into A (RFC 3394 §2.2.1 step 2). */
function xorCounter(a: Uint8Array, t: number): void {
  let v = t;
  for (let i = 7; i >= 0 && v > 0; i--) {
    a[i] = (a[i] ?? 0) ^ (v & 0xff);
    v = Math.floor(v / 256);
  }
}

/** RFC 3394 §2.2.1 wrapping with initial value `iv`. */
function wrapWithIv(kek: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const n = data.length / 8;
  const a = iv.slice();
  const r = Array.from({ length: n }, (_, i) => data.slice(8 * i, 8 * i + 8));
  for (let j = 0; j <= 5; j++) {
    for (let i = 0; i < n; i++) {
      const b = aesEncryptBlock(kek, concatBytes(a, r[i] as Uint8Array));
      a.set(b.subarray(0, 8));
      xorCounter(a, n * j + i + 1);
      r[i] = b.slice(8);
    }
  }
  return concatBytes(a, ...r);
}

/** RFC 3394 §2.2.2 unwrapping and the §2.2.3 integrity check against `iv`. */
function unwrapWithIv(kek: Uint8Array, iv: Uint8Array, wrapped: Uint8Array): Uint8Array {
  const n = wrapped.length / 8 - 1;
  const a = wrapped.slice(0, 8);
  const r = Array.from({ length: n }, (_, i) => wrapped.slice(8 * (i + 1), 8 * (i + 2)));
  for (let j = 5; j >= 0; j--) {
    for (let i = n - 1; i >= 0; i--) {
      xorCounter(a, n * j + i + 1);
      const b = decryptBlock(kek, concatBytes(a, r[i] as Uint8Array));
      a.set(b.subarray(0, 8));
      r[i] = b.slice(8);
    }
  }
  const plain = concatBytes(...r);
  if (!equalBytes(a, iv)) {
    plain.fill(0);
    throw new CryptoError('auth-failed', 'AES key unwrap integrity check failed: wrong key or IV, or the wrapped data was altered');
  }
  return plain;
}

/** RFC 3394 wrap of `data` (a multiple of 8 bytes, ≥ 16) under `kek`, with initial value `iv` (default A6…A6). */
export function aesKwEncrypt(kek: Uint8Array, data: Uint8Array, iv: Uint8Array = DEFAULT_KW_IV): Uint8Array {
  checkIv(iv);
  checkWrapInput(data);
  return equalBytes(iv, DEFAULT_KW_IV) ? aesKeyWrap(kek, data) : wrapWithIv(kek, iv, data);
}

/** RFC 3394 unwrap; refuses (`auth-failed`) when the recovered initial value is not `iv`. */
export function aesKwDecrypt(kek: Uint8Array, wrapped: Uint8Array, iv: Uint8Array = DEFAULT_KW_IV): Uint8Array {
  checkIv(iv);
  if (wrapped.length < 24 || wrapped.length % 8 !== 0) {
    throw new CryptoError('bad-input', `AES key unwrap (RFC 3394) input must be a multiple of 8 bytes and at least 24, got ${wrapped.length}`);
  }
  return equalBytes(iv, DEFAULT_KW_IV) ? aesKeyUnwrap(kek, wrapped) : unwrapWithIv(kek, iv, wrapped);
}

/** RFC 5649 wrap (any non-empty input). */
export function aesKwpEncrypt(kek: Uint8Array, data: Uint8Array): Uint8Array {
  return aesKeyWrapPad(kek, data);
}

/** RFC 5649 unwrap. */
export function aesKwpDecrypt(kek: Uint8Array, wrapped: Uint8Array): Uint8Array {
  return aesKeyUnwrapPad(kek, wrapped);
}
