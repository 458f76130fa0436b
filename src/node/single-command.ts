/**
 * Single-command mode: `hsm-playground [options] <command words…>` runs that one command, first
 * logging in from `CLOUDHSM_ROLE` and `CLOUDHSM_PIN=<username>:<password>` when they are set
 * (spec §3.1), prints the answer and reports the exit status: 0 when `error_code` is 0 (or the
 * line printed help), 1 otherwise.
 * @module
 */
import { quoteWord } from '../cli/machinery/tokenizer.ts';
import type { EmulatedTool, ToolContext, ToolResult } from './tools.ts';

export interface SingleCommandResult {
  /** What to print on stdout (the answer, or the failed login's answer). */
  readonly output: string;
  readonly exitCode: 0 | 1;
}

/** Credentials from the environment: none, a login, or a message saying what is wrong with them. */
export type EnvCredentials =
  | { readonly kind: 'none' }
  | { readonly kind: 'login'; readonly role: string; readonly username: string; readonly password: string }
  | { readonly kind: 'invalid'; readonly message: string };

export function credentialsFromEnv(env: Readonly<Record<string, string | undefined>>): EnvCredentials {
  const role = env.CLOUDHSM_ROLE;
  const pin = env.CLOUDHSM_PIN;
  if ((role === undefined || role === '') && (pin === undefined || pin === '')) return { kind: 'none' };
  if (role === undefined || role === '') return { kind: 'invalid', message: 'CLOUDHSM_PIN is set but CLOUDHSM_ROLE is not: set both to log in' };
  if (pin === undefined || pin === '') return { kind: 'invalid', message: 'CLOUDHSM_ROLE is set but CLOUDHSM_PIN is not: set CLOUDHSM_PIN=<username>:<password>' };
  const colon = pin.indexOf(':');
  if (colon <= 0 || colon === pin.length - 1) {
    return { kind: 'invalid', message: 'CLOUDHSM_PIN must be <username>:<password> (both non-empty, separated by the first colon)' };
  }
  return { kind: 'login', role, username: pin.slice(0, colon), password: pin.slice(colon + 1) };
}

function exitCodeOf(result: ToolResult): 0 | 1 {
  return result.envelope === undefined || result.envelope.error_code === 0 ? 0 : 1;
}

export async function runSingleCommand(
  tool: EmulatedTool,
  ctx: ToolContext,
  words: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<SingleCommandResult> {
  const credentials = credentialsFromEnv(env);
  if (credentials.kind === 'invalid') return { output: tool.formatFailure(credentials.message), exitCode: 1 };
  if (credentials.kind === 'login') {
    const login = tool.loginLine(credentials.role, credentials.username, credentials.password);
    if ('error' in login) return { output: tool.formatFailure(login.error), exitCode: 1 };
    const answer = await tool.execute(login.line, ctx);
    if (exitCodeOf(answer) !== 0) return { output: answer.output, exitCode: 1 };
  }
  const result = await tool.execute(words.map(quoteWord).join(' '), ctx);
  return { output: result.output, exitCode: exitCodeOf(result) };
}
