/**
 * Byte helpers shared by the crypto layer: concatenation, constant-time comparison, strict
 * hex / base64 / UTF-8 conversions, and big-endian unsigned integers ⇄ bytes. Pure JS (no `Buffer`) and free of any crypto library, so it
 * runs the same in Node, a page and a worker, and costs the page almost nothing. Decoders refuse anything malformed with a {@link CryptoError} `'bad-encoding'`.
 * @module
 */
import { CryptoError } from './errors.ts';

/** Join byte arrays into one new array (the inputs are not modified). */
export function concatBytes(...arrays: Uint8Array[]): Uint8Array {
  for (const [i, a] of arrays.entries()) {
    if (!(a instanceof Uint8Array)) throw new CryptoError('bad-input', `concatBytes: argument ${i} must be a Uint8Array`);
  }
  const out = new Uint8Array(arrays.reduce((sum, a) => sum + a.length, 0));
  let offset = 0;
  for (const a of arrays) {
    out.set(a, offset);
    offset += a.length;
  }
  return out;
}

/**
 * Compare two byte arrays in time that depends only on their lengths, never on where they
 * differ. Arrays of different lengths are unequal.
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Lower-case hex, no prefix. */
export function toHex(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array)) throw new CryptoError('bad-input', 'toHex: expected a Uint8Array');
  let hex = '';
  for (const b of bytes) hex += HEX_DIGITS[b]!;
  return hex;
}

const HEX_DIGITS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * Parse hex (upper or lower case) with an optional `0x` / `0X` prefix.
 * @throws CryptoError `'bad-encoding'` on an odd number of digits or a non-hex character.
 */
export function fromHex(text: string): Uint8Array {
  const hex = text.startsWith('0x') || text.startsWith('0X') ? text.slice(2) : text;
  if (hex.length % 2 !== 0) {
    throw new CryptoError('bad-encoding', `hex string must have an even number of digits, got ${hex.length}`);
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexValue(hex.charCodeAt(2 * i));
    const lo = hexValue(hex.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) {
      const at = hi < 0 ? 2 * i : 2 * i + 1;
      throw new CryptoError('bad-encoding', `hex string has a non-hex character ${JSON.stringify(hex[at])} at position ${at}`);
    }
    out[i] = (hi << 4) | lo;
  }
  return out;
}

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 97 && code <= 102) return code - 87; // a-f
  if (code >= 65 && code <= 70) return code - 55; // A-F
  return -1;
}

/** Big-endian bytes → non-negative integer (OS2IP, RFC 8017 §4.2); the empty array is 0. */
export function bytesToBigint(bytes: Uint8Array): bigint {
  const hex = toHex(bytes);
  return hex === '' ? 0n : BigInt('0x' + hex);
}

/**
 * Non-negative integer → big-endian bytes (I2OSP, RFC 8017 §4.1): exactly `length` bytes,
 * left-padded with zeros, or when `length` is omitted the fewest bytes that hold it (one zero
 * byte for 0).
 * @throws RangeError if the integer is negative or does not fit in `length` bytes.
 */
export function bigintToBytes(x: bigint, length?: number): Uint8Array {
  if (x < 0n) throw new RangeError('bigintToBytes: negative integer');
  const hex = x.toString(16);
  const size = length ?? Math.ceil(hex.length / 2);
  if (hex.length > 2 * size) throw new RangeError(`bigintToBytes: integer does not fit in ${size} bytes`);
  return fromHex(hex.padStart(2 * size, '0'));
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUES = (() => {
  const table = new Int16Array(128).fill(-1);
  for (let i = 0; i < BASE64_ALPHABET.length; i++) table[BASE64_ALPHABET.charCodeAt(i)] = i;
  return table;
})();

/** Standard base64 (RFC 4648 §4) with `=` padding. */
export function toBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += BASE64_ALPHABET[n >>> 18]! + BASE64_ALPHABET[(n >>> 12) & 63]! + BASE64_ALPHABET[(n >>> 6) & 63]! + BASE64_ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += BASE64_ALPHABET[n >>> 18]! + BASE64_ALPHABET[(n >>> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += BASE64_ALPHABET[n >>> 18]! + BASE64_ALPHABET[(n >>> 12) & 63]! + BASE64_ALPHABET[(n >>> 6) & 63]! + '=';
  }
  return out;
}

/**
 * Parse strict standard base64: alphabet `A–Z a–z 0–9 + /`, length a multiple of 4, `=` only as
 * the last one or two characters, no whitespace, and the unused bits of the last character zero
 * (so every byte string has exactly one accepted encoding).
 * @throws CryptoError `'bad-encoding'` naming the first problem found.
 */
export function fromBase64(text: string): Uint8Array {
  if (text.length % 4 !== 0) {
    throw new CryptoError('bad-encoding', `base64 length must be a multiple of 4, got ${text.length}`);
  }
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const body = text.length - padding;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < body; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? BASE64_VALUES[code]! : -1;
    if (value < 0) {
      throw new CryptoError('bad-encoding', `base64 has an invalid character ${JSON.stringify(text[i])} at position ${i}`);
    }
    acc = ((acc << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
    }
  }
  if (bits > 0 && (acc & ((1 << bits) - 1)) !== 0) {
    throw new CryptoError('bad-encoding', 'base64 has non-zero unused bits in its last character (not the canonical encoding)');
  }
  return out;
}

/** Encode a string as UTF-8. */
export function utf8(text: string): Uint8Array {
  if (typeof text !== 'string') throw new CryptoError('bad-input', 'utf8: expected a string');
  return new TextEncoder().encode(text);
}

/**
 * Decode UTF-8.
 * @throws CryptoError `'bad-encoding'` if the bytes are not valid UTF-8.
 */
export function fromUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CryptoError('bad-encoding', 'bytes are not valid UTF-8');
  }
}
