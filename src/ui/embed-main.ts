/**
 * The sandbox view (embed.html): a terminal and a compact cluster strip over a memory-only
 * cluster, the postMessage API for trusted host pages, and — when opened as a page of its own —
 * the Share and Tutorials panels. Address options: `?trust=ORIGIN[,ORIGIN]` (host pages allowed to
 * drive it; also `<body data-trust>`), `?seed=S`, `?hsms=N`, `?model=M`, `?tutorial=ID`,
 * `?panels=0|1`, and `#scenario=…` (a share link: replayed on open). See docs/embedding.md.
 * @module
 */
import './styles.css';
import './sandbox/sandbox.css';
import { browserSpawner } from '../cluster/browser-spawn.ts';
import { completeCommand } from '../cli/cloudhsm-cli/execute.ts';
import { byId, h } from './dom.ts';
import { ClusterStrip } from './sandbox/cluster-strip.ts';
import { parseTrustList } from './sandbox/embed-protocol.ts';
import { EmbedServer } from './sandbox/embed-server.ts';
import { registerOffline } from './sandbox/offline.ts';
import { askPasswords } from './sandbox/password-form.ts';
import { DEFAULT_SANDBOX_SETTINGS, Sandbox, type SandboxSettings } from './sandbox/sandbox.ts';
import { decodeScenario, missingPasswords, SCENARIO_MODELS } from './sandbox/scenario.ts';
import type { CommandRun } from './sandbox/script-runner.ts';
import { SharePanel } from './sandbox/share-panel.ts';
import { scenarioInFragment } from './sandbox/share-link.ts';
import { loadTutorials } from './sandbox/tutorial-library.ts';
import { TutorialPanel } from './sandbox/tutorial-panel.ts';
import { Terminal } from './terminal.ts';

const params = new URLSearchParams(location.search);
const root = byId('sandbox', HTMLElement);
const status = byId('sandbox-status', HTMLElement);

function setStatus(state: 'starting' | 'ready' | 'busy' | 'failed', text: string): void {
  status.dataset.state = state;
  status.textContent = text;
}

function settingsFromAddress(): SandboxSettings {
  const hsms = Number(params.get('hsms') ?? DEFAULT_SANDBOX_SETTINGS.hsms);
  const model = SCENARIO_MODELS.find((m) => m === params.get('model')) ?? DEFAULT_SANDBOX_SETTINGS.model;
  const seed = params.get('seed') ?? undefined;
  return { hsms: Number.isInteger(hsms) && hsms >= 1 && hsms <= 28 ? hsms : DEFAULT_SANDBOX_SETTINGS.hsms, model, ...(seed ? { seed } : {}) };
}

async function start(): Promise<void> {
  const sandbox = await Sandbox.create({ spawn: browserSpawner() }, settingsFromAddress());
  const strip = new ClusterStrip();
  const sessionInput = h('input', { id: 'session-name', value: 'default', size: 12, 'aria-describedby': 'session-help' });
  let lastRun: CommandRun | undefined;
  const terminal = new Terminal(
    {
      run: async (line) => {
        const session = sessionInput.value.trim() || 'default';
        const run = await sandbox.run(line, session);
        lastRun = run;
        const who = sandbox.whoIs(session);
        return { output: run.output, failed: run.envelope?.error_code === 1, ...(run.envelope?.error_code === 1 && who ? { explanation: `Session “${session}” is logged in as ${who.username} (${who.role}).` } : {}) };
      },
      complete: (line, cursor) => completeCommand(line, cursor),
    },
    { id: 'sandbox-terminal', name: 'the sandbox' },
  );
  const runInTerminal = async (line: string, session: string | undefined): Promise<CommandRun> => {
    sessionInput.value = session ?? 'default';
    await terminal.run(line);
    return lastRun!;
  };

  const inFrame = window.top !== window;
  const showPanels = params.get('panels') === null ? !inFrame : params.get('panels') === '1';
  const main = h(
    'div',
    { class: 'sandbox-main' },
    strip.element,
    h('div', { class: 'session-picker' }, h('label', { for: 'session-name' }, 'Session'), sessionInput, h('span', { id: 'session-help', class: 'muted' }, 'each name is its own login')),
    terminal.element,
  );
  root.classList.toggle('with-panels', showPanels);
  root.append(main);

  let tutorials: TutorialPanel | undefined;
  if (showPanels) {
    const side = h('div', { class: 'sandbox-side' });
    side.append(new SharePanel(sandbox, () => location.href).element);
    tutorials = new TutorialPanel(loadTutorials(), sandbox, { runLine: async (line, session) => void (await runInTerminal(line, session)) });
    side.append(tutorials.element);
    root.append(side);
  }

  const refresh = (): void => void strip.render(sandbox.cluster);
  sandbox.onChange(refresh);
  await strip.render(sandbox.cluster);

  // The postMessage API, for trusted host pages only.
  const trust = parseTrustList([params.get('trust'), document.body.dataset.trust].filter(Boolean).join(','));
  for (const problem of trust.problems) console.warn(`hsm-playground embed: ${problem}`);
  const server = new EmbedServer(sandbox, trust.origins, runInTerminal);
  window.addEventListener('message', (event: MessageEvent) => {
    void server.handle(event.data, event.origin).then((answer) => {
      document.body.dataset.ignoredMessages = String(server.ignored);
      if (answer && event.source) (event.source as WindowProxy).postMessage(answer, event.origin);
    });
  });

  // A share link: replay it (asking for any passwords left out).
  const encoded = scenarioInFragment(location.hash);
  let note = `Sandbox ready: ${sandbox.cluster.size} HSMs in memory${sandbox.settings.seed ? `, seed ${sandbox.settings.seed}` : ''}.`;
  if (encoded) {
    try {
      const scenario = await decodeScenario(encoded);
      const needed = missingPasswords(scenario);
      const passwords = needed.length > 0 ? await askPasswords(root, needed) : {};
      if (passwords) {
        setStatus('busy', `Replaying ${scenario.steps.length} commands…`);
        const runs = await sandbox.load(scenario, passwords);
        for (const run of runs) terminal.note(`[${run.session}] aws-cloudhsm > ${run.line.replace(/--password\s+\S+/g, '--password ********')}`);
        const failed = runs.filter((r) => r.envelope?.error_code === 1).length;
        note = `Shared scenario replayed: ${runs.length} commands${failed ? `, ${failed} refused (as when it was recorded, or a wrong password)` : ''}.`;
        document.body.dataset.replayed = String(runs.length);
      }
    } catch (error) {
      setStatus('failed', `The shared link could not be opened: ${(error as Error).message}`);
      document.body.dataset.ready = 'true';
      return;
    }
  }
  const tutorialId = params.get('tutorial');
  if (tutorials && tutorialId) await tutorials.open(tutorialId);
  setStatus('ready', note);
  document.body.dataset.ready = 'true';
  for (const origin of trust.origins) window.parent.postMessage(server.readyEvent(), origin);
}

registerOffline();
start().catch((error: unknown) => setStatus('failed', `The sandbox could not start: ${error instanceof Error ? error.message : String(error)}`));
