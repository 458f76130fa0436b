/**
 * How CMU talks (spec §8): global mode prints one result line per HSM
 * (`loginHSM success on server 0(10.0.0.1)`); server mode (`server 0`) only the chosen HSM's.
 * Write commands first show the CAUTION banner and ask `Do you want to continue(y/n)?` through
 * the Io prompt port, asking again after `Invalid option, please type 'y' or 'n'`.
 * @module
 */
import type { Envelope, Failure } from '../../hsm/envelope.ts';
import type { Op } from '../../hsm/policy.ts';
import type { OpArgs } from '../../hsm/requests.ts';
import { failed, succeeded } from '../legacy/command.ts';
import { liveServers, serverName, type LegacyContext, type LegacyResult, type LegacyServer } from '../legacy/context.ts';
import { codeForRefusal } from '../legacy/error-catalogue.ts';

/** CMU keeps one piece of state between lines: the server chosen with `server <n>`. */
export interface CmuState {
  server: number | undefined;
}

export interface CmuContext extends LegacyContext {
  readonly state: CmuState;
}

export const CAUTION_BANNER = [
  '*************************CAUTION********************************',
  'This is a CRITICAL operation, should be done on all nodes in the',
  'cluster. AWS does NOT synchronize these changes automatically with the',
  'nodes on which this operation is not executed or failed, please',
  'ensure this operation is executed on all nodes in the cluster.',
  '****************************************************************',
  '',
  'Do you want to continue(y/n)?',
].join('\n');

export const INVALID_OPTION = "Invalid option, please type 'y' or 'n'";

/** Asks for confirmation; three answers other than y/n count as no. */
export async function confirm(ctx: CmuContext): Promise<boolean> {
  let text = CAUTION_BANNER;
  for (let attempt = 0; attempt < 3; attempt++) {
    const answer = (await ctx.io.prompt(text, { secret: false })).trim();
    if (answer === 'y' || answer === 'Y') return true;
    if (answer === 'n' || answer === 'N') return false;
    text = `${INVALID_OPTION}\nDo you want to continue(y/n)?`;
  }
  return false;
}

/** The servers a command reaches: all live ones, or the one of server mode. */
export function targetServers(ctx: CmuContext): LegacyServer[] {
  const live = liveServers(ctx);
  return ctx.state.server === undefined ? live : live.filter((s) => s.index === ctx.state.server);
}

/** `<cmd> failed: RET_… on server 0(ip)` lines plus the HSM's own words. */
export function cmuFailure(ctx: CmuContext, command: string, failure: Failure): LegacyResult {
  const code = codeForRefusal(failure, ctx.session.identity?.role);
  const lines = targetServers(ctx).map((s) => `${command} failed: ${code.cmuName} on ${serverName(s)}`);
  return failed([...lines, `(${failure.data})`].join('\n'));
}

export function cmuSuccessLines(ctx: CmuContext, command: string, before: readonly string[] = []): LegacyResult {
  return succeeded([...before, ...targetServers(ctx).map((s) => `${command} success on ${serverName(s)}`)].join('\n'));
}

/** Sends one request and prints per-server success or failure lines. */
export async function cmuRequest<O extends Op>(ctx: CmuContext, command: string, op: O, args: OpArgs[O], before: readonly string[] = []): Promise<LegacyResult> {
  const answer: Envelope = await ctx.session.request(op, args);
  if (answer.error_code !== 0) return cmuFailure(ctx, command, answer);
  return cmuSuccessLines(ctx, command, before);
}

/** A refusal decided by CMU before any request (bad argument). */
export function cmuArgumentError(command: string, message: string): LegacyResult {
  return failed(`${command} failed: RET_INVALID_INPUT\n(${message})`);
}
