/**
 * The HSM side of the worker boundary, realm-agnostic: builds the {@link HsmEndpoint} object that
 * the browser worker and the Node worker expose over comlink. The two entries differ only in how
 * they make a Storage from a {@link StorageSpec} (IndexedDB or files) — handed in here.
 *
 * Seeded configs get a random stream forked per HSM and per boot plus a virtual clock, so
 * deterministic clusters stay byte-identical; otherwise system randomness and time.
 * @module
 */
import * as Comlink from 'comlink';
import { ecdsaSign } from '../crypto/ecdsa.ts';
import { initEngines } from '../crypto/engines.ts';
import { forkRandom, seededRandom, systemRandom, type RandomSource } from '../crypto/random.ts';
import { systemClock, virtualClock } from '../hsm/clock.ts';
import { fail, type Envelope } from '../hsm/envelope.ts';
import { Hsm } from '../hsm/hsm.ts';
import type { AnyRequest } from '../hsm/requests.ts';
import { MemoryStorage } from '../store/memory.ts';
import type { Storage } from '../store/storage.ts';
import { TRANSFER_THRESHOLD_BYTES, type HsmConfig, type HsmEndpoint, type StorageSpec } from './protocol.ts';

/** Makes the Storage a config asks for; throws for a kind this realm cannot provide. */
export type StorageFactory = (spec: StorageSpec) => Storage;

export interface EndpointOptions {
  readonly makeStorage: StorageFactory;
  /** The first page's crypto self-test, supplied by the browser entry. */
  readonly selfTest?: () => Promise<unknown>;
}

/** Memory storage in every realm; other kinds are refused with a message naming the realm's choices. */
export function memoryOnlyStorage(spec: StorageSpec): Storage {
  if (spec.kind === 'memory') return new MemoryStorage();
  throw new Error(`Storage kind "${spec.kind}" is not available here (only "memory")`);
}

function validateConfig(config: HsmConfig): void {
  if (typeof config !== 'object' || config === null) throw new TypeError('HSM config must be an object');
  if (!Number.isInteger(config.index) || config.index < 0 || config.index > 255) {
    throw new RangeError(`HSM config: index must be an integer 0..255, got ${String(config.index)}`);
  }
  if (typeof config.ip !== 'string' || config.ip.length === 0) throw new TypeError('HSM config: ip must be a non-empty string');
  if (config.seed !== undefined && (typeof config.seed !== 'string' || config.seed.length === 0)) {
    throw new TypeError('HSM config: seed must be a non-empty string when given');
  }
  if (typeof config.storage !== 'object' || config.storage === null) throw new TypeError('HSM config: storage is required');
}

function randomFor(config: HsmConfig): RandomSource {
  if (config.seed === undefined) return systemRandom();
  return forkRandom(forkRandom(seededRandom(config.seed), `hsm${config.index}`), `boot${config.boot ?? 0}`);
}

/** Collect the large buffers of a value so comlink transfers them instead of copying. */
function largeBuffers(value: unknown, found: Transferable[] = [], depth = 0): Transferable[] {
  if (depth > 6 || value === null || typeof value !== 'object') return found;
  if (value instanceof Uint8Array) {
    if (value.byteLength >= TRANSFER_THRESHOLD_BYTES && value.byteOffset === 0 && value.byteLength === value.buffer.byteLength) {
      if (!found.includes(value.buffer as ArrayBuffer)) found.push(value.buffer as ArrayBuffer);
    }
    return found;
  }
  for (const item of Array.isArray(value) ? value : Object.values(value)) largeBuffers(item, found, depth + 1);
  return found;
}

/** Mark an answer so comlink transfers its large buffers (the worker does not keep them). */
function withTransfer<T>(value: T): T {
  const buffers = largeBuffers(value);
  return buffers.length > 0 ? Comlink.transfer(value, buffers) : value;
}

let warmedUp = false;
/**
 * "HSM boot": sign once with a throwaway P-256 key (not the HSM's, no randomness drawn), so the
 * curve's precomputed tables and the JIT are ready before the first user-visible operation
 * (perf notes: the first ECDSA op pays 4–50 ms otherwise).
 */
function warmUp(): void {
  if (warmedUp) return;
  warmedUp = true;
  const throwaway = new Uint8Array(32);
  throwaway[31] = 1;
  ecdsaSign('p256', throwaway, new Uint8Array(32), { hash: 'sha256' });
}

/**
 * Let the measured engines serve (hash-wasm for SHA/HMAC; see src/crypto/engines.ts). If the
 * WebAssembly cannot start (e.g. a Content-Security-Policy without 'wasm-unsafe-eval'), noble
 * keeps serving: the HSM works either way.
 */
async function startEngines(): Promise<void> {
  await initEngines().catch(() => undefined);
}

/** Build the object a worker exposes. One endpoint serves one HSM for the worker's life. */
export function createHsmEndpoint(options: EndpointOptions): HsmEndpoint {
  let hsm: Hsm | undefined;

  function hsmOptions(config: HsmConfig) {
    return {
      random: randomFor(config),
      clock: config.seed === undefined ? systemClock : virtualClock(),
      storage: options.makeStorage(config.storage),
      model: config.model,
      index: config.index,
      ip: config.ip,
      ...(config.settings ? { settings: config.settings } : {}),
      ...(config.passwordCost ? { passwordCost: config.passwordCost } : {}),
    };
  }

  function opened(): Hsm {
    if (!hsm) throw new Error('HSM is not open: call open() or restore() first');
    return hsm;
  }

  const notOpen: Envelope = fail('internal-error', 'HSM is not open');

  return {
    async ready() {
      await startEngines();
      warmUp();
      return hsm !== undefined;
    },
    async open(config) {
      validateConfig(config);
      if (hsm) throw new Error('HSM is already open in this worker');
      await startEngines();
      hsm = await Hsm.open(hsmOptions(config));
      warmUp();
      return hsm.summary();
    },
    async restore(backup, config) {
      validateConfig(config);
      if (!(backup instanceof Uint8Array)) throw new TypeError('restore: backup must be a Uint8Array');
      if (hsm) throw new Error('HSM is already open in this worker');
      await startEngines();
      hsm = await Hsm.restore(backup, hsmOptions(config));
      warmUp();
      return hsm.summary();
    },
    async handle(request: AnyRequest) {
      if (!hsm) return notOpen;
      return withTransfer(await hsm.handle(request));
    },
    async handleBatch(requests: readonly AnyRequest[]) {
      if (!Array.isArray(requests)) return [fail('bad-request', 'handleBatch: requests must be an array')];
      if (!hsm) return requests.map(() => notOpen);
      return withTransfer(await hsm.handleBatch(requests));
    },
    async backup() {
      const blob = await opened().backup();
      return Comlink.transfer(blob, blob.byteOffset === 0 && blob.byteLength === blob.buffer.byteLength ? [blob.buffer as ArrayBuffer] : []);
    },
    async summary() {
      return opened().summary();
    },
    async stateDigest() {
      return opened().stateDigest();
    },
    async selfTest() {
      if (!options.selfTest) throw new Error('No self-test is available in this realm');
      return options.selfTest();
    },
  };
}
