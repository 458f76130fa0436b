/**
 * What crosses the worker boundary between the cluster client and one HSM: the config an HSM
 * worker is opened with (plain data) and the one small API the worker exposes over comlink.
 * Only requests, envelopes, masked objects, encrypted backups and non-secret facts travel here —
 * never key material or password hashes in clear (an explicit export of an extractable key is the
 * one exception, and it is an ordinary request).
 * @module
 */
import type { Envelope } from '../hsm/envelope.ts';
import type { AnyRequest } from '../hsm/requests.ts';
import type { PasswordCost } from '../crypto/password.ts';
import type { HsmSummary } from '../hsm/hsm.ts';
import type { HsmModel, HsmSettings } from '../hsm/state.ts';

export type { HsmSummary };

/** Where an HSM keeps its snapshot: in the worker's memory, in IndexedDB, or in a file. */
export type StorageSpec =
  | { readonly kind: 'memory' }
  | { readonly kind: 'idb'; readonly name: string }
  | { readonly kind: 'file'; readonly dir: string; readonly name: string };

/** Password hashing cost (plain data). */
export type PasswordCostSpec = PasswordCost;

/** Everything a worker needs to open (or restore) one HSM. Plain data: it is posted to the worker. */
export interface HsmConfig {
  /** The client-side cluster name this HSM belongs to (used only for naming and logs). */
  readonly clusterName?: string;
  /** Server id in the cluster (0-based). */
  readonly index: number;
  readonly ip: string;
  readonly model: HsmModel;
  /** Deterministic mode: the worker derives its random stream from this seed and uses a virtual clock. */
  readonly seed?: string;
  /**
   * How many times this HSM has been started before. Part of the seeded stream's label, so a
   * restarted seeded HSM never repeats the random bytes of its previous life.
   */
  readonly boot?: number;
  readonly storage: StorageSpec;
  readonly passwordCost?: PasswordCostSpec;
  readonly settings?: Partial<HsmSettings>;
}

/** The API one HSM worker exposes (browser Web Worker or Node worker_threads alike). */
export interface HsmEndpoint {
  /** Answers once the worker has loaded (used to pre-warm spare workers); true if an HSM is open. */
  ready(): Promise<boolean>;
  /** Open the HSM persisted in the configured storage, or a new unactivated one if it is empty. */
  open(config: HsmConfig): Promise<HsmSummary>;
  /** Replace whatever the storage holds with a clone restored from an encrypted backup. */
  restore(backup: Uint8Array, config: HsmConfig): Promise<HsmSummary>;
  handle(request: AnyRequest): Promise<Envelope>;
  handleBatch(requests: readonly AnyRequest[]): Promise<Envelope[]>;
  /** The whole state, encrypted so that only a simulated HSM can read it. */
  backup(): Promise<Uint8Array>;
  summary(): Promise<HsmSummary>;
  stateDigest(): Promise<string>;
  /** The crypto self-test of the first page (kept for src/ui). */
  selfTest(): Promise<unknown>;
}

/** Buffers at least this large are transferred across the boundary instead of copied. */
export const TRANSFER_THRESHOLD_BYTES = 64 * 1024;
