/**
 * The browser benchmark page: starts the benchmark worker, shows the table when it is done, and
 * leaves the results on `window.benchResult` for bench/run-browser.ts. `?budget=<ms>` sets the
 * time per case.
 * @module
 */
import type { BenchMessage } from './browser-worker.ts';
import { formatTable } from './measure.ts';

declare global {
  interface Window {
    benchResult?: Extract<BenchMessage, { kind: 'done' | 'error' }>;
  }
}

const budgetMs = Number(new URLSearchParams(location.search).get('budget') ?? 600);
const status = document.getElementById('status')!;
const worker = new Worker(new URL('./browser-worker.ts', import.meta.url), { type: 'module' });
worker.addEventListener('error', (e) => {
  window.benchResult = { kind: 'error', message: `benchmark worker failed to load: ${e.message}` };
});
worker.addEventListener('message', (event: MessageEvent<BenchMessage>) => {
  const m = event.data;
  if (m.kind === 'progress') {
    status.textContent = `${m.result.primitive} ${m.result.size} ${m.result.engine}`;
    console.log(`progress: ${m.result.primitive} ${m.result.size} ${m.result.engine}`);
    return;
  }
  window.benchResult = m;
  status.textContent = m.kind === 'done' ? 'done' : `failed: ${m.message}`;
  if (m.kind === 'done') document.getElementById('table')!.textContent = formatTable(m.results, (p) => m.chosen[p] ?? '');
});
worker.postMessage({ budgetMs });
