/**
 * Node worker_threads entry of one HSM: the shared endpoint over comlink's Node adapter, with
 * memory or file storage (a directory of files, replaced atomically).
 * @module
 */
import * as fs from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { createHsmEndpoint } from '../src/cluster/endpoint.ts';
import { FileStorage } from '../src/store/file.ts';
import { MemoryStorage } from '../src/store/memory.ts';

if (!parentPort) throw new Error('hsm.node-worker.ts must run inside a worker thread');

const endpoint = createHsmEndpoint({
  makeStorage(spec) {
    if (spec.kind === 'memory') return new MemoryStorage();
    if (spec.kind === 'file') return new FileStorage(fs, spec.dir, spec.name);
    throw new Error(`Storage kind "${spec.kind}" is not available in a Node worker (use "memory" or "file")`);
  },
});
Comlink.expose(endpoint, nodeEndpoint(parentPort));
