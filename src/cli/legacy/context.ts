/**
 * What a legacy tool (CMU or KMU) runs against: the same {@link ClusterSession} and {@link Io} as
 * cloudhsm-cli, plus the list of HSMs, because both tools print one line per server
 * (`loginHSM success on server 0(10.0.0.1)`, `Node id 1 and err state 0x00000000`).
 * @module
 */
import type { Envelope } from '../../hsm/envelope.ts';
import type { Op } from '../../hsm/policy.ts';
import type { OpArgs } from '../../hsm/requests.ts';
import type { Io } from '../machinery/io.ts';
import type { ClusterSession } from '../session-port.ts';

/** What one HSM did with a request (the cluster session's `ServerOutcome`, src/cluster/session.ts). */
export type ServerOutcome =
  | { readonly server: number; readonly outcome: 'answered'; readonly answer: Envelope }
  | { readonly server: number; readonly outcome: 'copied' }
  | { readonly server: number; readonly outcome: 'unreachable' };

/**
 * Per-server requests, offered by the cluster's session: one op on each live HSM with each HSM's
 * part (`requestOnEach`), or on exactly one HSM (`requestOn`, CMU server mode).
 */
export interface PerServerSession {
  requestOnEach<O extends Op>(op: O, args: OpArgs[O]): Promise<{ answer: Envelope; servers: ServerOutcome[] }>;
  requestOn<O extends Op>(server: number, op: O, args: OpArgs[O]): Promise<ServerOutcome>;
}

/** One HSM as the legacy tools name it: server id (node id) and address. */
export interface LegacyServer {
  readonly index: number;
  readonly ip: string;
  /** Stopped HSMs are skipped by global-mode commands. */
  readonly state: 'stopped' | 'starting' | 'live' | 'failed';
}

export interface LegacyContext {
  /** The cluster's session; CMU prints each server's own result when it offers {@link PerServerSession}. */
  readonly session: ClusterSession & Partial<PerServerSession>;
  readonly io: Io;
  /** The HSMs of the cluster in server order (a Cluster's `hsms` getter fits). */
  servers(): readonly LegacyServer[];
}

/** The HSMs a global-mode command reaches. */
export function liveServers(ctx: Pick<LegacyContext, 'servers'>): LegacyServer[] {
  return ctx.servers().filter((s) => s.state === 'live');
}

/** `server 0(10.0.0.1)`. */
export function serverName(server: LegacyServer): string {
  return `server ${server.index}(${server.ip})`;
}

/** What executing one line of a legacy tool gives. */
export interface LegacyResult {
  /** The text the tool prints (may be empty). */
  readonly output: string;
  /** 0 when the command succeeded, 1 otherwise (for single-command exit status). */
  readonly error_code: 0 | 1;
  /** `quit` / `exit` was given. */
  readonly exit?: boolean;
}
