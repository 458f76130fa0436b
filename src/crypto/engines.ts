/**
 * Which implementation ("engine") serves each primitive, per realm ('node' or 'browser', detected
 * once). The reference engines are always available: @noble for hashing, AES-GCM and ECDSA, our
 * BigInt code (src/crypto/rsa.ts) for RSA. A faster engine serves only where the benchmark in that
 * realm shows it wins ({@link PREFERRED_BY_REALM}, ratios cited there) and a differential test
 * shows it agrees with the reference (test/unit/crypto/engines.test.ts for hash-wasm,
 * test/unit/crypto/webcrypto.test.ts and test/browser/webcrypto.test.ts for WebCrypto).
 *
 * hash-wasm (SHA-2 compiled to WebAssembly) serves SHA digests and HMAC once {@link initEngines}
 * has compiled its modules; after that `digest` and `hmac` stay synchronous. From
 * `bench/hash-engines.ts` (Node 20, this 2-core machine; ratio to noble in the same run): hash-wasm
 * is faster at every size measured, 32 B to 1 MiB — SHA-256 1.45x at 32 B and 2.2–2.6x from 1 KiB,
 * SHA-512 2.8–3.4x, SHA-1 2.1–3.7x, HMAC-SHA256 1.4x at 32 B and 1.9–2.5x from 1 KiB, HMAC-SHA512
 * 2.3–3.4x — and 2–6x faster in Chromium 156 too. Hashing is deterministic in every engine, so
 * hash-wasm also serves in seeded (deterministic) mode. Before `initEngines()` resolves, noble serves.
 *
 * WebCrypto (the platform's native code, `crypto.subtle`) serves the asynchronous facade
 * src/crypto/accelerated.ts — AES-GCM, ECDSA on P-256/P-384/P-521, RSA PKCS#1 v1.5 and PSS — and
 * only in unseeded mode: its ECDSA nonces, PSS salts and key generation cannot be seeded, so with a
 * seed ({@link EngineQuery.deterministic}) the reference engines serve everything and seeded runs
 * stay byte-identical across realms. It needs no initialisation: it is ready wherever
 * `crypto.subtle` exists (Node 20, secure pages and workers).
 * @module
 */
import type { IHasher } from 'hash-wasm';
import { CryptoError } from './errors.ts';
import type { HashName } from './hash-names.ts';

/** The primitives whose engine can change. */
export const SWITCHABLE_PRIMITIVES = [
  'digest',
  'hmac',
  'aes-gcm',
  'ecdsa-p256-sign',
  'ecdsa-p256-verify',
  'ecdsa-p384-sign',
  'ecdsa-p384-verify',
  'ecdsa-p521-sign',
  'ecdsa-p521-verify',
  'rsa-pkcs1-sign',
  'rsa-pkcs1-verify',
  'rsa-pss-sign',
  'rsa-pss-verify',
] as const;
export type SwitchablePrimitive = (typeof SWITCHABLE_PRIMITIVES)[number];

/** Every engine the crypto layer knows; not every engine serves every primitive. */
export const ENGINE_NAMES = ['noble', 'hash-wasm', 'webcrypto', 'bigint'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/** Engines whose output depends only on their inputs and our RandomSource: the only ones allowed with a seed. */
export const DETERMINISTIC_ENGINES: readonly EngineName[] = ['noble', 'hash-wasm', 'bigint'];

/** The engines able to serve each primitive; the first is the reference. */
export const ENGINES_FOR: Readonly<Record<SwitchablePrimitive, readonly EngineName[]>> = {
  digest: ['noble', 'hash-wasm'],
  hmac: ['noble', 'hash-wasm'],
  'aes-gcm': ['noble', 'webcrypto'],
  'ecdsa-p256-sign': ['noble', 'webcrypto'],
  'ecdsa-p256-verify': ['noble', 'webcrypto'],
  'ecdsa-p384-sign': ['noble', 'webcrypto'],
  'ecdsa-p384-verify': ['noble', 'webcrypto'],
  'ecdsa-p521-sign': ['noble', 'webcrypto'],
  'ecdsa-p521-verify': ['noble', 'webcrypto'],
  'rsa-pkcs1-sign': ['bigint', 'webcrypto'],
  'rsa-pkcs1-verify': ['bigint', 'webcrypto'],
  'rsa-pss-sign': ['bigint', 'webcrypto'],
  'rsa-pss-verify': ['bigint', 'webcrypto'],
};

/** The reference engine of a primitive (noble, or our BigInt code for RSA). */
export function referenceEngine(primitive: SwitchablePrimitive): EngineName {
  assertPrimitive(primitive);
  return ENGINES_FOR[primitive][0]!;
}

/** Where this code runs: decides which row of {@link PREFERRED_BY_REALM} applies. */
export type Realm = 'browser' | 'node';

/** Node when `process.versions.node` is a string (vitest's browser mode has no such field), else browser. */
export function detectRealm(): Realm {
  const processLike = (globalThis as { process?: { versions?: { node?: unknown } } }).process;
  return typeof processLike?.versions?.node === 'string' ? 'node' : 'browser';
}

/** The realm of this module instance, detected once at load. */
export const REALM: Realm = detectRealm();

/**
 * The engine chosen by measurement, per realm, used once it is ready and the call is unseeded.
 * Ratios are ops/s of the engine ÷ the reference in the same run (`npm run bench`,
 * `npm run bench:browser`, 600 ms per case, awaited WebCrypto calls on an already imported key;
 * README "Engines"), measured 2026-11-29 on the project's loaded 2-core VM, Node 20.20.2 and
 * headless Chromium 156 in a module worker:
 * - AES-GCM: Node 0.8x, 0.8x and 1.3x at 64 B in three runs, 2.0–2.5x at 1 KiB, 17–27x at
 *   64 KiB (so WebCrypto only from {@link PREFERRED_FROM_BYTES}); Chromium 6.5x / 8.9x / 28x.
 * - ECDSA P-256: Node sign 30x, verify 71x; Chromium sign 5.3x, verify 8.9x.
 * - ECDSA P-384: Node sign 2.5x, verify 16x; Chromium sign 0.95x (0.7x in an earlier run: noble
 *   keeps signing), verify 4.6x.
 * - ECDSA P-521: Node sign 1.8x, verify 14x; Chromium sign 0.64x (noble keeps signing), verify 4.4x.
 * - RSA-2048, against our BigInt code: Node PKCS#1 v1.5 sign 12x, verify 6.5x, PSS sign 19x,
 *   verify 5.0x; Chromium 2.7x, 4.3x, 2.7x, 2.7x.
 * secp224r1 and secp256k1 are not in WebCrypto: noble serves them everywhere.
 */
export const PREFERRED_BY_REALM: Readonly<Record<Realm, Readonly<Record<SwitchablePrimitive, EngineName>>>> = {
  node: {
    digest: 'hash-wasm',
    hmac: 'hash-wasm',
    'aes-gcm': 'webcrypto',
    'ecdsa-p256-sign': 'webcrypto',
    'ecdsa-p256-verify': 'webcrypto',
    'ecdsa-p384-sign': 'webcrypto',
    'ecdsa-p384-verify': 'webcrypto',
    'ecdsa-p521-sign': 'webcrypto',
    'ecdsa-p521-verify': 'webcrypto',
    'rsa-pkcs1-sign': 'webcrypto',
    'rsa-pkcs1-verify': 'webcrypto',
    'rsa-pss-sign': 'webcrypto',
    'rsa-pss-verify': 'webcrypto',
  },
  browser: {
    digest: 'hash-wasm',
    hmac: 'hash-wasm',
    'aes-gcm': 'webcrypto',
    'ecdsa-p256-sign': 'webcrypto',
    'ecdsa-p256-verify': 'webcrypto',
    'ecdsa-p384-sign': 'noble',
    'ecdsa-p384-verify': 'webcrypto',
    'ecdsa-p521-sign': 'noble',
    'ecdsa-p521-verify': 'webcrypto',
    'rsa-pkcs1-sign': 'webcrypto',
    'rsa-pkcs1-verify': 'webcrypto',
    'rsa-pss-sign': 'webcrypto',
    'rsa-pss-verify': 'webcrypto',
  },
};

/**
 * Input sizes below which the reference still wins in a realm (one awaited WebCrypto call costs
 * more than the work): AES-GCM in Node is 0.8x at 64 B in two runs of three, 2.0x and more from 1 KiB.
 */
export const PREFERRED_FROM_BYTES: Readonly<Record<Realm, Readonly<Partial<Record<SwitchablePrimitive, number>>>>> = {
  node: { 'aes-gcm': 512 },
  browser: {},
};

/** The engine chosen by measurement in this realm (see {@link PREFERRED_BY_REALM}). */
export const PREFERRED_ENGINE: Readonly<Record<SwitchablePrimitive, EngineName>> = PREFERRED_BY_REALM[REALM];

/** What a caller tells {@link engineFor} about one call. */
export interface EngineQuery {
  /** The call draws from a seeded RandomSource (`RandomSource.deterministic`): only deterministic engines may serve. */
  readonly deterministic?: boolean;
  /** Size of the data the call processes, for size thresholds ({@link PREFERRED_FROM_BYTES}). */
  readonly bytes?: number;
}

let wasmHashers: Readonly<Record<HashName, IHasher>> | undefined;
let initPromise: Promise<void> | undefined;
const forcedEngine: Partial<Record<SwitchablePrimitive, EngineName>> = {};

/**
 * Compile and instantiate the WebAssembly engines. Idempotent: later calls return the same
 * promise. If it fails, noble keeps serving and the next call retries.
 */
export function initEngines(): Promise<void> {
  initPromise ??= (async () => {
    // Loaded here, not at the top, so code that only names hashes (the page's command table)
    // does not carry the WebAssembly modules; the HSM worker awaits this at boot.
    const { createSHA1, createSHA224, createSHA256, createSHA384, createSHA512 } = await import('hash-wasm');
    const [sha1, sha224, sha256, sha384, sha512] = await Promise.all([
      createSHA1(),
      createSHA224(),
      createSHA256(),
      createSHA384(),
      createSHA512(),
    ]);
    wasmHashers = { sha1, sha224, sha256, sha384, sha512 };
  })().catch((error: unknown) => {
    initPromise = undefined;
    throw error;
  });
  return initPromise;
}

/** Whether an engine can serve right now (noble and bigint always; hash-wasm after {@link initEngines}; WebCrypto where `crypto.subtle` exists). */
export function engineReady(engine: EngineName): boolean {
  switch (engine) {
    case 'noble':
    case 'bigint':
      return true;
    case 'hash-wasm':
      return wasmHashers !== undefined;
    case 'webcrypto':
      return typeof globalThis.crypto?.subtle?.sign === 'function';
  }
}

/**
 * The engine that serves `primitive` for one call: the reference if the call is seeded and the
 * candidate engine cannot be seeded; else the forced one if set; else the realm's preferred one if
 * it is ready (and the input is large enough, for size thresholds); else the reference.
 */
export function engineFor(primitive: SwitchablePrimitive, query: EngineQuery = {}): EngineName {
  assertPrimitive(primitive);
  const reference = ENGINES_FOR[primitive][0]!;
  const allowed = (engine: EngineName) => query.deterministic !== true || DETERMINISTIC_ENGINES.includes(engine);
  const forced = forcedEngine[primitive];
  if (forced) return allowed(forced) ? forced : reference;
  const preferred = PREFERRED_ENGINE[primitive];
  if (!allowed(preferred) || !engineReady(preferred)) return reference;
  const fromBytes = PREFERRED_FROM_BYTES[REALM][primitive];
  if (fromBytes !== undefined && query.bytes !== undefined && query.bytes < fromBytes) return reference;
  return preferred;
}

/**
 * Force an engine for a primitive (benchmarks, differential tests), or `'auto'` to go back to
 * the measured choice. A seeded call still gets the reference if the forced engine cannot be seeded.
 * @throws CryptoError `'unsupported'` if the engine cannot serve that primitive or is not initialised.
 */
export function useEngine(primitive: SwitchablePrimitive, engine: EngineName | 'auto'): void {
  assertPrimitive(primitive);
  if (engine === 'auto') {
    delete forcedEngine[primitive];
    return;
  }
  if (!ENGINES_FOR[primitive].includes(engine)) {
    throw new CryptoError('unsupported', `engine ${JSON.stringify(engine)} cannot serve ${primitive}; choose one of ${ENGINES_FOR[primitive].join(', ')}`);
  }
  if (!engineReady(engine)) {
    throw new CryptoError(
      'unsupported',
      engine === 'webcrypto' ? 'engine webcrypto is not available here (no crypto.subtle)' : `engine ${engine} is not initialised; await initEngines() first`,
    );
  }
  forcedEngine[primitive] = engine;
}

/**
 * The shared hash-wasm hasher for `hash` (internal: used by hash.ts and hmac.ts). A hasher is
 * stateful but every use is synchronous init → update → digest, so one per hash is safe.
 * @throws CryptoError `'unsupported'` before {@link initEngines} has resolved.
 */
export function _wasmHasher(hash: HashName): IHasher {
  if (!wasmHashers) throw new CryptoError('unsupported', 'engine hash-wasm is not initialised; await initEngines() first');
  return wasmHashers[hash];
}

function assertPrimitive(primitive: string): asserts primitive is SwitchablePrimitive {
  if (!(SWITCHABLE_PRIMITIVES as readonly string[]).includes(primitive)) {
    throw new CryptoError('unsupported', `unknown primitive ${JSON.stringify(primitive)}; expected one of ${SWITCHABLE_PRIMITIVES.join(', ')}`);
  }
}
