/** In-memory Storage for tests and embedded sandboxes: the snapshot lives as long as the object. */
import type { Storage } from './storage.ts';

export class MemoryStorage implements Storage {
  #snapshot: Uint8Array | undefined;

  async load(): Promise<Uint8Array | undefined> {
    return this.#snapshot?.slice();
  }

  async save(snapshot: Uint8Array): Promise<void> {
    this.#snapshot = snapshot.slice();
  }
}
