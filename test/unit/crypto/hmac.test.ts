/**
 * HMAC: Wycheproof vectors and node:crypto agreement through every engine, and hmacVerify's length and
 * truncation boundaries.
 * @module
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHex, utf8 } from '../../../src/crypto/bytes.ts';
import { ENGINES_FOR, engineFor, initEngines, useEngine } from '../../../src/crypto/engines.ts';
import { CryptoError } from '../../../src/crypto/errors.ts';
import { HASH_NAMES, type HashName } from '../../../src/crypto/hash.ts';
import { hmac, hmacVerify, minimumMacLength } from '../../../src/crypto/hmac.ts';
import { casesOf, hexField, loadWycheproof, Tally } from './wycheproof.ts';

// RFC 4231 §4.2, §4.3, §4.7 (test cases 1, 2, 6) and RFC 2202 §3 test case 1 for SHA-1.
const RFC4231: { key: Uint8Array; data: Uint8Array; mac: Partial<Record<HashName, string>> }[] = [
  {
    key: new Uint8Array(20).fill(0x0b),
    data: utf8('Hi There'),
    mac: {
      sha1: 'b617318655057264e28bc0b6fb378c8ef146be00',
      sha224: '896fb1128abbdf196832107cd49df33f47b4b1169912ba4f53684b22',
      sha256: 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
      sha384: 'afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6',
      sha512: '87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854',
    },
  },
  {
    key: utf8('Jefe'),
    data: utf8('what do ya want for nothing?'),
    mac: {
      sha224: 'a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44',
      sha256: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
      sha384: 'af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649',
      sha512: '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737',
    },
  },
  {
    key: new Uint8Array(131).fill(0xaa),
    data: utf8('Test Using Larger Than Block-Size Key - Hash Key First'),
    mac: {
      sha256: '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
      sha512: '80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598',
    },
  },
];

const WYCHEPROOF: Record<string, HashName> = {
  'hmac_sha1_test.json': 'sha1',
  'hmac_sha256_test.json': 'sha256',
  'hmac_sha384_test.json': 'sha384',
  'hmac_sha512_test.json': 'sha512',
};

beforeAll(async () => {
  await initEngines();
});
afterAll(() => {
  useEngine('hmac', 'auto');
});

for (const engine of ENGINES_FOR.hmac) {
  describe(`HMAC through ${engine}`, () => {
    beforeAll(() => {
      useEngine('hmac', engine);
    });

    it('is the engine in service', () => {
      expect(engineFor('hmac')).toBe(engine);
    });

    it('matches RFC 4231 / RFC 2202 known answers', () => {
      let checked = 0;
      for (const { key, data, mac } of RFC4231) {
        for (const [h, expected] of Object.entries(mac) as [HashName, string][]) {
          expect(toHex(hmac(h, key, data)), `${h}`).toBe(expected);
          checked++;
        }
      }
      expect(checked).toBe(11);
    });

    for (const [fileName, h] of Object.entries(WYCHEPROOF)) {
      it(`passes every Wycheproof ${fileName} case (full and truncated MACs)`, () => {
        const file = loadWycheproof(fileName);
        const tally = new Tally(`${fileName.replace('_test.json', '')} [${engine}]`);
        for (const { group, test } of casesOf(file)) {
          const [key, msg, tag] = ['key', 'msg', 'tag'].map((f) => hexField(test, f)) as [Uint8Array, Uint8Array, Uint8Array];
          const macLength = (group['tagSize'] as number) / 8;
          const ok = hmacVerify(h, key, msg, tag, macLength);
          if (test.result === 'valid') {
            expect(ok, `tcId ${test.tcId}`).toBe(true);
            expect(toHex(hmac(h, key, msg).subarray(0, macLength))).toBe(toHex(tag));
            tally.add('valid passed');
          } else {
            expect(test.result).toBe('invalid'); // no "acceptable" cases in these files
            expect(ok, `tcId ${test.tcId}`).toBe(false);
            tally.add('invalid refused');
          }
        }
        console.log(tally.line());
        expect(tally.total()).toBe(file.numberOfTests);
        expect(tally.get('valid passed')).toBe(66);
      });
    }

    it('agrees with node:crypto on random keys (short, block-sized, long) and data', () => {
      fc.assert(
        fc.property(fc.constantFrom(...HASH_NAMES), fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 500 }), (h, key, data) => {
          const expected = createHmac(h, key).update(data).digest('hex');
          expect(toHex(hmac(h, key, data))).toBe(expected);
          expect(hmacVerify(h, key, data, hmac(h, key, data))).toBe(true);
        }),
        { numRuns: 300 },
      );
    });
  });
}

describe('hmacVerify boundaries', () => {
  const key = utf8('key');
  const data = utf8('data');

  it('treats a MAC of the wrong length as wrong, not as a prefix', () => {
    const mac = hmac('sha256', key, data);
    expect(hmacVerify('sha256', key, data, mac)).toBe(true);
    expect(hmacVerify('sha256', key, data, mac.subarray(0, 16))).toBe(false);
    expect(hmacVerify('sha256', key, data, mac.subarray(0, 16), 16)).toBe(true);
    expect(hmacVerify('sha256', key, data, mac, 16)).toBe(false);
  });

  it('refuses truncation below RFC 2104 §5 (half the digest and 80 bits)', () => {
    expect(minimumMacLength('sha1')).toBe(10);
    expect(minimumMacLength('sha512')).toBe(32);
    expect(() => hmacVerify('sha512', key, data, new Uint8Array(31), 31)).toThrow(/MAC length must be an integer from 32 to 64 bytes, got 31/);
    expect(() => hmacVerify('sha1', key, data, new Uint8Array(21), 21)).toThrow(CryptoError);
  });

  it('names bad arguments', () => {
    expect(() => hmac('sha256', 'key' as unknown as Uint8Array, data)).toThrow(/HMAC key must be a Uint8Array/);
    expect(() => hmac('md5' as HashName, key, data)).toThrow(/unknown hash "md5"/);
  });
});
