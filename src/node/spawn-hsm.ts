/**
 * Starts one HSM in a Node worker thread and connects to it with comlink: the Node
 * {@link HsmSpawner} the cluster client is handed (the browser one lives in src/cluster).
 * The TypeScript entry is started through workers/ts-worker-bootstrap.mjs (tsx); a built entry
 * (`.mjs`) can be named instead for the packaged CLI.
 * @module
 */
import { Worker } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { HsmEndpoint } from '../cluster/protocol.ts';
import type { HsmSpawner, SpawnedHsm } from '../cluster/hsm-link.ts';
import { tapEndpoint, type WireListener } from '../cluster/wire-tap.ts';

const BOOTSTRAP = new URL('../../workers/ts-worker-bootstrap.mjs', import.meta.url);
const TS_ENTRY = new URL('../../workers/hsm.node-worker.ts', import.meta.url);

export interface NodeSpawnOptions {
  /** A built JavaScript worker entry to run directly instead of the TypeScript source. */
  readonly builtEntry?: URL;
  /** Called with every message crossing the boundary (tests that inspect the protocol). */
  readonly onMessage?: WireListener;
}

/** Start one HSM worker thread. */
export function spawnNodeHsm(options: NodeSpawnOptions = {}): SpawnedHsm {
  const worker = options.builtEntry
    ? new Worker(options.builtEntry)
    : new Worker(BOOTSTRAP, { workerData: { entry: TS_ENTRY.href } });
  const port = options.onMessage ? tapEndpoint(nodeEndpoint(worker), options.onMessage) : nodeEndpoint(worker);
  const remote = Comlink.wrap<HsmEndpoint>(port);
  return {
    endpoint: remote,
    onExit(listener) {
      worker.once('exit', () => listener('worker thread exited'));
      worker.once('error', (error) => listener(`worker thread failed: ${error.message}`));
    },
    terminate() {
      remote[Comlink.releaseProxy]?.();
      void worker.terminate();
    },
  };
}

/** The spawner to give a Cluster in Node. */
export function nodeSpawner(options: NodeSpawnOptions = {}): HsmSpawner {
  return () => spawnNodeHsm(options);
}
