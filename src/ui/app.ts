/**
 * The page, wired together: the clusters (ClusterHome), the cluster picker and the current
 * cluster's panel, the sessions (tabs, each a ClusterSession on one of the clusters with its
 * terminal and quick actions; selecting a session makes its cluster current, and choosing a
 * cluster selects its latest session), the inspectors, the permission table and
 * the audit log, and the Share panel (a link or a transcript of what the sessions ran, recorded by
 * a SessionRecorder). After every command everything is refreshed from the cluster, so what the page
 * shows is always what the HSMs hold. The HSM workers start with the page and the first refresh
 * runs a request through them, so the first command typed is answered without a cold start.
 * @module
 */
import { VirtualFiles } from '../cli/files.ts';
import { AuditView } from './audit-view.ts';
import type { Cluster } from '../cluster/cluster.ts';
import { ClusterHome } from './cluster-home.ts';
import { ClusterPicker } from './cluster-picker.ts';
import { ClusterView, readClusterFacts } from './cluster-view.ts';
import { FilesView } from './files-view.ts';
import { byId, h } from './dom.ts';
import { Inspectors } from './inspectors.ts';
import { PermissionTable } from './permission-table.ts';
import { seededVisitFrom, type SeededVisit } from './sandbox/seed-address.ts';
import { SharePanel } from './sandbox/share-panel.ts';
import { SessionRecorder, type ClusterOrigin, type ClusterTask, type RecordingBasis } from './session-recorder.ts';
import { SessionView } from './session-view.ts';
import { parseSettings } from './settings.ts';

type PageState = 'starting' | 'ready' | 'busy' | 'failed';

export class App {
  readonly #home: ClusterHome;
  readonly #files = new VirtualFiles();
  readonly #sessions: SessionView[] = [];
  #active: SessionView | undefined;
  readonly #status = byId('page-status', HTMLElement);
  readonly #tabs = byId('session-tabs', HTMLElement);
  readonly #terminals = byId('terminals', HTMLElement);
  readonly #clusterView: ClusterView;
  readonly #picker: ClusterPicker;
  readonly #inspectors: Inspectors;
  readonly #permissions = new PermissionTable();
  readonly #audit: AuditView;
  readonly #filesView: FilesView;
  /** What the sessions ran since this cluster was made (or this visit began), for links and transcripts. */
  readonly #recorder: SessionRecorder;
  readonly #share: SharePanel;
  /** How the next replacement cluster is made (an import cannot be replayed from scratch). */
  #nextOrigin: ClusterOrigin = 'fresh';
  #refreshing: Promise<void> | undefined;
  #again = false;
  /** Seeded visit: the next refresh also reads the inspectors and the audit log (the Refresh button). */
  /** Counts changes (answers, cluster tasks); `body[data-settled]` = the count the last finished refresh covers. */
  #changes = 0;

  private constructor(home: ClusterHome, origin: ClusterOrigin) {
    this.#home = home;
    this.#recorder = new SessionRecorder(this.#basis(origin));
    this.#clusterView = new ClusterView(
      { cards: byId('hsm-cards', HTMLElement), badge: byId('sync-badge', HTMLElement), id: byId('cluster-id', HTMLElement) },
      {
        stop: async (i) => this.#task(`Stopping HSM ${i}`, async () => {
          this.#home.cluster.stopHsm(i);
          this.#recordTask({ kind: 'stop-hsm', index: i });
        }),
        start: async (i) => this.#task(`Starting HSM ${i} and resynchronising it`, async () => {
          await this.#home.cluster.startHsm(i);
          this.#recordTask({ kind: 'start-hsm', index: i });
        }),
        remove: async (i) => this.#task(`Removing HSM ${i}`, async () => {
          await this.#home.cluster.removeHsm(i);
          this.#recordTask({ kind: 'remove-hsm', index: i });
        }),
      },
    );
    this.#picker = new ClusterPicker(
      { select: byId('cluster-select', HTMLSelectElement), create: byId('new-cluster', HTMLButtonElement), clone: byId('clone-cluster', HTMLButtonElement), remove: byId('remove-cluster', HTMLButtonElement) },
      {
        choose: (name) => this.#choose(name),
        create: () => void this.#task('Creating a new unactivated cluster', async () => void this.newSession(await this.#home.create())),
        clone: () => void this.#task(`Cloning ${this.#home.cluster.name} from a backup of a live HSM`, async () => void this.newSession(await this.#home.cloneCurrent())),
        remove: (name) => {
          if (confirm(`Remove ${name}? Its HSMs stop and their users and keys are deleted.`)) void this.#task(`Removing ${name}`, () => this.#removeCluster(name));
        },
      },
    );
    this.#inspectors = new Inspectors({ users: byId('users-view', HTMLElement), keys: byId('keys-view', HTMLElement), as: byId('inspect-as', HTMLElement) });
    this.#audit = new AuditView({
      view: byId('audit-view', HTMLElement),
      note: byId('audit-note', HTMLElement),
      hsm: byId('audit-hsm', HTMLSelectElement),
      user: byId('audit-user', HTMLSelectElement),
      hideAppliance: byId('audit-hide-appliance', HTMLInputElement),
    });
    this.#filesView = new FilesView(this.#files, { list: byId('files-view', HTMLElement), upload: byId('file-upload', HTMLInputElement) });
    byId('permissions-view', HTMLElement).append(this.#permissions.element);
    this.#share = new SharePanel(this.#recorder, () => `${location.origin}${location.pathname}`, {
      notes: () => [...this.#recorder.replayNotes(), ...(this.#home.clusters.length > 1 ? ['This visit holds several clusters: a replay runs every command on one cluster.'] : [])],
      transcriptName: () => `hsm-playground-${this.#home.seed !== undefined ? 'seed-' + this.#home.seed.replace(/[^A-Za-z0-9_.-]+/g, '-') : 'session'}.md`,
    });
    const selfTest = document.getElementById('self-test-panel');
    document.querySelector('main')?.insertBefore(this.#share.element, selfTest);
    home.onReplaced((oldName) => {
      this.#recorder.reset(this.#basis(this.#nextOrigin));
      this.#nextOrigin = 'fresh';
      this.#share.refresh();
      this.#restartSessions(oldName);
    });
  }

  /** The cluster a recording starts from: its seed, its HSM count now, its model. */
  #basis(origin: ClusterOrigin): RecordingBasis {
    const home = this.#home;
    return { ...(home.seed !== undefined ? { seed: home.seed } : {}), hsms: home.cluster.size, model: home.settings.model, origin };
  }

  /** Records a cluster task done with a button, in the active session's place in the order. */
  #recordTask(task: ClusterTask): void {
    this.#recorder.recordClusterTask(this.#active?.name ?? 'Session', task);
  }

  /** The recording behind the Share panel (for tests and the console). */
  get recorder(): SessionRecorder {
    return this.#recorder;
  }

  /** Opens (or creates) the cluster and shows the page. */
  static async start(): Promise<App> {
    const started = performance.now();
    // `?seed=S`: a deterministic cluster of its own, in memory (cluster-home.ts); a bad seed is reported, not ignored.
    let seeded: SeededVisit | undefined;
    let seedProblem: string | undefined;
    try {
      seeded = seededVisitFrom(location.search);
    } catch (error) {
      seedProblem = `${(error as Error).message}; this is your saved cluster, not a seeded one.`;
    }
    const { home, reopened, problem } = await ClusterHome.open(seeded);
    const app = new App(home, reopened ? 'reopened' : 'fresh');
    app.#wireControls();
    app.newSession();
    await app.refresh();
    const ms = Math.round(performance.now() - started);
    const reopenedText = home.clusters.length > 1 ? `${home.clusters.length} clusters reopened (current: ${home.cluster.name})` : 'Cluster reopened';
    const made = home.seed !== undefined ? `Seeded cluster (seed “${home.seed}”, in memory, not saved) created` : reopened ? reopenedText : 'New unactivated cluster created';
    if (home.seed !== undefined) document.body.dataset.seed = home.seed;
    app.#setStatus('ready', problem ?? seedProblem ?? `${made}: ${home.cluster.size} HSMs ready in ${ms} ms.`);
    document.body.dataset.ready = 'true';
    return app;
  }

  get activeSession(): SessionView | undefined {
    return this.#active;
  }

  /** Opens a new session tab (not logged in) on `cluster` (the current one by default) and selects it. */
  newSession(cluster: Cluster = this.#home.cluster): SessionView {
    const home = this.#home;
    const view = new SessionView(cluster.openSession(), this.#files, cluster, {
      // `--cluster-id`: the session the same user (or a not-logged-in one) has on that cluster, the latest first.
      sessionFor: (id, username) => {
        const target = home.find(id);
        return [...this.#sessions].reverse().find((s) => s.session.clusterId === target?.name && s.session.identity?.username === username)?.session;
      },
      replication: (session) => home.replicationFor(session),
    });
    view.terminal.onAnswer(() => {
      this.#changed();
      void this.refresh();
    });
    view.onCommand((line, answers) => {
      this.#recorder.record(view.name, line, answers);
      this.#share.refresh();
    });
    view.onClose(() => this.#close(view));
    view.tab.addEventListener('click', () => this.select(view));
    view.tab.addEventListener('keydown', (e) => this.#tabKey(e, view));
    this.#sessions.push(view);
    this.#tabs.append(view.tab);
    this.#terminals.append(view.panel);
    view.terminal.note(`${view.name} opened (not logged in). Type help, or use the buttons above.`);
    this.select(view);
    return view;
  }

  /** Removes a closed session; the neighbour is selected, and a fresh session opens when it was the last. */
  #close(view: SessionView): void {
    const i = this.#sessions.indexOf(view);
    if (i < 0) return;
    this.#sessions.splice(i, 1);
    view.tab.remove();
    view.panel.remove();
    const next = this.#sessions[Math.min(i, this.#sessions.length - 1)];
    if (next) {
      this.select(next);
      next.terminal.focus();
    } else {
      this.newSession().terminal.focus();
    }
  }

  select(view: SessionView, focus = false): void {
    this.#active = view;
    if (view.session.clusterId !== this.#home.cluster.name) {
      this.#home.select(view.session.clusterId);
      this.#audit.reset();
    }
    for (const s of this.#sessions) {
      const on = s === view;
      s.tab.setAttribute('aria-selected', String(on));
      s.tab.tabIndex = on ? 0 : -1;
      s.panel.hidden = !on;
    }
    this.#permissions.highlight(view.role);
    if (focus) view.tab.focus();
    this.#changed();
    void this.refresh();
  }

  #tabKey(event: KeyboardEvent, view: SessionView): void {
    const i = this.#sessions.indexOf(view);
    const n = this.#sessions.length;
    const target =
      event.key === 'ArrowRight' ? this.#sessions[(i + 1) % n] :
      event.key === 'ArrowLeft' ? this.#sessions[(i - 1 + n) % n] :
      event.key === 'Home' ? this.#sessions[0] :
      event.key === 'End' ? this.#sessions[n - 1] : undefined;
    if (target) {
      event.preventDefault();
      this.select(target, true);
    }
  }

  /** Re-reads the cluster and redraws everything (coalesced: one refresh at a time, one more if asked meanwhile). */
  refresh(): Promise<void> {
    if (this.#refreshing) {
      this.#again = true;
      return this.#refreshing;
    }
    this.#refreshing = (async () => {
      do {
        this.#again = false;
        await this.#refreshOnce().catch((e: unknown) => this.#setStatus('failed', `Refresh failed: ${(e as Error).message}`));
      } while (this.#again);
    })().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  #changed(): void {
    this.#changes++;
    document.body.dataset.changes = String(this.#changes);
  }

  async #refreshOnce(): Promise<void> {
    const covers = this.#changes;
    const cluster = this.#home.cluster;
    this.#picker.render(this.#home.clusters, cluster.name);
    byId('current-cluster-name', HTMLElement).textContent = ` (${cluster.name})`;
    this.#filesView.render();
    const facts = await readClusterFacts(cluster);
    this.#clusterView.render(cluster, facts);
    for (const s of this.#sessions) s.refreshIdentity();
    const active = this.#active;
    // Reads never move a seeded cluster's sequence (routing lanes, session-id stream, virtual time
    // advanced by changes only: src/cluster/op-kinds.ts, src/hsm/clock.ts), so a seeded visit
    // refreshes like any other and still answers as the Node tool does.
    if (active) this.#permissions.highlight(active.role);
    if (active) active.keys = await this.#inspectors.refresh(active.session, active.name, facts);
    await this.#audit.refresh(cluster);
    document.body.dataset.settled = String(covers);
  }

  #setStatus(state: PageState, text: string): void {
    this.#status.dataset.state = state;
    this.#status.textContent = text;
  }

  /** Runs a cluster operation with a status line, then refreshes. */
  async #task(what: string, fn: () => Promise<void>): Promise<void> {
    this.#setStatus('busy', `${what}…`);
    try {
      await fn();
      this.#changed();
      this.#setStatus('ready', `${what}: done.`);
    } catch (e) {
      this.#changed();
      this.#setStatus('failed', `${what} failed: ${(e as Error).message}`);
    }
    await this.refresh();
  }

  /** Makes cluster `name` current: selects its latest session, or opens one. */
  #choose(name: string): void {
    const latest = [...this.#sessions].reverse().find((s) => s.session.clusterId === name);
    if (latest) this.select(latest);
    else this.newSession(this.#home.select(name));
  }

  /** Drops the sessions on cluster `name` (its HSMs are gone) without selecting another. */
  #dropSessions(name: string): void {
    for (const s of this.#sessions.filter((v) => v.session.clusterId === name)) {
      s.tab.remove();
      s.panel.remove();
      this.#sessions.splice(this.#sessions.indexOf(s), 1);
      if (this.#active === s) this.#active = undefined;
    }
  }

  async #removeCluster(name: string): Promise<void> {
    await this.#home.remove(name);
    this.#dropSessions(name);
    this.#audit.reset();
    this.#choose(this.#home.cluster.name);
  }

  /** The sessions of a replaced cluster close; a fresh one opens on its replacement. */
  #restartSessions(oldName: string): void {
    this.#dropSessions(oldName);
    this.#audit.reset();
    this.newSession();
  }

  #wireControls(): void {
    // The skip link lands in the active session's command line, not just near it.
    document.querySelector('.skip-link')?.addEventListener('click', (e) => {
      e.preventDefault();
      this.#active?.terminal.focus();
    });
    byId('new-session', HTMLButtonElement).addEventListener('click', () => {
      const view = this.newSession();
      view.terminal.focus();
    });
    byId('add-hsm', HTMLButtonElement).addEventListener('click', () =>
      void this.#task('Adding an HSM (a clone of a live one)', async () => {
        await this.#home.cluster.addHsm();
        this.#recordTask({ kind: 'add-hsm' });
      }),
    );
    byId('audit-refresh', HTMLButtonElement).addEventListener('click', () => void this.refresh());
    byId('reset-cluster', HTMLButtonElement).addEventListener('click', () => {
      if (!confirm('Reset: delete this cluster with all its users and keys, and start a new unactivated one?')) return;
      void this.#task('Resetting the cluster', () => this.#home.reset());
    });
    byId('export-cluster', HTMLButtonElement).addEventListener('click', () =>
      void this.#task('Exporting the cluster', async () => {
        const text = await this.#home.exportFile();
        const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
        const link = h('a', { href: url, download: `hsm-playground-${this.#home.cluster.clusterId}.json` });
        document.body.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      }),
    );
    const fileInput = byId('import-file', HTMLInputElement);
    byId('import-cluster', HTMLButtonElement).addEventListener('click', () => fileInput.click());
    fileInput.addEventListener('change', () => {
      const file = fileInput.files?.[0];
      fileInput.value = '';
      if (!file) return;
      void this.#task(`Importing ${file.name}`, async () => {
        this.#nextOrigin = 'imported';
        try {
          await this.#home.importFile(await file.text());
        } finally {
          this.#nextOrigin = 'fresh';
        }
      });
    });
    const form = byId('settings-form', HTMLFormElement);
    const count = byId('setting-hsm-count', HTMLInputElement);
    const model = byId('setting-model', HTMLSelectElement);
    count.value = String(this.#home.settings.hsmCount);
    model.value = this.#home.settings.model;
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      let settings;
      try {
        settings = parseSettings({ hsmCount: Number(count.value), model: model.value });
      } catch (error) {
        this.#setStatus('failed', (error as Error).message);
        return;
      }
      if (!confirm(`Create a new cluster of ${settings.hsmCount} ${settings.model} HSMs? The current cluster is deleted.`)) return;
      void this.#task('Creating a new cluster', () => this.#home.reset(settings));
    });
  }
}
