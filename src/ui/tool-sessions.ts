/**
 * Which tool a page session's terminal is typing to — cloudhsm-cli, CMU (cloudhsm_mgmt_util) or
 * KMU (key_mgmt_util) — and each tool's own connection to the cluster. As on a real client
 * machine, every tool is its own client with its own login: the first switch to CMU or KMU opens
 * a new, not-logged-in ClusterSession for that (page session, tool) pair, kept until the tool is
 * quit (`quit`/`exit` logs it out and returns to cloudhsm-cli) or the page session closes.
 * cloudhsm-cli keeps the page session's own ClusterSession (the one the badge, quick actions and
 * inspectors follow), so this module runs only the legacy tools' lines. CMU and KMU are loaded
 * on first selection (`load`), so the page starts without their command tables. DOM-free.
 * @module
 */
import { PROMPT as CLI_PROMPT } from '../cli/cloudhsm-cli/table.ts';
import type { LegacyServer } from '../cli/legacy/context.ts';
import type { Io } from '../cli/machinery/io.ts';
import type { ClusterSession } from '../cli/session-port.ts';
import type { EmulatedTool, ToolName, ToolResult } from '../cli/tools.ts';

/** The cluster as the switch needs it (a Cluster fits): new client connections and the HSM list. */
export interface ToolHost {
  openSession(): ClusterSession;
  readonly hsms: readonly LegacyServer[];
}

/** The tools by short name; the page passes `() => import('../cli/tools.ts').then((m) => m.TOOLS)`. */
export type ToolLoader = () => Promise<ReadonlyMap<string, EmulatedTool>>;

/** The choices of the switch, in the order shown, with the names a learner knows them by. */
export const TOOL_CHOICES: readonly { readonly name: ToolName; readonly label: string; readonly program: string }[] = [
  { name: 'cli', label: 'CloudHSM CLI', program: 'cloudhsm-cli' },
  { name: 'cmu', label: 'CMU (legacy)', program: 'cloudhsm_mgmt_util' },
  { name: 'kmu', label: 'KMU (legacy)', program: 'key_mgmt_util' },
];

/** Reads a switch value; anything else is a programming error named precisely. */
export function parseToolName(value: string): ToolName {
  const choice = TOOL_CHOICES.find((c) => c.name === value);
  if (!choice) throw new RangeError(`unknown tool "${value}": expected one of ${TOOL_CHOICES.map((c) => c.name).join(', ')}`);
  return choice.name;
}

/** What running a legacy line gives the page: the tool's answer and, when the line quit the tool, a note. */
export interface LegacyAnswer {
  readonly output: string;
  readonly failed: boolean;
  /** Set when the line (`quit`, `exit`) ended the tool: the page is back on cloudhsm-cli. */
  readonly ended?: string;
}

export class ToolSessions {
  readonly #host: ToolHost;
  readonly #io: Io;
  readonly #load: ToolLoader;
  #tools: ReadonlyMap<string, EmulatedTool> | undefined;
  #current: ToolName = 'cli';
  readonly #sessions = new Map<ToolName, ClusterSession>();
  readonly #listeners: ((tool: ToolName) => void)[] = [];

  constructor(host: ToolHost, io: Io, load: ToolLoader) {
    this.#host = host;
    this.#io = io;
    this.#load = load;
  }

  /** The tool the terminal types to now. */
  get current(): ToolName {
    return this.#current;
  }

  /** The legacy tool's own connection, once it was selected (cloudhsm-cli's is the page session's). */
  sessionOf(tool: Exclude<ToolName, 'cli'>): ClusterSession | undefined {
    return this.#sessions.get(tool);
  }

  /** Called after every change of tool (a selection, or a `quit` that returned to cloudhsm-cli). */
  onChange(listener: (tool: ToolName) => void): void {
    this.#listeners.push(listener);
  }

  /**
   * Makes `tool` the terminal's tool. The first time CMU or KMU is chosen, the tools are loaded
   * and the tool gets its own new, not-logged-in connection; later switches find it as left.
   * Resolves with true when that connection was just opened.
   */
  async select(tool: ToolName): Promise<boolean> {
    let opened = false;
    if (tool !== 'cli') {
      const tools = await this.#loaded();
      if (!tools.has(tool)) throw new RangeError(`the tool table has no "${tool}"`);
      if (!this.#sessions.has(tool)) {
        this.#sessions.set(tool, this.#host.openSession());
        opened = true;
      }
    }
    this.#setCurrent(tool);
    return opened;
  }

  /** The prompt the terminal shows for the current tool (CMU's follows its server mode). */
  prompt(): string {
    const tool = this.#legacyTool();
    if (!tool) return CLI_PROMPT;
    const prompt = typeof tool.prompt === 'string' ? tool.prompt : tool.prompt(this.#session(this.#current));
    return prompt;
  }

  /** Completion for the current legacy tool; empty for cloudhsm-cli (the page session completes that itself). */
  complete(line: string, cursor: number): { readonly start: number; readonly candidates: readonly string[] } {
    return this.#legacyTool()?.complete(line, cursor) ?? { start: cursor, candidates: [] };
  }

  /** Runs a line with the current legacy tool on its own connection. `quit`/`exit` logs it out and returns to cloudhsm-cli. */
  async run(line: string): Promise<LegacyAnswer> {
    const name = this.#current;
    const tool = this.#legacyTool();
    if (!tool || name === 'cli') throw new Error('ToolSessions.run is for CMU and KMU; cloudhsm-cli lines run on the page session');
    const session = this.#session(name);
    const result: ToolResult = await tool.execute(line, { cluster: this.#host, session, io: this.#io });
    const failed = result.envelope?.error_code === 1;
    if (!result.exit) return { output: result.output, failed };
    await this.#end(name);
    this.#setCurrent('cli');
    return { output: result.output, failed, ended: `${tool.program} ended (its login closed); back to cloudhsm-cli.` };
  }

  /** Logs out and forgets every legacy tool's connection (the page session is closing). */
  async closeAll(): Promise<void> {
    for (const name of [...this.#sessions.keys()]) await this.#end(name);
  }

  async #end(name: ToolName): Promise<void> {
    const session = this.#sessions.get(name);
    this.#sessions.delete(name);
    if (session?.identity) await session.request('session.logout', {});
  }

  async #loaded(): Promise<ReadonlyMap<string, EmulatedTool>> {
    this.#tools ??= await this.#load();
    return this.#tools;
  }

  #legacyTool(): EmulatedTool | undefined {
    return this.#current === 'cli' ? undefined : this.#tools?.get(this.#current);
  }

  #session(name: ToolName): ClusterSession {
    const session = this.#sessions.get(name);
    if (!session) throw new Error(`${name} has no connection: select it first`);
    return session;
  }

  #setCurrent(tool: ToolName): void {
    this.#current = tool;
    for (const listener of this.#listeners) listener(tool);
  }
}
