/**
 * The three emulated tools — cloudhsm-cli, cloudhsm_mgmt_util (CMU) and key_mgmt_util (KMU) —
 * behind one {@link EmulatedTool} shape: a command table, a prompt, an `execute` that turns one
 * line into printed output, and completion. Realm-free: the Node tool (`--tool cli|cmu|kmu`,
 * src/node) and the page's per-session tool switch (src/ui) both drive the tools through this
 * module and nothing else.
 * @module
 */
import type { Envelope } from '../hsm/envelope.ts';
import { completeCommand, execute } from './cloudhsm-cli/execute.ts';
import { formatEnvelope } from './cloudhsm-cli/output.ts';
import { CLOUDHSM_CLI, PROMPT } from './cloudhsm-cli/table.ts';
import { cmuPrompt, completeCmu, executeCmu, newCmuState, type CmuState } from './cmu/execute.ts';
import { CMU } from './cmu/table.ts';
import { completeKmu, executeKmu } from './kmu/execute.ts';
import { KMU, KMU_PROMPT } from './kmu/table.ts';
import type { LegacyServer } from './legacy/context.ts';
import type { Completion } from './machinery/completion.ts';
import type { Io } from './machinery/io.ts';
import type { CommandTable } from './machinery/spec.ts';
import { quoteWord } from './machinery/tokenizer.ts';
import type { ClusterSession } from './session-port.ts';

/**
 * What a tool is handed to run a line: the cluster (only its HSM list, which the legacy tools
 * print one line per server from; a Cluster fits), the tool's one session on it, and the Io port.
 */
export interface ToolContext {
  readonly cluster: { readonly hsms: readonly LegacyServer[] };
  readonly session: ClusterSession;
  readonly io: Io;
}

/** What a tool answers for one line (the shape cloudhsm-cli's `execute` gives). */
export interface ToolResult {
  /** Printed as is (JSON document or plain text); empty prints nothing. */
  readonly output: string;
  /** The answer, when the line was a command; decides the single-command exit status. */
  readonly envelope?: Envelope | { readonly error_code: 0 | 1; readonly data: unknown };
  /** The line asked the tool to end (`quit`, `exit`). */
  readonly exit?: boolean;
}

export interface EmulatedTool {
  /** The program name shown in messages (`cloudhsm-cli`). */
  readonly program: string;
  readonly table: CommandTable;
  /** The interactive prompt, or how it follows the tool session (CMU: `server0>` in server mode); read it with {@link promptOf}. */
  readonly prompt: string | ((session: ClusterSession) => string);
  /** Never throws: every problem is an answer. */
  execute(line: string, ctx: ToolContext): Promise<ToolResult>;
  complete(line: string, cursor?: number): Completion;
  /** How the tool prints a failure of the Node tool's own (bad credentials in the environment). */
  formatFailure(message: string): string;
  /**
   * The line that logs in with the credentials of single-command mode (`CLOUDHSM_ROLE`,
   * `CLOUDHSM_PIN`), or a message saying why `role` is not a role of this tool.
   */
  loginLine(role: string, username: string, password: string): { readonly line: string } | { readonly error: string };
}

const CLI_LOGIN_ROLES = ['admin', 'crypto-user'] as const;

export const CLOUDHSM_CLI_TOOL: EmulatedTool = {
  program: CLOUDHSM_CLI.program,
  table: CLOUDHSM_CLI,
  prompt: PROMPT,
  execute: (line, ctx) => execute(line, { session: ctx.session, io: ctx.io }),
  complete: (line, cursor) => completeCommand(line, cursor),
  formatFailure: (message) => formatEnvelope({ error_code: 1, data: message }),
  loginLine(role, username, password) {
    if (!(CLI_LOGIN_ROLES as readonly string[]).includes(role)) {
      return { error: `CLOUDHSM_ROLE must be ${CLI_LOGIN_ROLES.join(' or ')}, got '${role}'` };
    }
    return { line: ['login', '--username', username, '--role', role, '--password', password].map(quoteWord).join(' ') };
  },
};

/** The prompt a tool shows now for `session`. */
export function promptOf(tool: Pick<EmulatedTool, 'prompt'>, session: ClusterSession): string {
  return typeof tool.prompt === 'string' ? tool.prompt : tool.prompt(session);
}

/** CMU's server mode lives as long as the tool's session. */
const CMU_STATES = new WeakMap<object, CmuState>();

function cmuStateOf(session: ClusterSession): CmuState {
  let state = CMU_STATES.get(session);
  if (!state) CMU_STATES.set(session, (state = newCmuState()));
  return state;
}

export const CMU_TOOL: EmulatedTool = {
  program: CMU.program,
  table: CMU,
  prompt: (session) => `${cmuPrompt(cmuStateOf(session))} `,
  async execute(line, ctx) {
    const r = await executeCmu(line, { session: ctx.session, io: ctx.io, servers: () => ctx.cluster.hsms, state: cmuStateOf(ctx.session) });
    return { output: r.output, envelope: { error_code: r.error_code, data: r.output }, ...(r.exit ? { exit: true } : {}) };
  },
  complete: (line, cursor) => completeCmu(line, cursor),
  formatFailure: (message) => `Error: ${message}`,
  loginLine(role, username, password) {
    const type = role === 'admin' ? 'CO' : role === 'crypto-user' ? 'CU' : role;
    if (!['PRECO', 'CO', 'CU', 'AU'].includes(type)) return { error: `CLOUDHSM_ROLE must be admin, crypto-user, PRECO, CO, CU or AU, got '${role}'` };
    return { line: ['loginHSM', type, username, password].map(quoteWord).join(' ') };
  },
};

export const KMU_TOOL: EmulatedTool = {
  program: KMU.program,
  table: KMU,
  prompt: KMU_PROMPT,
  async execute(line, ctx) {
    const r = await executeKmu(line, { session: ctx.session, io: ctx.io, servers: () => ctx.cluster.hsms });
    return { output: r.output, envelope: { error_code: r.error_code, data: r.output }, ...(r.exit ? { exit: true } : {}) };
  },
  complete: (line, cursor) => completeKmu(line, cursor),
  formatFailure: (message) => `\tError: ${message}`,
  loginLine(role, username, password) {
    if (role !== 'crypto-user' && role !== 'CU') return { error: `key_mgmt_util logs in crypto users only: CLOUDHSM_ROLE must be crypto-user, got '${role}'` };
    return { line: ['loginHSM', '-u', 'CU', '-s', username, '-p', password].map(quoteWord).join(' ') };
  },
};

/** The short names tools are chosen by (`--tool`, the page's switch). */
export type ToolName = 'cli' | 'cmu' | 'kmu';

/** Every tool by its short name, the default (cloudhsm-cli) first. */
export const TOOLS: ReadonlyMap<string, EmulatedTool> = new Map<ToolName, EmulatedTool>([
  ['cli', CLOUDHSM_CLI_TOOL],
  ['cmu', CMU_TOOL],
  ['kmu', KMU_TOOL],
]);
