/**
 * One session of the page: its own login on the cluster (a ClusterSession), a tab with the
 * user and role badge (CMU name beside the cloudhsm-cli name), the quick-action buttons gated by
 * the policy value with the reason shown when disabled, and a terminal running the cloudhsm-cli
 * command table, or CMU/KMU on their own connections through the tool switch (tool-switch.ts). A refusal typed in the terminal is printed as the real envelope followed by a
 * short explanation naming the roles that could run it (from the failure's allowedRoles).
 * A session belongs to one of the page's clusters (its tab says which); with the page's
 * {@link SessionLinks}, `--cluster-id` runs a command in the session the same user has on that
 * cluster, and `key replicate` / `user replicate` copy between the page's clusters.
 * @module
 */
import { completeCommand, execute } from '../cli/cloudhsm-cli/execute.ts';
import { PROMPT as CLI_PROMPT } from '../cli/cloudhsm-cli/table.ts';
import { ioOverFiles, type VirtualFiles } from '../cli/files.ts';
import type { ReplicationPort } from '../cluster/replication.ts';
import type { ClusterSession } from '../cluster/session.ts';
import type { Failure } from '../hsm/envelope.ts';
import type { Role } from '../hsm/policy.ts';
import { h } from './dom.ts';
import { mountKeyring, type MountedKeyring } from './keyring/keyring-view.ts';
import type { PromptAnswer } from './prompted-flags.ts';
import { QUICK_ACTIONS, type ActionContext } from './quick-actions.ts';
import { explainRefusal, gate, roleBadge, roleOf } from './roles.ts';
import { Terminal, type TerminalAnswer } from './terminal.ts';
import { ToolSessions, type ToolHost } from './tool-sessions.ts';
import { ToolSwitch } from './tool-switch.ts';

/** A key as the inspectors and actions see it (the `key list --verbose` object). */
export interface KeyView {
  readonly 'key-reference': string;
  readonly 'key-info'?: {
    readonly 'key-owners'?: readonly { username: string; 'key-coverage'?: string }[];
    readonly 'shared-users'?: readonly { username: string; 'key-coverage'?: string }[];
    readonly 'cluster-coverage'?: string;
  };
  readonly attributes?: Readonly<Record<string, unknown>>;
}

/** The reference of the public key sharing its EC point with the private key labelled `privateLabel`. */
export function publicHalf(keys: readonly KeyView[], privateLabel: string): string | undefined {
  const point = keys.find((k) => k.attributes?.['class'] === 'private-key' && k.attributes['label'] === privateLabel)?.attributes?.['ec-point'];
  if (point === undefined) return undefined;
  return keys.find((k) => k.attributes?.['class'] === 'public-key' && k.attributes['ec-point'] === point)?.['key-reference'];
}

/** What a session reaches beyond its own cluster (the page's other clusters). */
export interface SessionLinks {
  /** The session `username` (undefined: not logged in) has on cluster `clusterId`, for `--cluster-id`. */
  sessionFor(clusterId: string, username: string | undefined): ClusterSession | undefined;
  /** `key replicate` / `user replicate` for commands typed in `session`. */
  replication(session: ClusterSession): ReplicationPort;
}

let counter = 0;
let labelNumber = 0;

export class SessionView {
  readonly id: string;
  readonly name: string;
  readonly session: ClusterSession;
  readonly terminal: Terminal;
  readonly tab: HTMLButtonElement;
  readonly panel: HTMLElement;
  /** This session's own RSA key for quorum approvals and MFA (the person's machine, in real life). */
  readonly keyring: MountedKeyring;
  readonly #badge: HTMLElement;
  readonly #who: HTMLElement;
  readonly #actions = new Map<string, { button: HTMLButtonElement; why: HTMLElement; op: (typeof QUICK_ACTIONS)[number]['op'] }>();
  /** The keys seen at the last inspector refresh (the actions pick labels from them). */
  keys: readonly KeyView[] = [];
  #lastSignature: ReturnType<ActionContext['lastSignature']>;
  readonly #closeListeners: (() => void)[] = [];
  /** The terminal's tool (cloudhsm-cli, CMU, KMU) and the legacy tools' own connections; absent without a host. */
  readonly tools: ToolSessions | undefined;
  readonly #toolSwitch: ToolSwitch | undefined;
  readonly #commandListeners: ((line: string, answers: readonly PromptAnswer[]) => void)[] = [];
  /** The prompts answered while the current command runs (undefined between commands). */
  #answers: PromptAnswer[] | undefined;

  /** `host` (the cluster) lets the terminal switch to CMU and KMU, each on a connection of its own. */
  constructor(session: ClusterSession, files: VirtualFiles, host?: ToolHost, links?: SessionLinks) {
    counter++;
    this.id = `session-${counter}`;
    this.name = `Session ${counter}`;
    this.session = session;
    const io = ioOverFiles(files, async (text, options) => {
      const answers = this.#answers;
      const value = await this.terminal.prompt(text, options.secret);
      answers?.push({ text, secret: options.secret, value });
      return value;
    });
    this.tools = host ? new ToolSessions(host, io, () => import('../cli/tools.ts').then((m) => m.TOOLS)) : undefined;
    this.terminal = new Terminal(
      {
        run: async (line) => {
          if (this.tools && this.tools.current !== 'cli') return this.#runLegacy(this.tools, line);
          const answers: PromptAnswer[] = [];
          this.#answers = answers;
          let result;
          try {
            result = await execute(line, {
              session: this.session,
              io,
              ...(links ? { sessionFor: (id: string) => links.sessionFor(id, this.session.identity?.username), replication: links.replication(this.session) } : {}),
            });
          } finally {
            this.#answers = undefined;
          }
          for (const listener of this.#commandListeners) listener(line, answers);
          const envelope = result.envelope;
          const failed = envelope?.error_code === 1;
          const explanation = failed ? explainRefusal(envelope as Failure, this.role) : undefined;
          this.#noteSignature(line, result.output, failed);
          if (result.exit) queueMicrotask(() => void this.close());
          return { output: result.output || (result.exit ? 'quit: closing this session.' : ''), failed, ...(explanation ? { explanation } : {}) };
        },
        complete: (line, cursor) => (this.tools && this.tools.current !== 'cli' ? this.tools.complete(line, cursor) : completeCommand(line, cursor)),
        prompt: () => this.tools?.prompt() ?? CLI_PROMPT,
      },
      { id: this.id, name: this.name },
    );
    this.#toolSwitch = this.tools ? new ToolSwitch(this.tools, this.terminal, { id: this.id, name: this.name }) : undefined;
    this.#badge = h('span', { class: 'role-badge' });
    this.tab = h('button', {
      type: 'button',
      role: 'tab',
      id: `${this.id}-tab`,
      class: 'tab',
      'aria-controls': `${this.id}-panel`,
      'aria-selected': 'false',
      tabindex: -1,
    }, this.name, ' ', h('small', { class: 'tab-cluster' }, `@${session.clusterId}`), ' ', this.#badge);
    this.#who = h('span', { class: 'who' });
    const close = h('button', { type: 'button', class: 'close-session', 'aria-label': `Close ${this.name}` }, 'Close session');
    close.addEventListener('click', () => void this.close());
    const bar = h('div', { class: 'quick-actions', role: 'group', 'aria-label': `Quick actions for ${this.name}` });
    for (const action of QUICK_ACTIONS) {
      const whyId = `${this.id}-${action.id}-why`;
      const why = h('span', { class: 'why', id: whyId });
      const button = h('button', { type: 'button', 'data-action': action.id, 'aria-describedby': whyId }, action.label);
      button.addEventListener('click', () => void this.runAction(action.id));
      bar.append(h('span', { class: 'quick-action' }, button, why));
      this.#actions.set(action.id, { button, why, op: action.op });
    }
    this.panel = h(
      'div',
      { role: 'tabpanel', id: `${this.id}-panel`, class: 'session-panel', 'aria-labelledby': `${this.id}-tab`, hidden: true },
      h('div', { class: 'session-head' }, this.#who, close),
      bar,
      this.#toolSwitch?.element,
      this.terminal.element,
    );
    this.keyring = mountKeyring(this.panel, { files, sessionId: this.id, username: () => this.session.identity?.username });
    this.refreshIdentity();
  }

  get role(): Role {
    return roleOf(this.session.identity);
  }

  /** Updates the badge, the "logged in as" line and the quick actions' gating from the session's identity. */
  refreshIdentity(): void {
    const role = this.role;
    const badge = roleBadge(role);
    const identity = this.session.identity;
    this.#badge.replaceChildren(badge.short, ...(role === 'unauthenticated' ? [] : [' ', h('small', {}, badge.cli)]));
    this.#badge.title = `role: ${badge.label}`;
    this.#badge.dataset.role = role;
    this.#who.textContent = identity ? `Logged in as ${identity.username}, ${badge.label}` : 'Not logged in';
    for (const { button, why, op } of this.#actions.values()) {
      const g = gate(op, role);
      button.disabled = !g.allowed;
      why.textContent = g.allowed ? '' : g.reason;
    }
  }

  /**
   * Called for every command this session runs (typed, or built by a quick action), with the
   * prompts answered while it ran — the page's recorder puts those values back on the line. A
   * close while logged in reports the `logout` it sends.
   */
  onCommand(listener: (line: string, answers: readonly PromptAnswer[]) => void): void {
    this.#commandListeners.push(listener);
  }

  /** Called when the session is closed (Close session button, or `quit`). */
  onClose(listener: () => void): void {
    this.#closeListeners.push(listener);
  }

  /** Logs out (if logged in) and removes the session from the page. */
  async close(): Promise<void> {
    await this.tools?.closeAll();
    if (this.session.identity) {
      await this.session.request('session.logout', {});
      for (const listener of this.#commandListeners) listener('logout', []);
    }
    for (const listener of this.#closeListeners) listener();
  }

  /** Runs a quick action (even a disabled one when called directly: the HSM still refuses). */
  async runAction(id: string): Promise<TerminalAnswer | undefined> {
    const action = QUICK_ACTIONS.find((a) => a.id === id);
    if (!action) throw new RangeError(`no quick action "${id}"`);
    let line: string | undefined;
    let problem: string | undefined;
    try {
      line = await action.build({
        explain: (text) => (problem = text),
        ask: (question) => this.terminal.prompt(question, false),
        ecPrivateLabels: () => this.keys.filter((k) => k.attributes?.['class'] === 'private-key' && k.attributes['key-type'] === 'ec').map((k) => String(k.attributes?.['label'])),
        lastSignature: () => this.#lastSignature,
        publicKeyOf: (privateLabel) => publicHalf(this.keys, privateLabel),
        uniqueSuffix: () => `${Date.now().toString(36).slice(-5)}${++labelNumber}`,
      });
    } catch {
      return undefined; // prompt cancelled with Esc
    }
    if (line === undefined) {
      this.terminal.note(problem ?? (id === 'sign' ? 'Sign needs an EC private key: generate one first.' : id === 'verify' ? 'Verify needs a signature: sign something first.' : 'Nothing to run.'));
      return undefined;
    }
    return this.terminal.run(line);
  }

  /** A CMU or KMU line, on that tool's own connection: printed in the tool's text form (not recorded as a cloudhsm-cli command). */
  async #runLegacy(tools: ToolSessions, line: string): Promise<TerminalAnswer> {
    const answer = await tools.run(line);
    this.#toolSwitch?.refresh();
    return { output: answer.output, failed: answer.failed, ...(answer.ended ? { explanation: answer.ended } : {}) };
  }

  /** Remembers the last ECDSA signature printed, so "Verify" can check it. */
  #noteSignature(line: string, output: string, failed: boolean): void {
    if (failed || !/^\s*crypto\s+sign\s+ecdsa\b/.test(line)) return;
    const label = /attr\.label=("?)([^\s"]+)\1/.exec(line)?.[2];
    const data = /--data\s+(\S+)/.exec(line)?.[1];
    let signature: unknown;
    try {
      signature = (JSON.parse(output) as { data?: { signature?: unknown } }).data?.signature;
    } catch {
      return;
    }
    if (label && data && typeof signature === 'string') this.#lastSignature = { privateLabel: label, data, signature };
  }
}
