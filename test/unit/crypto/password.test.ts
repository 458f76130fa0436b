/**
 * Password hashing: argon2id records that verify, match noble's independent argon2id, reproduce from a
 * seed, refuse tampering and malformed input; and the default and test costs.
 * @module
 */
import { argon2id as nobleArgon2id } from '@noble/hashes/argon2.js';
import { describe, expect, it } from 'vitest';
import { toHex, utf8 } from '../../../src/crypto/bytes.ts';
import { CryptoError } from '../../../src/crypto/errors.ts';
import {
  DEFAULT_PASSWORD_COST,
  hashPassword,
  parsePasswordCost,
  PASSWORD_HASH_LENGTH,
  PASSWORD_SALT_LENGTH,
  TEST_PASSWORD_COST,
  verifyPassword,
  type PasswordHash,
} from '../../../src/crypto/password.ts';
import { seededRandom, systemRandom } from '../../../src/crypto/random.ts';

describe('hashPassword / verifyPassword', () => {
  it('accepts the right password and refuses wrong ones (case-sensitive)', async () => {
    const record = await hashPassword('Secr3t-pass', systemRandom(), TEST_PASSWORD_COST);
    expect(record.algorithm).toBe('argon2id');
    expect(record.params).toEqual({ memoryKiB: 64, iterations: 1, parallelism: 1 });
    expect(record.salt.length).toBe(PASSWORD_SALT_LENGTH);
    expect(record.hash.length).toBe(PASSWORD_HASH_LENGTH);
    expect(await verifyPassword('Secr3t-pass', record)).toBe(true);
    expect(await verifyPassword('secr3t-pass', record)).toBe(false);
    expect(await verifyPassword('Secr3t-pass ', record)).toBe(false);
    expect(await verifyPassword('', record)).toBe(false);
  });

  it('is argon2id (RFC 9106): the stored hash equals noble\'s independent argon2id', async () => {
    const record = await hashPassword('pässwörd', seededRandom('salt'), TEST_PASSWORD_COST);
    const expected = nobleArgon2id(utf8('pässwörd'), record.salt, { t: 1, m: 64, p: 1, dkLen: 32 });
    expect(toHex(record.hash)).toBe(toHex(expected));
  });

  it('reproduces byte for byte from a seed, and differs per salt', async () => {
    const a = await hashPassword('password', seededRandom('seed'), TEST_PASSWORD_COST);
    const b = await hashPassword('password', seededRandom('seed'), TEST_PASSWORD_COST);
    expect(toHex(a.salt) + toHex(a.hash)).toBe(toHex(b.salt) + toHex(b.hash));
    const c = await hashPassword('password', seededRandom('other seed'), TEST_PASSWORD_COST);
    expect(toHex(c.hash)).not.toBe(toHex(a.hash));
  });

  it('verifies with the cost stored in the record, not the default', async () => {
    const cheap = await hashPassword('password', systemRandom(), { memoryKiB: 32, iterations: 2, parallelism: 1 });
    expect(await verifyPassword('password', cheap)).toBe(true);
    const altered: PasswordHash = { ...cheap, params: { ...cheap.params, iterations: 1 } };
    expect(await verifyPassword('password', altered)).toBe(false);
  });

  it('refuses a tampered hash or salt', async () => {
    const record = await hashPassword('password', systemRandom(), TEST_PASSWORD_COST);
    const hash = record.hash.slice();
    hash[0]! ^= 1;
    expect(await verifyPassword('password', { ...record, hash })).toBe(false);
    const salt = record.salt.slice();
    salt[15]! ^= 0x80;
    expect(await verifyPassword('password', { ...record, salt })).toBe(false);
  });

  it('refuses malformed records and arguments with precise errors', async () => {
    const record = await hashPassword('password', systemRandom(), TEST_PASSWORD_COST);
    await expect(verifyPassword('password', { ...record, algorithm: 'pbkdf2' })).rejects.toThrow(/algorithm "pbkdf2" is not supported; expected argon2id/);
    await expect(verifyPassword('password', { ...record, params: { memoryKiB: 1 << 30, iterations: 1, parallelism: 1 } })).rejects.toThrow(/memoryKiB must be an integer from 8 to 1048576/);
    await expect(verifyPassword('password', { ...record, salt: new Uint8Array(4) })).rejects.toThrow(/salt must be at least 8 bytes/);
    await expect(verifyPassword('password', { ...record, hash: new Uint8Array(0) })).rejects.toThrow(/hash must be at least 16 bytes/);
    await expect(hashPassword(42 as unknown as string, systemRandom(), TEST_PASSWORD_COST)).rejects.toThrow(CryptoError);
    await expect(hashPassword('', systemRandom(), TEST_PASSWORD_COST)).rejects.toThrow(/password must not be empty/);
  });
});

describe('password costs', () => {
  it('defaults to OWASP argon2id m=19 MiB, t=2, p=1, and tests run at 64 KiB, t=1', () => {
    expect(DEFAULT_PASSWORD_COST).toEqual({ memoryKiB: 19456, iterations: 2, parallelism: 1 });
    expect(TEST_PASSWORD_COST).toEqual({ memoryKiB: 64, iterations: 1, parallelism: 1 });
  });

  it('parses plain-data costs and names the bad field', () => {
    expect(parsePasswordCost({ memoryKiB: 1024, iterations: 3, parallelism: 2 })).toEqual({ memoryKiB: 1024, iterations: 3, parallelism: 2 });
    expect(() => parsePasswordCost(null)).toThrow(/password cost must be an object/);
    expect(() => parsePasswordCost({ memoryKiB: 64, iterations: 0, parallelism: 1 })).toThrow(/iterations must be an integer from 1 to 64, got 0/);
    expect(() => parsePasswordCost({ memoryKiB: 64, iterations: 1 })).toThrow(/parallelism must be an integer from 1 to 16, got undefined/);
    expect(() => parsePasswordCost({ memoryKiB: '64', iterations: 1, parallelism: 1 })).toThrow(/memoryKiB must be an integer .* got "64"/);
    expect(() => parsePasswordCost({ memoryKiB: 16, iterations: 1, parallelism: 4 })).toThrow(/at least 8 × parallelism \(32\), got 16/);
  });
});
