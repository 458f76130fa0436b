/**
 * Which implementation ("engine") serves each primitive. @noble is the reference and always
 * available. hash-wasm (SHA-2 compiled to WebAssembly) can serve SHA digests and HMAC once
 * {@link initEngines} has compiled its modules; after that `digest` and `hmac` stay synchronous.
 *
 * Choice, from `bench/hash-engines.ts` (Node 20, this 2-core machine; ratio to noble in the same
 * run): hash-wasm is faster at every size measured, 32 B to 1 MiB — SHA-256 1.45x at 32 B and
 * 2.2–2.6x from 1 KiB, SHA-512 2.8–3.4x, SHA-1 2.1–3.7x, HMAC-SHA256 1.4x at 32 B and 1.9–2.5x
 * from 1 KiB, HMAC-SHA512 2.3–3.4x — and perf-baseline.md found it 2–6x faster in Chromium 156
 * too. So it serves `digest` and `hmac` once initialised (see {@link PREFERRED_ENGINE}). Hashing is
 * deterministic in every engine, so hash-wasm also serves in seeded (deterministic) mode. Its
 * agreement with noble is proven by `test/unit/crypto/engines.test.ts` (every Wycheproof HMAC case
 * and random inputs through both engines). Before `initEngines()` resolves, noble serves.
 * @module
 */
import type { IHasher } from 'hash-wasm';
import { CryptoError } from './errors.ts';
import type { HashName } from './hash-names.ts';

/** The primitives whose engine can change. */
export const SWITCHABLE_PRIMITIVES = ['digest', 'hmac'] as const;
export type SwitchablePrimitive = (typeof SWITCHABLE_PRIMITIVES)[number];

/** Every engine the crypto layer knows; not every engine serves every primitive. */
export const ENGINE_NAMES = ['noble', 'hash-wasm'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/** The engines able to serve each primitive (reference first). */
export const ENGINES_FOR: Readonly<Record<SwitchablePrimitive, readonly EngineName[]>> = {
  digest: ['noble', 'hash-wasm'],
  hmac: ['noble', 'hash-wasm'],
};

/** The engine chosen by measurement, used once it is ready (see the module comment). */
export const PREFERRED_ENGINE: Readonly<Record<SwitchablePrimitive, EngineName>> = {
  digest: 'hash-wasm',
  hmac: 'hash-wasm',
};

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

/** Whether an engine can serve right now (noble always; hash-wasm after {@link initEngines}). */
export function engineReady(engine: EngineName): boolean {
  return engine === 'noble' || wasmHashers !== undefined;
}

/** The engine that serves `primitive` now: the forced one if set, else the preferred one if ready, else noble. */
export function engineFor(primitive: SwitchablePrimitive): EngineName {
  assertPrimitive(primitive);
  const forced = forcedEngine[primitive];
  if (forced) return forced;
  const preferred = PREFERRED_ENGINE[primitive];
  return engineReady(preferred) ? preferred : 'noble';
}

/**
 * Force an engine for a primitive (benchmarks, differential tests), or `'auto'` to go back to
 * the measured choice.
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
    throw new CryptoError('unsupported', `engine ${engine} is not initialised; await initEngines() first`);
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
