#!/usr/bin/env node
/**
 * Launcher of the `hsm-playground` command (package.json "bin"): runs the TypeScript source
 * directly through tsx's ESM loader (a devDependency, present after `npm ci`), so the tool works
 * offline on a fresh clone with no build step. The HSM worker threads start the same way
 * (workers/ts-worker-bootstrap.mjs).
 * @module
 */
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/node/main.ts');

process.stdout.on('error', (error) => {
  // The reader went away (e.g. `| head`): stop quietly, as command-line tools do.
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

let code;
try {
  code = await main({ argv: process.argv.slice(2), env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
} catch (error) {
  process.stderr.write(`hsm-playground: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  code = 1;
}
// Worker threads and stdin may still hold the event loop; every answer has been flushed already.
process.exit(code);
