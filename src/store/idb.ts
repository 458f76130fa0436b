/**
 * IndexedDB Storage for an HSM running in a browser worker: one record per HSM in one object
 * store, written with a single `put` (one transaction), so a worker killed mid-write leaves the
 * previous snapshot or the new one, never a mix. Also a small JSON record store for the cluster
 * registry (the list of clusters and their HSM configs, no secrets).
 * @module
 */
import { createStore, del, get, set, type UseStore } from 'idb-keyval';
import type { Storage } from './storage.ts';

/** The IndexedDB database and object store every HSM of this origin keeps its snapshot in. */
export const HSM_DATABASE = 'hsm-playground';
export const HSM_OBJECT_STORE = 'hsm-snapshots';

const RECORD_FORMAT = 1;

/** What one IndexedDB record holds: a format tag, so a foreign or damaged record is recognised. */
interface SnapshotRecord {
  readonly format: typeof RECORD_FORMAT;
  readonly snapshot: Uint8Array;
}

let defaultStore: UseStore | undefined;
function snapshotStore(): UseStore {
  defaultStore ??= createStore(HSM_DATABASE, HSM_OBJECT_STORE);
  return defaultStore;
}

function isSnapshotRecord(value: unknown): value is SnapshotRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as { format?: unknown; snapshot?: unknown };
  return record.format === RECORD_FORMAT && record.snapshot instanceof Uint8Array;
}

/** The snapshot of the HSM called `name` (e.g. `cluster-1/hsm-0`), in this origin's IndexedDB. */
export class IdbStorage implements Storage {
  readonly #key: string;
  readonly #store: UseStore;

  constructor(name: string, store: UseStore = snapshotStore()) {
    if (typeof name !== 'string' || name.length === 0) {
      throw new TypeError(`IdbStorage: name must be a non-empty string, got ${JSON.stringify(name)}`);
    }
    this.#key = name;
    this.#store = store;
  }

  async load(): Promise<Uint8Array | undefined> {
    const value: unknown = await get(this.#key, this.#store);
    if (value === undefined) return undefined;
    if (!isSnapshotRecord(value)) {
      throw new Error(
        `IndexedDB record "${this.#key}" in ${HSM_DATABASE}/${HSM_OBJECT_STORE} is not an HSM snapshot (format ${RECORD_FORMAT} with a Uint8Array)`,
      );
    }
    return value.snapshot;
  }

  async save(snapshot: Uint8Array): Promise<void> {
    if (!(snapshot instanceof Uint8Array)) throw new TypeError('IdbStorage.save: snapshot must be a Uint8Array');
    const record: SnapshotRecord = { format: RECORD_FORMAT, snapshot };
    await set(this.#key, record, this.#store);
  }

  /** Forget this HSM's snapshot (the HSM was removed from its cluster). */
  async erase(): Promise<void> {
    await del(this.#key, this.#store);
  }
}

/** A named JSON document in IndexedDB (used for the cluster registry). */
export class IdbJsonRecord<T> {
  readonly #key: string;
  readonly #store: UseStore;

  constructor(key: string, store: UseStore = createStore(HSM_DATABASE + '-registry', 'records')) {
    this.#key = key;
    this.#store = store;
  }

  async read(): Promise<T | undefined> {
    const value: unknown = await get(this.#key, this.#store);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw new Error(`IndexedDB record "${this.#key}" is not a JSON text`);
    return JSON.parse(value) as T;
  }

  async write(value: T): Promise<void> {
    await set(this.#key, JSON.stringify(value), this.#store);
  }
}
