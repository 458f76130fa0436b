/**
 * Node 20 cannot start a `.ts` worker entry even under tsx (toolchain.md pitfall 4): this plain
 * .mjs entry registers tsx's ESM loader inside the worker thread, then imports the TypeScript
 * entry named in workerData.entry (a file: URL). Used by tests, benchmarks and the dev CLI.
 * @module
 */
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
