/**
 * Engine selection (noble vs hash-wasm): behaviour before and after initEngines, forcing an engine,
 * refusals naming the accepted names, and differential checks that every engine agrees with noble.
 * @module
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/crypto/bytes.ts';
import { engineFor, engineReady, ENGINES_FOR, initEngines, PREFERRED_ENGINE, useEngine } from '../../../src/crypto/engines.ts';
import { CryptoError } from '../../../src/crypto/errors.ts';
import { digestWith, HASH_NAMES, type HashName } from '../../../src/crypto/hash.ts';
import { hmacWith } from '../../../src/crypto/hmac.ts';
import { casesOf, hexField, loadWycheproof, Tally } from './wycheproof.ts';

// Tests run in order in one module instance: first the state before initEngines(), then after.
describe('before initEngines()', () => {
  it('serves everything with noble and refuses to force hash-wasm', () => {
    expect(engineReady('noble')).toBe(true);
    expect(engineReady('hash-wasm')).toBe(false);
    expect(engineFor('digest')).toBe('noble');
    expect(engineFor('hmac')).toBe('noble');
    expect(() => useEngine('digest', 'hash-wasm')).toThrow(/hash-wasm is not initialised; await initEngines\(\) first/);
    expect(() => digestWith('hash-wasm', 'sha256', new Uint8Array())).toThrow(CryptoError);
  });
});

describe('after initEngines()', () => {
  it('is idempotent and switches to the measured choice', async () => {
    const first = initEngines();
    expect(initEngines()).toBe(first);
    await first;
    expect(engineReady('hash-wasm')).toBe(true);
    expect(engineFor('digest')).toBe(PREFERRED_ENGINE.digest);
    expect(engineFor('hmac')).toBe(PREFERRED_ENGINE.hmac);
  });

  it('lets a benchmark force an engine and go back to auto', () => {
    useEngine('hmac', 'noble');
    expect(engineFor('hmac')).toBe('noble');
    useEngine('hmac', 'auto');
    expect(engineFor('hmac')).toBe(PREFERRED_ENGINE.hmac);
  });

  it('refuses unknown primitives and engines with the accepted names', () => {
    expect(() => useEngine('aes' as 'digest', 'noble')).toThrow(/unknown primitive "aes"; expected one of digest, hmac/);
    expect(() => useEngine('digest', 'webcrypto' as 'noble')).toThrow(/engine "webcrypto" cannot serve digest; choose one of noble, hash-wasm/);
  });

  it('differential: every engine gives noble\'s HMAC on every Wycheproof HMAC case', () => {
    const files: [string, HashName][] = [
      ['hmac_sha1_test.json', 'sha1'],
      ['hmac_sha256_test.json', 'sha256'],
      ['hmac_sha384_test.json', 'sha384'],
      ['hmac_sha512_test.json', 'sha512'],
    ];
    for (const engine of ENGINES_FOR.hmac) {
      const tally = new Tally(`hmac differential [${engine} vs noble]`);
      for (const [fileName, h] of files) {
        for (const { test } of casesOf(loadWycheproof(fileName))) {
          const key = hexField(test, 'key');
          const msg = hexField(test, 'msg');
          expect(toHex(hmacWith(engine, h, key, msg)), `${fileName} tcId ${test.tcId}`).toBe(toHex(hmacWith('noble', h, key, msg)));
          tally.add('cases agree');
        }
      }
      console.log(tally.line());
      expect(tally.get('cases agree')).toBe(170 + 174 * 3);
    }
  });

  it('differential: every engine gives noble\'s digest and HMAC on random inputs', () => {
    fc.assert(
      fc.property(fc.constantFrom(...HASH_NAMES), fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 3000 }), (h, key, data) => {
        const reference = { digest: toHex(digestWith('noble', h, data)), hmac: toHex(hmacWith('noble', h, key, data)) };
        for (const engine of ENGINES_FOR.digest) expect(toHex(digestWith(engine, h, data))).toBe(reference.digest);
        for (const engine of ENGINES_FOR.hmac) expect(toHex(hmacWith(engine, h, key, data))).toBe(reference.hmac);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps a shared hasher correct when calls interleave (HMAC inside digest use)', () => {
    const data = new Uint8Array(200).fill(7);
    const longKey = new Uint8Array(300).fill(9); // forces the key-hashing path inside hash-wasm HMAC
    const a = toHex(hmacWith('hash-wasm', 'sha256', longKey, data));
    const d = toHex(digestWith('hash-wasm', 'sha256', data));
    expect(toHex(hmacWith('hash-wasm', 'sha256', longKey, data))).toBe(a);
    expect(a).toBe(toHex(hmacWith('noble', 'sha256', longKey, data)));
    expect(d).toBe(toHex(digestWith('noble', 'sha256', data)));
  });
});
