/**
 * Runs cloudhsm-cli command lines against a cluster, unattended, and collects what each printed:
 * the one engine behind transcripts, scenario replay, tutorial commands and the embed API. Named
 * sessions (`admin`, `alice`…) let a script log in as two users side by side. Pure: no DOM and no
 * Node, so the page, the embed frame and the Node tool run exactly the same code.
 * @module
 */
import { VirtualFiles } from '../../cli/files.ts';
import { execute } from '../../cli/cloudhsm-cli/execute.ts';
import type { ClusterSession } from '../../cli/session-port.ts';
import type { Envelope } from '../../hsm/envelope.ts';
import { scriptedIo } from './scripted-io.ts';

/** What a script runs against: a way to open sessions on one cluster. */
export interface SessionSource {
  openSession(): ClusterSession;
}

/** One command and what it printed. */
export interface CommandRun {
  readonly session: string;
  readonly line: string;
  /** What the tool printed: pretty JSON, help text, or '' (a comment). */
  readonly output: string;
  /** The answer, when the line was a command. */
  readonly envelope?: Envelope;
}

/** The session a line runs in when none is named. */
export const DEFAULT_SESSION = 'default';

/** Holds the named sessions and the virtual files of one unattended run. */
export class ScriptRunner {
  readonly #cluster: SessionSource;
  readonly #sessions = new Map<string, ClusterSession>();
  readonly files: VirtualFiles;

  constructor(cluster: SessionSource, files: VirtualFiles = new VirtualFiles()) {
    this.#cluster = cluster;
    this.files = files;
  }

  /** The session called `name`, opened (not logged in) on first use. */
  session(name: string = DEFAULT_SESSION): ClusterSession {
    let session = this.#sessions.get(name);
    if (!session) {
      session = this.#cluster.openSession();
      this.#sessions.set(name, session);
    }
    return session;
  }

  /** Names of the sessions opened so far, in order of first use. */
  get sessionNames(): string[] {
    return [...this.#sessions.keys()];
  }

  /** Run one line in a named session; `answers` answer its prompts in order. Never throws. */
  async run(line: string, options: { session?: string; answers?: string[] } = {}): Promise<CommandRun> {
    const name = options.session ?? DEFAULT_SESSION;
    const result = await execute(line, { session: this.session(name), io: scriptedIo(this.files, options.answers ?? []) });
    return { session: name, line, output: result.output, ...(result.envelope ? { envelope: result.envelope } : {}) };
  }

  /** Run lines in order in one session. */
  async runAll(lines: readonly string[], session?: string): Promise<CommandRun[]> {
    const runs: CommandRun[] = [];
    for (const line of lines) runs.push(await this.run(line, session === undefined ? {} : { session }));
    return runs;
  }
}
