/**
 * Password hashing for the HSM's user store: argon2id (RFC 9106) from hash-wasm (WebAssembly).
 *
 * Why argon2id and not PBKDF2 (measured on this 2-core machine, Node 20, script
 * `bench/password-cost.ts`): at OWASP's recommended costs, argon2id m=19 MiB t=2 p=1 takes
 * about 42 ms in hash-wasm, while PBKDF2-SHA256 with 600,000 iterations takes 630 ms in noble and
 * 1,370 ms in hash-wasm — only native code (node:crypto 126 ms, WebCrypto, async) is quick, and
 * that is neither synchronous-portable nor the same engine in every realm. argon2id is also
 * memory-hard, so the same time buys far more resistance to GPU guessing. hash-wasm gives the same
 * bytes in Node and Chromium, and is deterministic given the salt, so seeded runs reproduce.
 *
 * The cost is a parameter: {@link DEFAULT_PASSWORD_COST} for real use, {@link TEST_PASSWORD_COST}
 * (64 KiB, one pass: about 0.3 ms) for tests. The record stores its own cost, so changing the
 * default never breaks existing users.
 * @module
 */
import { argon2id } from 'hash-wasm';
import { equalBytes, utf8 } from './bytes.ts';
import { CryptoError } from './errors.ts';
import type { RandomSource } from './random.ts';

/** The only algorithm written and accepted. */
export const PASSWORD_ALGORITHM = 'argon2id';

/** argon2id cost parameters (RFC 9106 §3.1 names in parentheses). */
export interface PasswordCost {
  /** Memory in KiB (m). */
  readonly memoryKiB: number;
  /** Passes over memory (t). */
  readonly iterations: number;
  /** Lanes (p). */
  readonly parallelism: number;
}

/** OWASP Password Storage Cheat Sheet's first argon2id option: m=19 MiB, t=2, p=1 (about 42 ms here). */
export const DEFAULT_PASSWORD_COST: PasswordCost = Object.freeze({ memoryKiB: 19456, iterations: 2, parallelism: 1 });

/** Cheap cost for tests: a login costs well under 5 ms (about 0.3 ms measured). Never for real use. */
export const TEST_PASSWORD_COST: PasswordCost = Object.freeze({ memoryKiB: 64, iterations: 1, parallelism: 1 });

/** Bounds on accepted costs, so a corrupted or hostile record cannot ask for gigabytes. */
export const PASSWORD_COST_LIMITS = Object.freeze({
  memoryKiB: { min: 8, max: 1048576 },
  iterations: { min: 1, max: 64 },
  parallelism: { min: 1, max: 16 },
});

/** Salt and hash sizes in bytes. */
export const PASSWORD_SALT_LENGTH = 16;
export const PASSWORD_HASH_LENGTH = 32;

/** A stored password: never the password itself (structurally the HSM's `PasswordRecord`). */
export interface PasswordHash {
  readonly algorithm: string;
  readonly params: Readonly<Record<string, number>>;
  readonly salt: Uint8Array;
  readonly hash: Uint8Array;
}

/**
 * Check a cost that arrived as plain data (a worker config, a stored record).
 * @throws CryptoError `'bad-input'` naming the missing or out-of-range field.
 */
export function parsePasswordCost(value: unknown): PasswordCost {
  if (typeof value !== 'object' || value === null) throw new CryptoError('bad-input', 'password cost must be an object');
  const record = value as Record<string, unknown>;
  const field = (name: keyof PasswordCost): number => {
    const n = record[name];
    const { min, max } = PASSWORD_COST_LIMITS[name];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
      throw new CryptoError('bad-input', `password cost ${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(n)}`);
    }
    return n;
  };
  const cost = { memoryKiB: field('memoryKiB'), iterations: field('iterations'), parallelism: field('parallelism') };
  if (cost.memoryKiB < 8 * cost.parallelism) {
    throw new CryptoError('bad-input', `password cost memoryKiB must be at least 8 × parallelism (${8 * cost.parallelism}), got ${cost.memoryKiB}`);
  }
  return cost;
}

/**
 * Hash a password with a fresh salt from `random`. The password's UTF-8 bytes are hashed as
 * typed (no Unicode normalisation).
 * @throws CryptoError `'bad-input'` if the password is not a non-empty string or the cost is out of range.
 */
export async function hashPassword(password: string, random: RandomSource, cost: PasswordCost = DEFAULT_PASSWORD_COST): Promise<PasswordHash> {
  if (typeof password !== 'string') throw new CryptoError('bad-input', 'password must be a string');
  if (password.length === 0) throw new CryptoError('bad-input', 'password must not be empty');
  const checked = parsePasswordCost(cost);
  const salt = random.bytes(PASSWORD_SALT_LENGTH);
  const hash = await runArgon2id(password, salt, checked);
  return { algorithm: PASSWORD_ALGORITHM, params: { ...checked }, salt, hash };
}

/**
 * Whether `password` matches `record`, compared in constant time. A wrong password is `false`;
 * a malformed record (unknown algorithm, bad cost, empty salt or hash) throws.
 * @throws CryptoError `'unsupported'` (algorithm) or `'bad-input'` (record fields).
 */
export async function verifyPassword(password: string, record: PasswordHash): Promise<boolean> {
  if (typeof password !== 'string') throw new CryptoError('bad-input', 'password must be a string');
  if (record.algorithm !== PASSWORD_ALGORITHM) {
    throw new CryptoError('unsupported', `password record algorithm ${JSON.stringify(record.algorithm)} is not supported; expected ${PASSWORD_ALGORITHM}`);
  }
  const cost = parsePasswordCost(record.params);
  if (!(record.salt instanceof Uint8Array) || record.salt.length < 8) throw new CryptoError('bad-input', 'password record salt must be at least 8 bytes');
  if (!(record.hash instanceof Uint8Array) || record.hash.length < 16) throw new CryptoError('bad-input', 'password record hash must be at least 16 bytes');
  // hashPassword never stores an empty password (hash-wasm refuses one), so it cannot match.
  if (password.length === 0) return false;
  const candidate = await runArgon2id(password, record.salt, cost, record.hash.length);
  return equalBytes(candidate, record.hash);
}

async function runArgon2id(password: string, salt: Uint8Array, cost: PasswordCost, hashLength = PASSWORD_HASH_LENGTH): Promise<Uint8Array> {
  const secret = utf8(password);
  try {
    return await argon2id({
      password: secret,
      salt,
      iterations: cost.iterations,
      parallelism: cost.parallelism,
      memorySize: cost.memoryKiB,
      hashLength,
      outputType: 'binary',
    });
  } finally {
    secret.fill(0);
  }
}
