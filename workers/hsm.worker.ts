/**
 * The HSM worker (browser entry): one HSM behind the shared endpoint (src/cluster/endpoint.ts),
 * exposed over comlink, keeping its snapshot in this origin's IndexedDB (one record per HSM, one
 * put per save) or in memory for embedded sandboxes. `selfTest` is the first page's crypto
 * self-test (every primitive through its chosen engine, WebAssembly included).
 * @module
 */
import { expose } from 'comlink';
import { createHsmEndpoint } from '../src/cluster/endpoint.ts';
import type { HsmEndpoint } from '../src/cluster/protocol.ts';
import { selfTest } from '../src/crypto/self-test.ts';
import { IdbStorage } from '../src/store/idb.ts';
import { MemoryStorage } from '../src/store/memory.ts';

/** What the page can call in this worker (through comlink's `wrap`). */
export type HsmWorkerApi = HsmEndpoint & { selfTest: typeof selfTest };

const api: HsmWorkerApi = {
  ...createHsmEndpoint({
    makeStorage(spec) {
      if (spec.kind === 'memory') return new MemoryStorage();
      if (spec.kind === 'idb') return new IdbStorage(spec.name);
      throw new Error(`Storage kind "${spec.kind}" is not available in a browser worker (use "memory" or "idb")`);
    },
  }),
  selfTest,
};
expose(api);
