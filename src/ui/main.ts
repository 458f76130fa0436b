/**
 * The first page: starts one HSM worker (module worker + comlink), asks it to run the crypto
 * self-test, and shows one row per primitive and engine. `#status[data-state]` goes
 * starting → running → ready | failed, which the e2e test waits on. The real UI replaces this.
 * @module
 */
import { wrap, type Remote } from 'comlink';
import type { SelfTestResult, selfTest } from '../crypto/self-test.ts';

type SelfTestWorker = Remote<{ selfTest: typeof selfTest }>;

const status = element('#status', HTMLElement);
const table = element('#self-test', HTMLTableElement);

function element<T extends Element>(selector: string, type: new () => T): T {
  const found = document.querySelector(selector);
  if (!(found instanceof type)) throw new Error(`index.html is missing ${selector} (${type.name})`);
  return found;
}

function setStatus(state: 'running' | 'ready' | 'failed', text: string): void {
  status.dataset.state = state;
  status.textContent = text;
}

function showResults(results: readonly SelfTestResult[]): void {
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

async function main(): Promise<void> {
  const started = performance.now();
  const worker = new Worker(new URL('../../workers/hsm.worker.ts', import.meta.url), { type: 'module', name: 'hsm-1' });
  const workerFailed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (e) => reject(new Error(`the HSM worker failed to start: ${e.message || 'load error'}`)));
  });
  const hsm: SelfTestWorker = wrap(worker);
  setStatus('running', 'Running the self-test inside the HSM worker…');
  const results = await Promise.race([hsm.selfTest(), workerFailed]);
  showResults(results);
  const failed = results.filter((r) => !r.ok).length;
  const total = (performance.now() - started).toFixed(0);
  if (failed === 0) setStatus('ready', `All ${results.length} checks passed (worker start and self-test: ${total} ms).`);
  else setStatus('failed', `${failed} of ${results.length} checks failed.`);
}

main().catch((error: unknown) => {
  setStatus('failed', error instanceof Error ? error.message : String(error));
});
