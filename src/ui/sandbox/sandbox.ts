/**
 * One sandbox: a cluster of its own (memory storage by default), named sessions, and the record of
 * every line run — so it can be reset, shared as a scenario, and rebuilt from one by replay.
 * Behind the embed frame, share links and tutorials. Besides cloudhsm-cli commands it runs a few
 * `sandbox …` lines for what the real tool cannot do because the cloud console does it (stop,
 * start, add and remove an HSM; show sync status) — so scenarios and tutorials can include them.
 * No DOM: it runs in Node tests with in-process HSMs and in the page with Web Worker HSMs.
 * @module
 */
import { formatEnvelope } from '../../cli/cloudhsm-cli/output.ts';
import { Cluster } from '../../cluster/cluster.ts';
import type { HsmSpawner } from '../../cluster/hsm-link.ts';
import type { PasswordCostSpec } from '../../cluster/protocol.ts';
import type { Envelope } from '../../hsm/envelope.ts';
import type { HsmModel } from '../../hsm/state.ts';
import { fillPasswords } from './passwords.ts';
import { SANDBOX_WORD } from './sandbox-word.ts';
import { missingPasswords, validateScenario, type Scenario, type ScenarioStep } from './scenario.ts';
import { ScriptRunner, type CommandRun, DEFAULT_SESSION } from './script-runner.ts';
import { stripPrompt } from './script-lines.ts';

export interface SandboxSettings {
  readonly hsms: number;
  readonly model: HsmModel;
  /** Deterministic mode; undefined = real randomness. */
  readonly seed?: string;
}

export interface SandboxOptions {
  readonly spawn: HsmSpawner;
  readonly passwordCost?: PasswordCostSpec;
}

export const DEFAULT_SANDBOX_SETTINGS: SandboxSettings = { hsms: 2, model: 'hsm2m.medium' };

export { SANDBOX_WORD };
export const SANDBOX_HELP = [
  'Sandbox lines (playground extension: what the AWS console does, not cloudhsm-cli):',
  '  sandbox stop-hsm N     stop HSM N (its worker is terminated)',
  '  sandbox start-hsm N    start HSM N again; it resynchronises from the others',
  '  sandbox add-hsm        add an HSM cloned from a backup of a live one',
  '  sandbox remove-hsm N   remove HSM N from the cluster (not the last one)',
  '  sandbox sync-status    which objects are missing where',
].join('\n');

function ok(data: unknown): Envelope {
  return { error_code: 0, data } as Envelope;
}
function failure(message: string): Envelope {
  return { error_code: 1, data: message, reason: 'bad-request' } as Envelope;
}

export class Sandbox {
  readonly #options: SandboxOptions;
  #settings: SandboxSettings;
  #cluster: Cluster;
  #runner: ScriptRunner;
  #steps: ScenarioStep[] = [];
  #queue: Promise<unknown> = Promise.resolve();
  readonly #listeners: ((run: CommandRun | undefined) => void)[] = [];

  private constructor(options: SandboxOptions, settings: SandboxSettings, cluster: Cluster) {
    this.#options = options;
    this.#settings = settings;
    this.#cluster = cluster;
    this.#runner = new ScriptRunner(cluster);
  }

  static async create(options: SandboxOptions, settings: SandboxSettings = DEFAULT_SANDBOX_SETTINGS): Promise<Sandbox> {
    return new Sandbox(options, settings, await Sandbox.#newCluster(options, settings));
  }

  static #newCluster(options: SandboxOptions, settings: SandboxSettings): Promise<Cluster> {
    return Cluster.create({
      hsms: settings.hsms,
      model: settings.model,
      spawn: options.spawn,
      storage: { kind: 'memory' },
      ...(settings.seed !== undefined ? { seed: settings.seed } : {}),
      ...(options.passwordCost ? { passwordCost: options.passwordCost } : {}),
    });
  }

  get cluster(): Cluster {
    return this.#cluster;
  }
  get settings(): SandboxSettings {
    return this.#settings;
  }
  /** Every line run since the last reset, in order (passwords included: redact before sharing). */
  get steps(): readonly ScenarioStep[] {
    return this.#steps;
  }
  get sessionNames(): string[] {
    return this.#runner.sessionNames;
  }
  /** The identity a session is logged in as, if any. */
  whoIs(session: string = DEFAULT_SESSION): { username: string; role: string } | undefined {
    return this.#runner.session(session).identity;
  }

  /** Called after every line and after reset/load (with undefined). */
  onChange(listener: (run: CommandRun | undefined) => void): () => void {
    this.#listeners.push(listener);
    return () => this.#listeners.splice(this.#listeners.indexOf(listener) >>> 0, 1);
  }

  #emit(run: CommandRun | undefined): void {
    for (const listener of this.#listeners) listener(run);
  }

  /** Lines and resets run one at a time, in the order asked. */
  #serial<T>(task: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(task);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** Run one line (a cloudhsm-cli command or a `sandbox …` line) in a named session. Never throws. */
  run(line: string, session: string = DEFAULT_SESSION): Promise<CommandRun> {
    return this.#serial(async () => {
      const run = await this.#runNow(stripPrompt(line), session);
      this.#emit(run);
      return run;
    });
  }

  /** Run a line without recording it (tutorial checks: read-only commands such as `user list`). */
  query(line: string, session: string = DEFAULT_SESSION): Promise<CommandRun> {
    return this.#serial(async () => {
      const clean = stripPrompt(line);
      if (clean.split(/\s+/)[0] === SANDBOX_WORD) {
        const envelope = await this.#sandboxLine(clean);
        return { session, line: clean, output: typeof envelope === 'string' ? envelope : formatEnvelope(envelope) };
      }
      return this.#runner.run(clean, { session });
    });
  }

  async #runNow(line: string, session: string): Promise<CommandRun> {
    let run: CommandRun;
    if (line.split(/\s+/)[0] === SANDBOX_WORD) {
      const envelope = await this.#sandboxLine(line);
      run = { session, line, output: typeof envelope === 'string' ? envelope : formatEnvelope(envelope), ...(typeof envelope === 'string' ? {} : { envelope }) };
    } else {
      run = await this.#runner.run(line, { session });
    }
    if (line !== '' && !line.startsWith('#')) this.#steps.push({ session, line });
    return run;
  }

  async #sandboxLine(line: string): Promise<Envelope | string> {
    const [, verb, arg, extra] = line.trim().split(/\s+/);
    const index = arg === undefined ? NaN : /^\d+$/.test(arg) ? Number(arg) : NaN;
    const needsIndex = verb === 'stop-hsm' || verb === 'start-hsm' || verb === 'remove-hsm';
    if (verb === undefined || verb === 'help') return SANDBOX_HELP;
    if (extra !== undefined || (needsIndex && Number.isNaN(index)) || (!needsIndex && arg !== undefined)) {
      return failure(`Usage: ${needsIndex ? `sandbox ${verb} N (an HSM number, e.g. 1)` : `sandbox ${verb}`}`);
    }
    try {
      switch (verb) {
        case 'stop-hsm':
          this.#cluster.stopHsm(index);
          return ok({ message: `HSM ${index} stopped` });
        case 'start-hsm': {
          const summary = await this.#cluster.startHsm(index);
          return ok({ message: `HSM ${index} started and resynchronised`, hsm: summary });
        }
        case 'add-hsm': {
          const summary = await this.#cluster.addHsm();
          return ok({ message: 'HSM added from a backup of a live one', hsm: summary });
        }
        case 'remove-hsm':
          await this.#cluster.removeHsm(index);
          return ok({ message: `HSM ${index} removed` });
        case 'sync-status':
          return ok(await this.#cluster.syncStatus());
        default:
          return failure(`Unknown sandbox line '${verb}' (sandbox lines are stop-hsm N, start-hsm N, add-hsm, remove-hsm N, sync-status)`);
      }
    } catch (error) {
      return failure(error instanceof Error ? error.message : String(error));
    }
  }

  /** A fresh cluster (new settings if given), no sessions, no recorded lines. */
  reset(settings: SandboxSettings = this.#settings): Promise<void> {
    return this.#serial(async () => {
      await this.#resetNow(settings);
      this.#emit(undefined);
    });
  }

  async #resetNow(settings: SandboxSettings): Promise<void> {
    const cluster = await Sandbox.#newCluster(this.#options, settings);
    this.#cluster.dispose();
    this.#cluster = cluster;
    this.#settings = settings;
    this.#runner = new ScriptRunner(cluster);
    this.#steps = [];
  }

  /** The current state as a scenario (settings and lines; passwords as typed). */
  scenario(): Scenario {
    const s = this.#settings;
    return { ...(s.seed !== undefined ? { seed: s.seed } : {}), hsms: s.hsms, model: s.model, steps: [...this.#steps] };
  }

  /**
   * Reset to the scenario's settings and replay its lines. `passwords[n]` fills `{{password-n}}`;
   * throws a RangeError naming the first missing one before touching the sandbox.
   */
  async load(scenario: Scenario, passwords: Readonly<Record<number, string>> = {}): Promise<CommandRun[]> {
    const checked = validateScenario(scenario);
    const lines = fillPasswords(checked.steps.map((s) => s.line), passwords);
    return this.#serial(async () => {
      await this.#resetNow({ hsms: checked.hsms, model: checked.model, ...(checked.seed !== undefined ? { seed: checked.seed } : {}) });
      const runs: CommandRun[] = [];
      for (let i = 0; i < lines.length; i++) runs.push(await this.#runNow(lines[i]!, checked.steps[i]!.session));
      this.#emit(undefined);
      return runs;
    });
  }

  /** Placeholders `load` will need values for. */
  static passwordsNeeded(scenario: Scenario): number[] {
    return missingPasswords(scenario);
  }

  dispose(): void {
    this.#cluster.dispose();
  }
}
