/**
 * The {@link HsmSpawner} of the single-file build (vite.single.config.ts swaps it in for
 * src/cluster/browser-spawn.ts): the HSM worker bundled as a classic script and inlined, started
 * from a Blob URL — the only kind of worker that runs, with WebAssembly and IndexedDB, in a page
 * opened from file:// (toolchain notes §11).
 * @module
 */
import HsmWorker from '../../../workers/hsm.worker.ts?worker&inline';
import type { HsmSpawner, SpawnedHsm } from '../../cluster/hsm-link.ts';
import type { WireListener } from '../../cluster/wire-tap.ts';
import { spawnedFromWorker } from '../../cluster/web-worker-hsm.ts';

export function browserSpawner(options: { onMessage?: WireListener } = {}): HsmSpawner {
  return (): SpawnedHsm => spawnedFromWorker(new HsmWorker({ name: 'hsm' }), options.onMessage);
}
