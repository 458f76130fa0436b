/**
 * The {@link HsmSpawner} of the single-file build (vite.single.config.ts swaps it in for
 * src/cluster/browser-spawn.ts): the HSM worker bundled as a classic script and inlined, started
 * from a Blob URL — the only kind of worker that runs, with WebAssembly and IndexedDB, in a page
 * opened from file:// (toolchain notes §11).
 * @module
 */
import * as Comlink from 'comlink';
import HsmWorker from '../../../workers/hsm.worker.ts?worker&inline';
import type { HsmSpawner, SpawnedHsm } from '../../cluster/hsm-link.ts';
import type { HsmEndpoint } from '../../cluster/protocol.ts';
import { tapEndpoint, type WireListener } from '../../cluster/wire-tap.ts';

export function browserSpawner(options: { onMessage?: WireListener } = {}): HsmSpawner {
  return (): SpawnedHsm => {
    const worker = new HsmWorker({ name: 'hsm' });
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
