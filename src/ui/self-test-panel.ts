/**
 * The HSM worker self-test panel (the project's first page, kept reachable): starts a throw-away
 * HSM worker, asks it to run the crypto known-answer tests, and shows one row per primitive and
 * engine. `#status[data-state]` goes starting → running → ready | failed, which the e2e test of
 * the foundation waits on. The worker is terminated afterwards so it costs nothing once done.
 * @module
 */
import { wrap, type Remote } from 'comlink';
import type { SelfTestResult } from '../crypto/self-test.ts';
import { byId } from './dom.ts';

type SelfTestWorker = Remote<{ selfTest(): Promise<unknown> }>;

function setStatus(status: HTMLElement, state: 'running' | 'ready' | 'failed', text: string): void {
  status.dataset.state = state;
  status.textContent = text;
}

function showResults(table: HTMLTableElement, results: readonly SelfTestResult[]): void {
  const body = table.tBodies[0] ?? table.createTBody();
  body.replaceChildren(
    ...results.map((r) => {
      const row = document.createElement('tr');
      row.dataset.name = r.name;
      row.dataset.engine = r.engine;
      row.dataset.ok = String(r.ok);
      if (r.output !== undefined) row.dataset.output = r.output;
      const cells = [r.name, r.engine, r.ok ? 'passed' : `FAILED: ${r.error ?? 'wrong answer'}`, r.ms.toFixed(1)];
      for (const [i, text] of cells.entries()) {
        const cell = document.createElement('td');
        cell.textContent = text;
        if (i === 3) cell.className = 'ms';
        row.append(cell);
      }
      return row;
    }),
  );
  table.hidden = false;
}

/** Runs the self-test in its own worker and fills `#status` and `#self-test`. */
export async function runSelfTest(): Promise<void> {
  const status = byId('status', HTMLElement);
  const table = byId('self-test', HTMLTableElement);
  const started = performance.now();
  const worker = new Worker(new URL('../../workers/hsm.worker.ts', import.meta.url), { type: 'module', name: 'hsm-self-test' });
  try {
    const workerFailed = new Promise<never>((_, reject) => {
      worker.addEventListener('error', (e) => reject(new Error(`the HSM worker failed to start: ${e.message || 'load error'}`)));
    });
    const hsm: SelfTestWorker = wrap(worker);
    setStatus(status, 'running', 'Running the self-test inside the HSM worker…');
    const results = (await Promise.race([hsm.selfTest(), workerFailed])) as SelfTestResult[];
    showResults(table, results);
    const failed = results.filter((r) => !r.ok).length;
    const total = (performance.now() - started).toFixed(0);
    if (failed === 0) setStatus(status, 'ready', `All ${results.length} checks passed (worker start and self-test: ${total} ms).`);
    else setStatus(status, 'failed', `${failed} of ${results.length} checks failed.`);
  } catch (error) {
    setStatus(status, 'failed', error instanceof Error ? error.message : String(error));
  } finally {
    worker.terminate();
  }
}
