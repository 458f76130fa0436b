/**
 * The DER subset: writers give the X.690 encodings (checked against published byte strings) and
 * the reader refuses every non-canonical form with a message naming it.
 * @module
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/crypto/bytes.ts';
import {
  DER_TAG,
  derBitString,
  derContext,
  derInteger,
  derNull,
  derOctetString,
  derOid,
  derSequence,
  parseDer,
  readBitString,
  readChildren,
  readNull,
  readOctetString,
  readOid,
  readSequence,
  readUnsignedInteger,
} from '../../../src/crypto/der.ts';
import { expectCryptoError } from './expect-crypto-error.ts';

function expectEncodingError(fn: () => unknown, message: RegExp): void {
  expectCryptoError(fn, 'bad-encoding', message);
}

describe('writers', () => {
  it('encode INTEGERs minimally, adding 0x00 before a set top bit', () => {
    expect(toHex(derInteger(0n))).toBe('020100');
    expect(toHex(derInteger(127n))).toBe('02017f');
    expect(toHex(derInteger(128n))).toBe('02020080');
    expect(toHex(derInteger(256n))).toBe('02020100');
    expect(toHex(derInteger(65537n))).toBe('0203010001');
  });

  it('encode OIDs as in X.690 §8.19 and the SEC / PKCS specs', () => {
    expect(toHex(derOid('1.2.840.10045.2.1'))).toBe('06072a8648ce3d0201'); // id-ecPublicKey
    expect(toHex(derOid('1.2.840.10045.3.1.7'))).toBe('06082a8648ce3d030107'); // prime256v1
    expect(toHex(derOid('1.3.132.0.34'))).toBe('06052b81040022'); // secp384r1
    expect(toHex(derOid('1.2.840.113549.1.1.1'))).toBe('06092a864886f70d010101'); // rsaEncryption
    expect(toHex(derOid('2.999.3'))).toBe('0603883703'); // X.690 §8.19.5 example
  });

  it('use long-form lengths from 128 bytes on', () => {
    expect(toHex(derOctetString(new Uint8Array(127))).slice(0, 4)).toBe('047f');
    expect(toHex(derOctetString(new Uint8Array(200))).slice(0, 6)).toBe('0481c8');
    expect(toHex(derOctetString(new Uint8Array(300))).slice(0, 8)).toBe('0482012c');
  });

  it('write NULL, BIT STRING, SEQUENCE and explicit context tags', () => {
    expect(toHex(derNull())).toBe('0500');
    expect(toHex(derBitString(Uint8Array.of(0xab)))).toBe('030200ab');
    expect(toHex(derSequence(derNull(), derInteger(1n)))).toBe('30050500020101');
    expect(toHex(derContext(1, derNull()))).toBe('a1020500');
  });

  it('refuse what they cannot encode', () => {
    expect(() => derInteger(-1n)).toThrow(/negative/);
    expect(() => derOid('1.40.1')).toThrow(/second arc/);
    expect(() => derOid('abc')).toThrow(/not a dotted OID/);
  });
});

describe('reader round trips', () => {
  it('reads back any non-negative integer, octet string and OID it wrote', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 1n << 4200n }),
        fc.uint8Array({ maxLength: 400 }),
        fc.array(fc.bigInt({ min: 0n, max: 1n << 70n }), { minLength: 1, maxLength: 6 }),
        (value, bytes, arcs) => {
          const oid = ['1', '39', ...arcs.map(String)].join('.');
          const items = readSequence(parseDer(derSequence(derInteger(value), derOctetString(bytes), derOid(oid))), 'test', 3);
          expect(readUnsignedInteger(items[0]!, 'i')).toBe(value);
          expect(toHex(readOctetString(items[1]!, 'o'))).toBe(toHex(bytes));
          expect(readOid(items[2]!, 'oid')).toBe(oid);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reads BIT STRING, NULL and constructed context tags', () => {
    const node = parseDer(derSequence(derBitString(Uint8Array.of(1, 2)), derNull(), derContext(0, derInteger(5n))));
    const [bits, nul, ctx] = readSequence(node, 'seq', 3);
    expect(toHex(readBitString(bits!, 'b'))).toBe('0102');
    expect(readNull(nul!, 'n')).toBeNull();
    expect(ctx!.tag).toBe(0xa0);
    expect(readUnsignedInteger(readChildren(ctx!)[0]!, 'x')).toBe(5n);
    expect(node.tag).toBe(DER_TAG.sequence);
  });
});

describe('reader refusals', () => {
  it('refuses BER and truncated or padded input', () => {
    expectEncodingError(() => parseDer(fromHex('3080020101' + '0000')), /indefinite length/);
    expectEncodingError(() => parseDer(fromHex('308103020101')), /non-minimal length/);
    expectEncodingError(() => parseDer(fromHex('3005020101')), /claims 5 bytes, only 3 remain/);
    expectEncodingError(() => parseDer(fromHex('02010100')), /1 trailing byte/);
    expectEncodingError(() => parseDer(new Uint8Array(0)), /input ends/);
    expectEncodingError(() => parseDer(fromHex('1f0100')), /multi-byte tags/);
  });

  it('refuses non-canonical or negative integers', () => {
    expectEncodingError(() => readUnsignedInteger(parseDer(fromHex('02020001')), 'modulus'), /modulus INTEGER has a superfluous leading 0x00/);
    expectEncodingError(() => readUnsignedInteger(parseDer(fromHex('0201ff')), 'modulus'), /modulus must not be negative/);
    expectEncodingError(() => readUnsignedInteger(parseDer(fromHex('0200')), 'modulus'), /empty INTEGER/);
  });

  it('refuses wrong tags, counts and contents, naming the field', () => {
    expectEncodingError(() => readSequence(parseDer(derNull()), 'SubjectPublicKeyInfo', 2), /SubjectPublicKeyInfo must be a SEQUENCE, found NULL/);
    expectEncodingError(() => readSequence(parseDer(derSequence(derNull())), 'AlgorithmIdentifier', 2), /must have 2 elements, found 1/);
    expectEncodingError(() => readBitString(parseDer(fromHex('030201ff')), 'key'), /must have 0 unused bits, has 1/);
    expectEncodingError(() => readNull(parseDer(fromHex('050100')), 'params'), /NULL must be empty/);
    expectEncodingError(() => readOid(parseDer(fromHex('0602802a')), 'curve'), /non-minimal arc/);
    expectEncodingError(() => readOid(parseDer(fromHex('06022a86')), 'curve'), /ends inside an arc/);
  });
});
