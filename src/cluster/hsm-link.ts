/**
 * The one owner of an HSM worker's life on the client side: start it (open from persisted state,
 * or restore a clone from a backup), call it with a few requests in flight, batch requests, hand
 * large buffers over by transfer, stop it (terminate = a crashed HSM) and restart it.
 *
 * How a worker is started differs per realm (browser Web Worker, Node worker_threads, in-process
 * MessageChannel), so it is injected as an {@link HsmSpawner}; this module stays realm-agnostic.
 * Calls on a stopped or dying HSM reject with {@link HsmUnavailableError}, which the cluster uses
 * to fail over — a terminated worker never answers, so every call races the worker's death.
 * @module
 */
import * as Comlink from 'comlink';
import type { Envelope } from '../hsm/envelope.ts';
import type { AnyRequest } from '../hsm/requests.ts';
import { TRANSFER_THRESHOLD_BYTES, type HsmConfig, type HsmEndpoint, type HsmSummary } from './protocol.ts';

/** A started worker: the comlink proxy of its endpoint, a way to hear that it died, and a kill switch. */
export interface SpawnedHsm {
  readonly endpoint: Comlink.Remote<HsmEndpoint>;
  /** Register a listener called once if the worker exits or fails on its own. */
  onExit(listener: (why: string) => void): void;
  terminate(): void;
}

/** Starts one HSM worker (realm-specific). */
export type HsmSpawner = () => SpawnedHsm;

/** The HSM is stopped, was stopped during the call, or failed to start. */
export class HsmUnavailableError extends Error {
  constructor(
    readonly hsmIndex: number,
    message: string,
  ) {
    super(message);
    this.name = 'HsmUnavailableError';
  }
}

export type LinkState = 'stopped' | 'starting' | 'live' | 'failed';

export interface HsmLinkOptions {
  /** Requests outstanding at once on this worker (perf notes: 4–8+ keeps it busy). */
  readonly maxInFlight?: number;
}

/** Copy large buffers of a request so they can be transferred without detaching the caller's. */
function prepareTransfer<T>(value: T): { value: T; transfer: Transferable[] } {
  const transfer: Transferable[] = [];
  const visit = (item: unknown, depth: number): unknown => {
    if (item instanceof Uint8Array) {
      if (item.byteLength < TRANSFER_THRESHOLD_BYTES) return item;
      const copy = item.slice();
      transfer.push(copy.buffer);
      return copy;
    }
    if (depth > 4 || item === null || typeof item !== 'object') return item;
    if (Array.isArray(item)) return item.map((x) => visit(x, depth + 1));
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(item)) {
      const nv = visit(v, depth + 1);
      if (nv !== v) changed = true;
      out[k] = nv;
    }
    return changed ? out : item;
  };
  const result = visit(value, 0) as T;
  return { value: result, transfer };
}

export class HsmLink {
  readonly #spawn: HsmSpawner;
  readonly #maxInFlight: number;
  #config: HsmConfig;
  #worker: SpawnedHsm | undefined;
  #state: LinkState = 'stopped';
  #death: Promise<never> = Promise.reject(new Error('not started'));
  #die: (why: string) => void = () => {};
  #inFlight = 0;
  readonly #waiting: (() => void)[] = [];
  #lastSummary: HsmSummary | undefined;
  #failure: string | undefined;

  constructor(config: HsmConfig, spawn: HsmSpawner, options: HsmLinkOptions = {}) {
    this.#config = config;
    this.#spawn = spawn;
    this.#maxInFlight = options.maxInFlight ?? 8;
    this.#death.catch(() => {});
  }

  get config(): HsmConfig {
    return this.#config;
  }
  get index(): number {
    return this.#config.index;
  }
  get state(): LinkState {
    return this.#state;
  }
  get live(): boolean {
    return this.#state === 'live';
  }
  /** Requests sent and not yet answered (used for least-busy routing). */
  get inFlight(): number {
    return this.#inFlight + this.#waiting.length;
  }
  /** The summary from the last start or refresh (kept while the HSM is stopped). */
  get lastSummary(): HsmSummary | undefined {
    return this.#lastSummary;
  }
  /** Why the last start failed, if it did. */
  get failure(): string | undefined {
    return this.#failure;
  }

  /**
   * Start a worker and wait until it has loaded its code, without opening an HSM: a spare that
   * {@link startFromBackup} can take over later, so adding an HSM does not pay for the worker's
   * start-up (perf notes: 115–185 ms per worker, more when TypeScript is compiled on the fly).
   */
  static async prewarm(spawn: HsmSpawner): Promise<SpawnedHsm> {
    const worker = spawn();
    try {
      await worker.endpoint.ready();
      return worker;
    } catch (error) {
      worker.terminate();
      throw error;
    }
  }

  /** Start the worker (or take over a pre-warmed one) and open the HSM from its storage (new if empty). */
  start(prewarmed?: SpawnedHsm): Promise<HsmSummary> {
    return this.#boot((endpoint, config) => endpoint.open(config), prewarmed);
  }

  /** Start the worker (or take over a pre-warmed one) as a clone of the HSM the backup came from (storage is overwritten). */
  startFromBackup(backup: Uint8Array, prewarmed?: SpawnedHsm): Promise<HsmSummary> {
    return this.#boot((endpoint, config) => {
      const copy = backup.slice();
      return endpoint.restore(Comlink.transfer(copy, [copy.buffer]), config);
    }, prewarmed);
  }

  async #boot(open: (endpoint: Comlink.Remote<HsmEndpoint>, config: HsmConfig) => Promise<HsmSummary>, prewarmed?: SpawnedHsm): Promise<HsmSummary> {
    if (this.#state === 'live' || this.#state === 'starting') {
      throw new Error(`HSM ${this.index} is already ${this.#state}`);
    }
    this.#state = 'starting';
    this.#failure = undefined;
    const config: HsmConfig = { ...this.#config, boot: (this.#config.boot ?? -1) + 1 };
    this.#config = config;
    const worker = prewarmed ?? this.#spawn();
    this.#worker = worker;
    this.#death = new Promise<never>((_, reject) => {
      this.#die = (why) => reject(new HsmUnavailableError(this.index, `HSM ${this.index} (${config.ip}) is unavailable: ${why}`));
    });
    this.#death.catch(() => {});
    worker.onExit((why) => {
      if (this.#worker !== worker) return;
      this.#state = 'failed';
      this.#failure = why;
      this.#die(why);
    });
    try {
      const summary = await Promise.race([open(worker.endpoint, config), this.#death]);
      this.#lastSummary = summary;
      this.#state = 'live';
      return summary;
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      this.#kill('failed', why);
      throw new HsmUnavailableError(this.index, `HSM ${this.index} (${config.ip}) failed to start: ${why}`);
    }
  }

  /** Terminate the worker: the HSM stops answering at once, as if it crashed. */
  stop(): void {
    this.#kill('stopped', 'stopped');
  }

  #kill(state: LinkState, why: string): void {
    const worker = this.#worker;
    this.#worker = undefined;
    this.#state = state;
    if (state === 'failed') this.#failure = why;
    this.#die(why);
    worker?.terminate();
  }

  /** Stop (if running) and start again from persisted state. */
  async restart(): Promise<HsmSummary> {
    if (this.#state !== 'stopped' && this.#state !== 'failed') this.stop();
    return this.start();
  }

  async #call<T>(fn: (endpoint: Comlink.Remote<HsmEndpoint>) => Promise<T>): Promise<T> {
    if (this.#state !== 'live' || !this.#worker) {
      throw new HsmUnavailableError(this.index, `HSM ${this.index} (${this.#config.ip}) is ${this.#state}`);
    }
    if (this.#inFlight >= this.#maxInFlight) {
      await Promise.race([new Promise<void>((resolve) => this.#waiting.push(resolve)), this.#death]);
    }
    const worker = this.#worker;
    if (this.#state !== 'live' || !worker) {
      throw new HsmUnavailableError(this.index, `HSM ${this.index} (${this.#config.ip}) is ${this.#state}`);
    }
    this.#inFlight++;
    try {
      return await Promise.race([fn(worker.endpoint), this.#death]);
    } finally {
      this.#inFlight--;
      this.#waiting.shift()?.();
    }
  }

  handle(request: AnyRequest): Promise<Envelope> {
    const { value, transfer } = prepareTransfer(request);
    return this.#call((endpoint) => endpoint.handle(transfer.length > 0 ? Comlink.transfer(value, transfer) : value) as Promise<Envelope>);
  }

  handleBatch(requests: readonly AnyRequest[]): Promise<Envelope[]> {
    const { value, transfer } = prepareTransfer(requests);
    return this.#call((endpoint) => endpoint.handleBatch(transfer.length > 0 ? Comlink.transfer(value, transfer) : value) as Promise<Envelope[]>);
  }

  backup(): Promise<Uint8Array> {
    return this.#call((endpoint) => endpoint.backup());
  }

  async summary(): Promise<HsmSummary> {
    const summary = await this.#call((endpoint) => endpoint.summary());
    this.#lastSummary = summary;
    return summary;
  }

  stateDigest(): Promise<string> {
    return this.#call((endpoint) => endpoint.stateDigest());
  }

  selfTest(): Promise<unknown> {
    return this.#call((endpoint) => endpoint.selfTest());
  }
}
