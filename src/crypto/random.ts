/**
 * Random bytes behind one interface, {@link RandomSource}: the platform CSPRNG
 * ({@link systemRandom}), or a seeded HMAC-DRBG ({@link seededRandom}, NIST SP 800-90A §10.1.2
 * with SHA-256) so that a seed gives the same byte stream in Node and in Chromium — pure JS on
 * noble, no platform code. {@link forkRandom} derives one child stream per HSM.
 * @module
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, utf8 } from './bytes.ts';
import { CryptoError } from './errors.ts';

/** Where random bytes come from. */
export interface RandomSource {
  /** `n` fresh random bytes. */
  bytes(n: number): Uint8Array;
  /** True when the stream is reproducible from a seed (only deterministic engines may then serve). */
  readonly deterministic: boolean;
}

/** `crypto.getRandomValues` refuses more than 65536 bytes per call. */
const GET_RANDOM_VALUES_LIMIT = 65536;

/** SP 800-90A Table 2: at most 2^19 bits per HMAC-DRBG generate request. */
const DRBG_MAX_REQUEST_BYTES = 65536;

/** SP 800-90A Table 2: reseed_interval for HMAC-DRBG. */
const DRBG_RESEED_INTERVAL = 2 ** 48;

/** Personalization string of {@link seededRandom}: separates its streams from any other HMAC-DRBG use of the same seed. */
const SEEDED_PERSONALIZATION = utf8('hsm-playground/seededRandom/v1');

/** The platform CSPRNG (`crypto.getRandomValues`, in Node 20, pages and workers). */
export function systemRandom(): RandomSource {
  return SYSTEM_RANDOM;
}

const SYSTEM_RANDOM: RandomSource = Object.freeze({
  deterministic: false,
  bytes(n: number): Uint8Array {
    checkCount(n);
    const out = new Uint8Array(n);
    for (let offset = 0; offset < n; offset += GET_RANDOM_VALUES_LIMIT) {
      globalThis.crypto.getRandomValues(out.subarray(offset, Math.min(n, offset + GET_RANDOM_VALUES_LIMIT)));
    }
    return out;
  },
});

/**
 * A deterministic source: HMAC-DRBG (SHA-256) instantiated with the seed (UTF-8 if a string) as
 * entropy input, no nonce, and a fixed personalization string. Same seed → same bytes everywhere.
 * Requests over 64 KiB are served as several DRBG generate calls.
 * @throws CryptoError `'bad-input'` if the seed is empty.
 */
export function seededRandom(seed: string | Uint8Array): RandomSource {
  const seedBytes = typeof seed === 'string' ? utf8(seed) : seed;
  if (!(seedBytes instanceof Uint8Array)) throw new CryptoError('bad-input', 'random seed must be a string or a Uint8Array');
  if (seedBytes.length === 0) throw new CryptoError('bad-input', 'random seed must not be empty');
  return drbgSource(new HmacDrbg(seedBytes, new Uint8Array(0), SEEDED_PERSONALIZATION));
}

/**
 * A child stream for a sub-component (one per HSM). The child of a deterministic source is a new
 * HMAC-DRBG whose entropy is 32 bytes drawn from the parent and whose personalization is the
 * label, so it is deterministic too — and the parent advances by 32 bytes, so the order of forks
 * matters. The child of a non-deterministic source is {@link systemRandom}.
 * @throws CryptoError `'bad-input'` if `label` is empty.
 */
export function forkRandom(source: RandomSource, label: string): RandomSource {
  if (typeof label !== 'string' || label.length === 0) throw new CryptoError('bad-input', 'forkRandom label must be a non-empty string');
  if (!source.deterministic) return systemRandom();
  return drbgSource(new HmacDrbg(source.bytes(32), new Uint8Array(0), utf8(`hsm-playground/fork/v1/${label}`)));
}

function drbgSource(drbg: HmacDrbg): RandomSource {
  return Object.freeze({
    deterministic: true,
    bytes(n: number): Uint8Array {
      checkCount(n);
      if (n <= DRBG_MAX_REQUEST_BYTES) return drbg.generate(n);
      const out = new Uint8Array(n);
      for (let offset = 0; offset < n; offset += DRBG_MAX_REQUEST_BYTES) {
        out.set(drbg.generate(Math.min(DRBG_MAX_REQUEST_BYTES, n - offset)), offset);
      }
      return out;
    },
  });
}

/**
 * HMAC-DRBG with SHA-256, exactly as NIST SP 800-90A Rev. 1 §10.1.2 (no prediction resistance).
 * Exported for the CAVP known-answer test; use {@link seededRandom} in application code.
 */
export class HmacDrbg {
  private key = new Uint8Array(32);
  private value = new Uint8Array(32).fill(0x01);
  private reseedCounter = 1;

  /** §10.1.2.3 Instantiate: seed_material = entropy ‖ nonce ‖ personalization. */
  constructor(entropy: Uint8Array, nonce: Uint8Array, personalization: Uint8Array = new Uint8Array(0)) {
    this.update(concatBytes(entropy, nonce, personalization));
  }

  /** §10.1.2.4 Reseed with fresh entropy (and optional additional input). */
  reseed(entropy: Uint8Array, additionalInput: Uint8Array = new Uint8Array(0)): void {
    this.update(concatBytes(entropy, additionalInput));
    this.reseedCounter = 1;
  }

  /**
   * §10.1.2.5 Generate `n` bytes (at most 65536 per request).
   * @throws CryptoError `'bad-input'` if `n` is out of range; `'unsupported'` once the reseed interval is reached.
   */
  generate(n: number, additionalInput: Uint8Array = new Uint8Array(0)): Uint8Array {
    if (!Number.isInteger(n) || n < 0 || n > DRBG_MAX_REQUEST_BYTES) {
      throw new CryptoError('bad-input', `HMAC-DRBG request must be an integer from 0 to ${DRBG_MAX_REQUEST_BYTES} bytes, got ${n}`);
    }
    if (this.reseedCounter > DRBG_RESEED_INTERVAL) throw new CryptoError('unsupported', 'HMAC-DRBG reseed interval reached; reseed required');
    if (additionalInput.length > 0) this.update(additionalInput);
    const out = new Uint8Array(n);
    for (let offset = 0; offset < n; offset += 32) {
      this.value = hmac(sha256, this.key, this.value);
      out.set(this.value.subarray(0, Math.min(32, n - offset)), offset);
    }
    this.update(additionalInput);
    this.reseedCounter++;
    return out;
  }

  /** §10.1.2.2 HMAC_DRBG_Update. */
  private update(provided: Uint8Array): void {
    this.key = hmac(sha256, this.key, concatBytes(this.value, new Uint8Array([0x00]), provided));
    this.value = hmac(sha256, this.key, this.value);
    if (provided.length === 0) return;
    this.key = hmac(sha256, this.key, concatBytes(this.value, new Uint8Array([0x01]), provided));
    this.value = hmac(sha256, this.key, this.value);
  }
}

function checkCount(n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new CryptoError('bad-input', `random byte count must be a non-negative integer, got ${n}`);
}
