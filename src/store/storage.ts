/**
 * The one persistence interface an HSM is handed: a whole-state snapshot, saved atomically.
 * An adapter must guarantee that after a crash `load()` returns either the previous snapshot or
 * the new one, never a mix (IndexedDB: one put in one transaction; files: write a temp file,
 * fsync, rename; memory: swap a reference).
 * @module
 */
export interface Storage {
  /** The last saved snapshot, or undefined for a new HSM. Rejects with a clear error if corrupt. */
  load(): Promise<Uint8Array | undefined>;
  /** Replace the snapshot atomically. */
  save(snapshot: Uint8Array): Promise<void>;
}
