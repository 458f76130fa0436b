/**
 * Runs one cloudhsm-cli line against a cluster session and prints what the real tool prints:
 * the JSON envelope (or plain-text help). Prompts for passwords left off, reads and writes
 * files through the {@link Io} port, and never throws: every problem becomes
 * `{ "error_code": 1, "data": "…" }`.
 * @module
 */
import { fail, type Envelope } from '../../hsm/envelope.ts';
import type { Op } from '../../hsm/policy.ts';
import type { OpArgs } from '../../hsm/requests.ts';
import { complete, type Completion } from '../machinery/completion.ts';
import type { Io } from '../machinery/io.ts';
import { parseLine } from '../machinery/parser.ts';
import type { ParsedFlags } from '../machinery/parsed-flags.ts';
import { flagsOf } from '../machinery/spec.ts';
import type { ClusterSession, ReplicationPort } from '../session-port.ts';
import type { CliCommand } from './command.ts';
import { helpText } from './help-style.ts';
import { formatEnvelope } from './output.ts';
import { CLOUDHSM_CLI } from './table.ts';

export interface ExecutionContext {
  /** The session commands run in (the current cluster). */
  readonly session: ClusterSession;
  readonly io: Io;
  /** Sessions on other configured clusters, for `--cluster-id`. */
  sessionFor?(clusterId: string): ClusterSession | undefined;
  /** Needed by `key replicate` and `user replicate`. */
  readonly replication?: ReplicationPort;
}

export interface ExecutionResult {
  /** What the tool prints: pretty JSON, help text, or nothing. */
  readonly output: string;
  /** The answer, when the line was a command (including parse failures). */
  readonly envelope?: Envelope;
  /** `quit` was given. */
  readonly exit?: boolean;
}

function answer(envelope: Envelope): ExecutionResult {
  return { output: formatEnvelope(envelope), envelope };
}

export async function execute(line: string, ctx: ExecutionContext): Promise<ExecutionResult> {
  try {
    if (line.trimStart().startsWith('#')) return { output: '' };
    const parsed = parseLine(CLOUDHSM_CLI, line);
    switch (parsed.kind) {
      case 'empty':
        return { output: '' };
      case 'help':
        return { output: helpText(parsed.path, parsed.command) };
      case 'error':
        return answer(fail('bad-request', parsed.message));
      case 'command':
        return await run(parsed.command, parsed.flags, ctx);
    }
  } catch (e) {
    return answer(fail('bad-request', e instanceof Error ? e.message : String(e)));
  }
}

async function run(command: CliCommand, given: ParsedFlags, ctx: ExecutionContext): Promise<ExecutionResult> {
  if (command.kind === 'local') return { output: '', exit: true };

  const clusterId = given.optString('cluster-id');
  let session = ctx.session;
  if (clusterId !== undefined && clusterId !== session.clusterId) {
    const other = ctx.sessionFor?.(clusterId);
    if (!other) return answer(fail('bad-request', `Cluster '${clusterId}' is not configured`));
    session = other;
  }

  const prompted = await fillPrompts(command, given, ctx.io);
  if ('error' in prompted) return answer(fail('bad-request', prompted.error));
  const flags = prompted.flags;

  if (command.kind === 'replication') {
    if (!ctx.replication) return answer(fail('bad-request', `'${command.path.join(' ')}' needs two configured clusters`));
    return answer(await command.run(flags, ctx.replication));
  }

  if (command.kind === 'flow') return answer(await command.run(flags, session, ctx.io));

  const plan = await command.toRequest(flags, ctx.io);
  const envelope = await session.request(plan.op as Op, plan.args as OpArgs[Op]);
  if (envelope.error_code === 0 && command.render) return answer(await command.render(envelope, flags, ctx.io));
  return answer(envelope);
}

/** Asks for every prompted flag left off (passwords), confirming where the table says so. */
async function fillPrompts(command: CliCommand, flags: ParsedFlags, io: Io): Promise<{ flags: ParsedFlags } | { error: string }> {
  let out = flags;
  for (const spec of flagsOf(CLOUDHSM_CLI, command)) {
    if (!spec.prompt || out.has(spec.name)) continue;
    const value = await io.prompt(spec.prompt.text, { secret: spec.prompt.secret });
    if (spec.prompt.confirm !== undefined) {
      const again = await io.prompt(spec.prompt.confirm, { secret: spec.prompt.secret });
      if (again !== value) return { error: 'Passwords do not match' };
    }
    out = out.with(spec.name, value);
  }
  return { flags: out };
}

/** Tab completion for a cloudhsm-cli line. */
export function completeCommand(line: string, cursor?: number): Completion {
  return complete(CLOUDHSM_CLI, line, cursor);
}
