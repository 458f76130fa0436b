/**
 * The main page's record of what was run, for "Copy share link" and "Save as transcript": the
 * cluster's shape (HSM count, model), its seed when the visit is seeded, and every command line
 * each session ran — typed or clicked — with the passwords answered at a hidden prompt put back
 * on the line (./prompted-flags.ts), so an unattended replay does the same thing. Cluster tasks
 * done with buttons (stop, start, add, remove an HSM) are recorded as the sandbox's own lines
 * (`sandbox stop-hsm 1`…), which the sandbox view replays.
 *
 * Passwords are kept as typed, in memory only; they are redacted when shared unless the author
 * ticks "include passwords (demo)" (../ui/sandbox/share-link.ts does that, for both pages).
 * The recorder also says, in plain words, when a replay cannot give back exactly this cluster
 * ({@link SessionRecorder.replayNotes}). Pure: no DOM.
 * @module
 */
import type { HsmModel } from '../hsm/state.ts';
import { withPromptedFlags, type PromptAnswer } from './prompted-flags.ts';
import { DEFAULT_TRANSCRIPT_SEED } from './sandbox/transcript.ts';
import { isInertLine, stripPrompt } from './sandbox/script-lines.ts';
import type { Scenario, ScenarioStep } from './sandbox/scenario.ts';

/** How the recorded cluster came to be: the recording is complete only for a cluster made on this visit. */
export type ClusterOrigin = 'fresh' | 'reopened' | 'imported';

/** The cluster a recording starts from. */
export interface RecordingBasis {
  readonly seed?: string;
  readonly hsms: number;
  readonly model: HsmModel;
  readonly origin: ClusterOrigin;
}

/** A cluster task done with a button, as the sandbox line that replays it. */
export type ClusterTask = { readonly kind: 'stop-hsm' | 'start-hsm' | 'remove-hsm'; readonly index: number } | { readonly kind: 'add-hsm' };

/** The sandbox line (src/ui/sandbox/sandbox.ts) that does what the page's button did. */
export function clusterTaskLine(task: ClusterTask): string {
  if (task.kind === 'add-hsm') return 'sandbox add-hsm';
  if (!Number.isInteger(task.index) || task.index < 0) throw new RangeError(`An HSM index must be a whole number ≥ 0, got ${task.index}`);
  return `sandbox ${task.kind} ${task.index}`;
}

export class SessionRecorder {
  #basis: RecordingBasis;
  #steps: ScenarioStep[] = [];
  /** A seeded visit whose HSMs were read outside the recorded commands (the Refresh button). */

  constructor(basis: RecordingBasis) {
    this.#basis = checkBasis(basis);
  }

  get basis(): RecordingBasis {
    return this.#basis;
  }

  /** The recorded steps, in order (passwords as typed: redact before sharing). */
  get steps(): readonly ScenarioStep[] {
    return this.#steps;
  }

  /** Names of the sessions that ran something, in order of first use. */
  get sessionNames(): string[] {
    return [...new Set(this.#steps.map((s) => s.session))];
  }

  /**
   * Records a command `session` ran; `answers` are the prompts answered while it ran (their
   * flags are put back on the line). Blank lines and `#` comments record nothing.
   * Returns the step recorded, if any.
   */
  record(session: string, line: string, answers: readonly PromptAnswer[] = []): ScenarioStep | undefined {
    if (session.trim() === '') throw new RangeError('A recorded step needs a session name');
    if (isInertLine(line)) return undefined;
    const step = { session, line: withPromptedFlags(stripPrompt(line), answers) };
    this.#steps.push(step);
    return step;
  }

  /** Records a cluster task done with a button (stop, start, add, remove an HSM) in `session`'s place in the order. */
  recordClusterTask(session: string, task: ClusterTask): ScenarioStep {
    const step = { session, line: clusterTaskLine(task) };
    this.#steps.push(step);
    return step;
  }

  /** A new cluster replaced the old one (reset, new settings, import): start over from it. */
  reset(basis: RecordingBasis): void {
    this.#basis = checkBasis(basis);
    this.#steps = [];
  }

  /** What a share link or a transcript replays: the seed (if any), the shape, the steps. */
  scenario(): Scenario {
    const { seed, hsms, model } = this.#basis;
    return { ...(seed !== undefined ? { seed } : {}), hsms, model, steps: [...this.#steps] };
  }

  /** What a replay of {@link scenario} gives back, in plain words: whether keys repeat, and what it cannot rebuild. */
  replayNotes(): string[] {
    const out: string[] = [];
    const { seed, origin } = this.#basis;
    if (origin === 'reopened') out.push('This cluster was reopened from an earlier visit, and only what ran since this page opened is recorded: a replay starts from a fresh cluster without what came before.');
    if (origin === 'imported') out.push('This cluster was imported from a file: a replay starts from a fresh cluster, without the imported users and keys, and runs only what ran since the import.');
    if (seed === undefined) {
      out.push(`This cluster is not seeded: a link replays the same commands on a fresh cluster of the same shape with new keys, so key references and signatures written into commands will not match. A transcript pins the seed “${DEFAULT_TRANSCRIPT_SEED}” so its outputs repeat. For identical keys, work on a seeded page.`);
    } else {
      out.push(`Seeded (“${seed}”): a replay gives the same keys, key references and signatures.`);
    }
    return out;
  }
}

function checkBasis(basis: RecordingBasis): RecordingBasis {
  if (!Number.isInteger(basis.hsms) || basis.hsms < 1 || basis.hsms > 28) throw new RangeError(`A recording's HSM count must be a whole number from 1 to 28, got ${basis.hsms}`);
  return { ...basis };
}
