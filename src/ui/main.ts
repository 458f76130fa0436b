/**
 * The page's entry: styles, then the app (cluster, sessions, terminal, inspectors), which is
 * loaded as its own chunk right away — it carries the cloudhsm-cli command table, whose quorum
 * commands bring public-key parsing and hashing, so keeping it out of the entry lets the page's
 * skeleton paint first while the chunk and the HSM workers load in parallel. The HSM
 * worker self-test of the first page stays reachable in its panel: it runs in its own worker a
 * moment after the cluster is ready (so it never delays the first command), at once with
 * `?selftest` in the address, or when the panel is opened.
 * @module
 */
import './styles.css';
import { byId } from './dom.ts';
import { runSelfTest } from './self-test-panel.ts';
import { mountSandboxPanel } from './sandbox/sandbox-panel.ts';

const selfTestPanel = byId('self-test-panel', HTMLDetailsElement);
let selfTestStarted = false;
function startSelfTest(): void {
  if (selfTestStarted) return;
  selfTestStarted = true;
  void runSelfTest();
}
selfTestPanel.addEventListener('toggle', () => {
  if (selfTestPanel.open) startSelfTest();
});
if (new URLSearchParams(location.search).has('selftest')) {
  selfTestPanel.open = true;
  startSelfTest();
}

/** Delay between "cluster ready" and the background self-test. */
const SELF_TEST_DELAY_MS = 2000;

mountSandboxPanel();

import('./app.ts')
  .then(({ App }) => App.start())
  .catch((error: unknown) => {
    const status = byId('page-status', HTMLElement);
    status.dataset.state = 'failed';
    status.textContent = `The cluster could not start: ${error instanceof Error ? error.message : String(error)}`;
  })
  .finally(() => setTimeout(startSelfTest, SELF_TEST_DELAY_MS));
