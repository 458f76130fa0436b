/**
 * KMU's status report (spec §9): `Cfm3<Call> returned: 0x00 : HSM Return: SUCCESS`, the
 * command's own lines, and the `Cluster Error Status` block with one
 * `Node id <n> and err state 0x00000000 : HSM Return: SUCCESS` line per HSM. Lines are indented
 * with a tab as the real tool does.
 * @module
 */
import type { Failure } from '../../hsm/envelope.ts';
import { liveServers, type LegacyContext } from './context.ts';
import { codeForRefusal, FIPS_POLICY, formatCode, formatNodeState, INTERNAL, SUCCESS, type LegacyCode } from './error-catalogue.ts';

export interface KmuReport {
  /** The library call, without the `Cfm3` prefix: `GenerateSymmetricKey`. */
  readonly call: string;
  readonly code: LegacyCode;
  /** Lines printed between the status line and the cluster block (success details). */
  readonly body?: readonly string[];
  /** Why it failed, in the HSM's words (printed under the status line). */
  readonly reason?: string;
  /** The per-node state when it differs from `code` (0xb3 is reported by nodes as 0x30000085). */
  readonly nodeCode?: LegacyCode;
}

export function formatKmuReport(report: KmuReport, ctx: Pick<LegacyContext, 'servers'>): string {
  const { call, code } = report;
  const lines = [`\tCfm3${call} returned: ${formatCode(code.code)} : ${code.text}`];
  if (report.reason) lines.push(`\t${report.reason}`);
  if (report.body && report.body.length > 0) lines.push('', ...report.body.map((l) => (l === '' ? '' : `\t${l}`)));
  const node = report.nodeCode ?? (code === FIPS_POLICY ? INTERNAL : code);
  lines.push('', '\tCluster Error Status');
  for (const s of liveServers(ctx)) lines.push(`\tNode id ${s.index} and err state ${formatNodeState(node.code)} : ${node.text}`);
  return lines.join('\n');
}

export function kmuSuccess(call: string, body: readonly string[], ctx: Pick<LegacyContext, 'servers'>): string {
  return formatKmuReport({ call, code: SUCCESS, body }, ctx);
}

/** The report of a refused request; codes per {@link codeForRefusal}. */
export function kmuFailure(call: string, failure: Failure, ctx: Pick<LegacyContext, 'servers' | 'session'>): string {
  const code = codeForRefusal(failure, ctx.session.identity?.role);
  return formatKmuReport({ call, code, reason: failure.data }, ctx);
}
