/**
 * How a KMU command sends one request and prints the answer: the success lines the command
 * chooses, or the refusal with its KMU code (spec §10), both inside the `Cfm3…` report.
 * @module
 */
import type { Envelope, Failure } from '../../hsm/envelope.ts';
import type { Op } from '../../hsm/policy.ts';
import type { OpArgs } from '../../hsm/requests.ts';
import { failed, succeeded } from '../legacy/command.ts';
import type { LegacyContext, LegacyResult } from '../legacy/context.ts';
import { formatKmuReport, kmuFailure, kmuSuccess } from '../legacy/kmu-report.ts';
import type { LegacyCode } from '../legacy/error-catalogue.ts';

export type KmuContext = LegacyContext;

/** Sends `op`; on success prints `lines(data)` in the report of `call`. */
export async function kmuRequest<O extends Op>(
  ctx: KmuContext,
  call: string,
  op: O,
  args: OpArgs[O],
  lines: (data: unknown) => readonly string[] | Promise<readonly string[]>,
): Promise<LegacyResult> {
  const answer: Envelope = await ctx.session.request(op, args);
  if (answer.error_code !== 0) return failed(kmuFailure(call, answer, ctx));
  return succeeded(kmuSuccess(call, await lines(answer.data), ctx));
}

export function kmuRefusal(ctx: KmuContext, call: string, failure: Failure): LegacyResult {
  return failed(kmuFailure(call, failure, ctx));
}

/** A refusal decided in KMU itself (bad user type, FIPS policy), with its code. */
export function kmuCodeFailure(ctx: KmuContext, call: string, code: LegacyCode, reason: string): LegacyResult {
  return failed(formatKmuReport({ call, code, reason }, ctx));
}

/** Writes a file through the Io port, whose errors already name the path and the reason. */
export async function writeOut(ctx: KmuContext, path: string, bytes: Uint8Array | string): Promise<void> {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  try {
    await ctx.io.writeFile(path, data);
  } catch (e) {
    throw e instanceof Error ? e : new Error(`Cannot write file ${path}: ${String(e)}`);
  }
}

/** Reads a file through the Io port, whose errors already name the path and the reason. */
export async function readIn(ctx: KmuContext, path: string): Promise<Uint8Array> {
  try {
    return await ctx.io.readFile(path);
  } catch (e) {
    throw e instanceof Error ? e : new Error(`Cannot read file ${path}: ${String(e)}`);
  }
}
