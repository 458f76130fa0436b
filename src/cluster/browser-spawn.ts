/**
 * The browser {@link HsmSpawner}: one module Web Worker per HSM (workers/hsm.worker.ts), reached
 * with comlink. The `new Worker(new URL(…), { type: 'module' })` expression is written inline so
 * Vite finds and bundles the worker.
 * @module
 */
import * as Comlink from 'comlink';
import type { HsmSpawner, SpawnedHsm } from './hsm-link.ts';
import type { HsmEndpoint } from './protocol.ts';
import { tapEndpoint, type WireListener } from './wire-tap.ts';

export function browserSpawner(options: { onMessage?: WireListener } = {}): HsmSpawner {
  return (): SpawnedHsm => {
    const worker = new Worker(new URL('../../workers/hsm.worker.ts', import.meta.url), { type: 'module', name: 'hsm' });
    const endpoint = Comlink.wrap<HsmEndpoint>(options.onMessage ? tapEndpoint(worker, options.onMessage) : worker);
    return {
      endpoint,
      onExit(listener) {
        worker.addEventListener('error', (event) => listener(`worker failed: ${event.message || 'script error'}`), { once: true });
      },
      terminate() {
        worker.terminate();
      },
    };
  };
}
