/**
 * Runs the crypto benchmark cases inside a module worker (where the HSMs run) and posts each
 * result, then the list and the engine src/crypto chose per primitive.
 * @module
 */
import { chosenEngine, cryptoCases } from './crypto-cases.ts';
import { runCases, type BenchResult } from './measure.ts';

/** Messages this worker posts to the page. */
export type BenchMessage =
  | { kind: 'progress'; result: BenchResult }
  | { kind: 'done'; results: BenchResult[]; chosen: Record<string, string> }
  | { kind: 'error'; message: string };

const post = (m: BenchMessage) => (self as unknown as { postMessage(m: BenchMessage): void }).postMessage(m);

addEventListener('message', (event: MessageEvent<{ budgetMs: number }>) => {
  cryptoCases()
    .then((cases) => runCases(cases, event.data.budgetMs, (result) => post({ kind: 'progress', result })))
    .then((results) => {
      const chosen = Object.fromEntries(results.map((r) => [r.primitive, chosenEngine(r.primitive)]));
      post({ kind: 'done', results, chosen });
    })
    .catch((error: unknown) => post({ kind: 'error', message: error instanceof Error ? error.stack ?? error.message : String(error) }));
});
