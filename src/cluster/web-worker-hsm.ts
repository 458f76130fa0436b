/**
 * One HSM Web Worker as a {@link SpawnedHsm}: comlink on the worker (optionally tapped, for the
 * boundary tests), its error event as the exit signal, terminate as stop. Shared by the normal
 * browser spawner and the single-file build's, which differ only in how they start the worker.
 * @module
 */
import * as Comlink from 'comlink';
import type { SpawnedHsm } from './hsm-link.ts';
import type { HsmEndpoint } from './protocol.ts';
import { tapEndpoint, type WireListener } from './wire-tap.ts';

export function spawnedFromWorker(worker: Worker, onMessage?: WireListener): SpawnedHsm {
  const endpoint = Comlink.wrap<HsmEndpoint>(onMessage ? tapEndpoint(worker, onMessage) : worker);
  return {
    endpoint,
    onExit(listener) {
      worker.addEventListener('error', (event) => listener(`worker failed: ${event.message || 'script error'}`), { once: true });
    },
    terminate() {
      worker.terminate();
    },
  };
}
