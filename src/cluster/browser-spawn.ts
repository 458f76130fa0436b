/**
 * The browser {@link HsmSpawner}: one module Web Worker per HSM (workers/hsm.worker.ts), reached
 * with comlink. The `new Worker(new URL(…), { type: 'module' })` expression is written inline so
 * Vite finds and bundles the worker.
 * @module
 */
import type { HsmSpawner, SpawnedHsm } from './hsm-link.ts';
import type { WireListener } from './wire-tap.ts';
import { spawnedFromWorker } from './web-worker-hsm.ts';

export function browserSpawner(options: { onMessage?: WireListener } = {}): HsmSpawner {
  return (): SpawnedHsm =>
    spawnedFromWorker(new Worker(new URL('../../workers/hsm.worker.ts', import.meta.url), { type: 'module', name: 'hsm' }), options.onMessage);
}
