/**
 * ASN.1 DER, the small subset key encodings need (X.690): writers for INTEGER, BIT STRING,
 * OCTET STRING, NULL, OBJECT IDENTIFIER, SEQUENCE and context tags, and a strict reader that
 * refuses anything that is not canonical DER (indefinite or non-minimal lengths, non-minimal
 * integers, trailing bytes, unused bits in BIT STRING). Every refusal is a CryptoError
 * 'bad-encoding' whose message says what was wrong and where.
 * @module
 */
import { bigintToBytes, bytesToBigint, concatBytes } from './bytes.ts';
import { CryptoError } from './errors.ts';

/** Universal tags used by SPKI, PKCS#8 and ECDSA signatures. */
export const DER_TAG = {
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  sequence: 0x30,
} as const;

/** Tag byte of a constructed context-specific tag `[n]` (e.g. `[0]` = 0xa0). */
export function contextTag(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 30) throw new RangeError(`context tag number must be 0..30, got ${n}`);
  return 0xa0 | n;
}

const TAG_NAMES: Record<number, string> = {
  0x02: 'INTEGER',
  0x03: 'BIT STRING',
  0x04: 'OCTET STRING',
  0x05: 'NULL',
  0x06: 'OBJECT IDENTIFIER',
  0x30: 'SEQUENCE',
};

function tagName(tag: number): string {
  if (TAG_NAMES[tag] !== undefined) return TAG_NAMES[tag];
  if ((tag & 0xe0) === 0xa0) return `[${tag & 0x1f}]`;
  return `tag 0x${tag.toString(16).padStart(2, '0')}`;
}

function fail(message: string): never {
  throw new CryptoError('bad-encoding', `DER: ${message}`);
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

function encodeLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

function join(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const part of parts) total += part.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** One TLV: tag byte, definite minimal length, content. */
export function derTlv(tag: number, content: Uint8Array): Uint8Array {
  return join([Uint8Array.of(tag), encodeLength(content.length), content]);
}

/** SEQUENCE of already-encoded elements. */
export function derSequence(...elements: Uint8Array[]): Uint8Array {
  return derTlv(DER_TAG.sequence, join(elements));
}

/** Constructed context tag `[n]` wrapping one already-encoded element (EXPLICIT tagging). */
export function derContext(n: number, element: Uint8Array): Uint8Array {
  return derTlv(contextTag(n), element);
}

/** INTEGER from a non-negative bigint (minimal two's complement: a 0x00 is added when the top bit is set). */
export function derInteger(value: bigint): Uint8Array {
  if (value < 0n) throw new RangeError('derInteger: negative integers are not used by key encodings');
  const magnitude = bigintToBytes(value);
  const bytes = magnitude[0]! >= 0x80 ? concatBytes(new Uint8Array([0x00]), magnitude) : magnitude;
  return derTlv(DER_TAG.integer, bytes);
}

/** OCTET STRING. */
export function derOctetString(bytes: Uint8Array): Uint8Array {
  return derTlv(DER_TAG.octetString, bytes);
}

/** BIT STRING holding whole bytes (0 unused bits), as keys and points always are. */
export function derBitString(bytes: Uint8Array): Uint8Array {
  return derTlv(DER_TAG.bitString, join([Uint8Array.of(0), bytes]));
}

/** NULL. */
export function derNull(): Uint8Array {
  return Uint8Array.of(DER_TAG.null, 0);
}

/** OBJECT IDENTIFIER from dotted text, e.g. "1.2.840.10045.2.1". */
export function derOid(dotted: string): Uint8Array {
  if (!/^[0-2](\.\d+)+$/.test(dotted)) throw new RangeError(`derOid: not a dotted OID: "${dotted}"`);
  const arcs = dotted.split('.').map((arc) => BigInt(arc));
  const [first, second, ...rest] = arcs as [bigint, bigint, ...bigint[]];
  if (first < 2n && second > 39n) throw new RangeError(`derOid: second arc must be ≤ 39 under ${first}: "${dotted}"`);
  const out: number[] = [];
  for (const arc of [first * 40n + second, ...rest]) {
    const chunk: number[] = [Number(arc & 0x7fn)];
    for (let v = arc >> 7n; v > 0n; v >>= 7n) chunk.unshift(Number(v & 0x7fn) | 0x80);
    out.push(...chunk);
  }
  return derTlv(DER_TAG.oid, Uint8Array.from(out));
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

/** One parsed TLV. `content` is a view into the input (no copy). */
export interface DerNode {
  readonly tag: number;
  readonly content: Uint8Array;
}

/** Reads one TLV at `offset`; returns it and the offset just after it. */
function readTlv(bytes: Uint8Array, offset: number): { node: DerNode; next: number } {
  if (offset >= bytes.length) fail(`expected a tag at byte ${offset}, input ends`);
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) fail(`multi-byte tags are not supported (byte ${offset})`);
  if (offset + 1 >= bytes.length) fail(`${tagName(tag)} at byte ${offset} has no length`);
  const first = bytes[offset + 1]!;
  let length: number;
  let headerLength: number;
  if (first < 0x80) {
    length = first;
    headerLength = 2;
  } else {
    const count = first & 0x7f;
    if (count === 0) fail(`${tagName(tag)} at byte ${offset} uses an indefinite length (BER, not DER)`);
    if (count > 4) fail(`${tagName(tag)} at byte ${offset} has a ${count}-byte length`);
    if (offset + 2 + count > bytes.length) fail(`${tagName(tag)} at byte ${offset}: length bytes run past the end`);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[offset + 2 + i]!;
    if (bytes[offset + 2] === 0 || length < 0x80)
      fail(`${tagName(tag)} at byte ${offset} has a non-minimal length encoding`);
    headerLength = 2 + count;
  }
  const start = offset + headerLength;
  if (start + length > bytes.length)
    fail(`${tagName(tag)} at byte ${offset} claims ${length} bytes, only ${bytes.length - start} remain`);
  return { node: { tag, content: bytes.subarray(start, start + length) }, next: start + length };
}

/** Parses exactly one TLV spanning all of `bytes` (trailing bytes are an error). */
export function parseDer(bytes: Uint8Array): DerNode {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('parseDer: expected a Uint8Array');
  const { node, next } = readTlv(bytes, 0);
  if (next !== bytes.length) fail(`${bytes.length - next} trailing byte(s) after the ${tagName(node.tag)}`);
  return node;
}

/** Checks a node's tag; `what` names the field in the error ("SubjectPublicKeyInfo"). */
export function expectTag(node: DerNode, tag: number, what: string): DerNode {
  if (node.tag !== tag) fail(`${what} must be a ${tagName(tag)}, found ${tagName(node.tag)}`);
  return node;
}

/** The elements of a SEQUENCE (or of any constructed node such as `[1]`). */
export function readChildren(node: DerNode): DerNode[] {
  const out: DerNode[] = [];
  for (let offset = 0; offset < node.content.length; ) {
    const { node: child, next } = readTlv(node.content, offset);
    out.push(child);
    offset = next;
  }
  return out;
}

/** The elements of a SEQUENCE, checking the tag and the element count range. */
export function readSequence(node: DerNode, what: string, minItems: number, maxItems = minItems): DerNode[] {
  expectTag(node, DER_TAG.sequence, what);
  const items = readChildren(node);
  if (items.length < minItems || items.length > maxItems) {
    const expected = minItems === maxItems ? `${minItems}` : `${minItems} to ${maxItems}`;
    fail(`${what} must have ${expected} elements, found ${items.length}`);
  }
  return items;
}

/** A non-negative INTEGER in minimal encoding. */
export function readUnsignedInteger(node: DerNode, what: string): bigint {
  expectTag(node, DER_TAG.integer, what);
  const c = node.content;
  if (c.length === 0) fail(`${what} is an empty INTEGER`);
  if (c.length > 1 && c[0] === 0x00 && c[1]! < 0x80) fail(`${what} INTEGER has a superfluous leading 0x00`);
  if (c.length > 1 && c[0] === 0xff && c[1]! >= 0x80) fail(`${what} INTEGER has a superfluous leading 0xff`);
  if (c[0]! >= 0x80) fail(`${what} must not be negative`);
  return bytesToBigint(c);
}

/** An OCTET STRING's bytes. */
export function readOctetString(node: DerNode, what: string): Uint8Array {
  return expectTag(node, DER_TAG.octetString, what).content;
}

/** A BIT STRING of whole bytes (unused-bits byte must be 0). */
export function readBitString(node: DerNode, what: string): Uint8Array {
  const c = expectTag(node, DER_TAG.bitString, what).content;
  if (c.length === 0) fail(`${what} BIT STRING has no unused-bits byte`);
  if (c[0] !== 0) fail(`${what} BIT STRING must have 0 unused bits, has ${c[0]}`);
  return c.subarray(1);
}

/** A NULL (must be empty). */
export function readNull(node: DerNode, what: string): null {
  if (expectTag(node, DER_TAG.null, what).content.length !== 0) fail(`${what} NULL must be empty`);
  return null;
}

/** An OBJECT IDENTIFIER as dotted text. */
export function readOid(node: DerNode, what: string): string {
  const c = expectTag(node, DER_TAG.oid, what).content;
  if (c.length === 0) fail(`${what} OBJECT IDENTIFIER is empty`);
  const arcs: bigint[] = [];
  let value = 0n;
  let started = false;
  for (let i = 0; i < c.length; i++) {
    const byte = c[i]!;
    if (!started && byte === 0x80) fail(`${what} OBJECT IDENTIFIER has a non-minimal arc`);
    started = true;
    value = (value << 7n) | BigInt(byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(value);
      value = 0n;
      started = false;
    }
  }
  if (started) fail(`${what} OBJECT IDENTIFIER ends inside an arc`);
  const head = arcs[0]!;
  const first = head < 40n ? 0n : head < 80n ? 1n : 2n;
  return [first, head - first * 40n, ...arcs.slice(1)].join('.');
}
