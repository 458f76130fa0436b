/**
 * How CMU talks (spec §8): global mode prints one result line per HSM
 * (`loginHSM success on server 0(10.0.0.1)`), each line saying what that HSM did; server mode
 * (`server 0`) addresses only the chosen HSM. A server that is stopped or cannot be reached gets
 * `<cmd> failed: RET_CLUSTER_ERROR on server N(ip)` and the documented node error text
 * `HSM CLUSTER ERROR: Server in cluster is unavailable` (spec §10, 0x30000085).
 * Write commands first show the CAUTION banner and ask `Do you want to continue(y/n)?` through
 * the Io prompt port, asking again after `Invalid option, please type 'y' or 'n'`.
 * @module
 */
import type { Envelope, Failure } from '../../hsm/envelope.ts';
import type { Op } from '../../hsm/policy.ts';
import type { OpArgs } from '../../hsm/requests.ts';
import { failed, succeeded } from '../legacy/command.ts';
import { liveServers, serverName, type LegacyContext, type LegacyResult, type LegacyServer, type ServerOutcome } from '../legacy/context.ts';
import { codeForRefusal, INTERNAL } from '../legacy/error-catalogue.ts';

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

/** The servers a command is addressed to, stopped ones included: all of them, or the one of server mode. */
export function addressedServers(ctx: CmuContext): LegacyServer[] {
  const all = ctx.servers();
  return ctx.state.server === undefined ? [...all] : all.filter((s) => s.index === ctx.state.server);
}

/** What each addressed server did with one request, and the cluster's overall answer. */
export interface PerServerResult {
  readonly answer: Envelope;
  /** One entry per addressed server, in server order (stopped ones as `unreachable`). */
  readonly servers: readonly { readonly server: LegacyServer; readonly outcome: ServerOutcome }[];
}

/**
 * Runs one request on each addressed server: in server mode on exactly that HSM, in global mode
 * through the cluster's per-server fan-out. Falls back to one cluster answer repeated for every
 * live server when the session offers no per-server requests.
 */
export async function requestPerServer<O extends Op>(ctx: CmuContext, op: O, args: OpArgs[O]): Promise<PerServerResult> {
  const addressed = addressedServers(ctx);
  const session = ctx.session;
  let answer: Envelope;
  let outcomes: readonly ServerOutcome[];
  if (ctx.state.server !== undefined && session.requestOn) {
    const one = await session.requestOn(ctx.state.server, op, args);
    outcomes = [one];
    answer = one.outcome === 'answered' ? one.answer : { error_code: 1, data: INTERNAL.text, reason: 'internal-error' };
  } else if (session.requestOnEach) {
    ({ answer, servers: outcomes } = await session.requestOnEach(op, args));
  } else {
    answer = await session.request(op, args);
    outcomes = targetServers(ctx).map((s) => ({ server: s.index, outcome: 'answered' as const, answer }));
  }
  const byIndex = new Map(outcomes.map((o) => [o.server, o]));
  const servers = addressed.map((server) => ({ server, outcome: (server.state === 'live' && byIndex.get(server.index)) || { server: server.index, outcome: 'unreachable' as const } }));
  return { answer, servers };
}

/** Did this server carry the request out (ran it, or received the copied user record)? */
export function serverSucceeded(outcome: ServerOutcome): boolean {
  return outcome.outcome === 'copied' || (outcome.outcome === 'answered' && outcome.answer.error_code === 0);
}

/** One `<cmd> success|failed: … on server N(ip)` line per addressed server, then the reasons of the failures. */
export function perServerLines(ctx: CmuContext, command: string, result: PerServerResult, before: readonly string[] = []): LegacyResult {
  const lines = [...before];
  const reasons: string[] = [];
  for (const { server, outcome } of result.servers) {
    if (serverSucceeded(outcome)) {
      lines.push(`${command} success on ${serverName(server)}`);
    } else if (outcome.outcome === 'answered' && outcome.answer.error_code !== 0) {
      lines.push(`${command} failed: ${codeForRefusal(outcome.answer, ctx.session.identity?.role).cmuName} on ${serverName(server)}`);
      reasons.push(`(${serverName(server)}: ${String(outcome.answer.data)})`);
    } else {
      lines.push(`${command} failed: ${INTERNAL.cmuName} on ${serverName(server)}`);
      reasons.push(`(${serverName(server)}: ${INTERNAL.text})`);
    }
  }
  const allFine = result.servers.length > 0 && result.servers.every((s) => serverSucceeded(s.outcome));
  return (allFine ? succeeded : failed)([...lines, ...reasons].join('\n'));
}

/**
 * Sends one request and prints each server's own result. A request the cluster refused outright
 * (no server carried it out) prints the refusal as {@link cmuFailure} does, plus unreachable servers.
 */
export async function cmuRequest<O extends Op>(ctx: CmuContext, command: string, op: O, args: OpArgs[O], before: readonly string[] = []): Promise<LegacyResult> {
  const result = await requestPerServer(ctx, op, args);
  if (result.answer.error_code !== 0 && !result.servers.some((s) => serverSucceeded(s.outcome))) {
    const refusal = cmuFailure(ctx, command, result.answer);
    const down = result.servers.filter((s) => s.server.state !== 'live').map((s) => `${command} failed: ${INTERNAL.cmuName} on ${serverName(s.server)}`);
    return down.length === 0 ? refusal : failed([refusal.output, ...down].join('\n'));
  }
  return perServerLines(ctx, command, result, before);
}

/** A refusal decided by CMU before any request (bad argument). */
export function cmuArgumentError(command: string, message: string): LegacyResult {
  return failed(`${command} failed: RET_INVALID_INPUT\n(${message})`);
}
