/**
 * The boundary the CLI programs against: a logged-in (or not) session on one cluster, and the
 * replication of keys and users between two clusters. The cluster layer (src/cluster)
 * implements both; the CLI never sees HSMs.
 * @module
 */
import type { Envelope } from '../hsm/envelope.ts';
import type { Op, Role } from '../hsm/policy.ts';
import type { CliRoleArg, KeyFilter, OpArgs } from '../hsm/requests.ts';

export interface ClusterSession {
  readonly clusterId: string;
  readonly identity: { readonly username: string; readonly role: Role } | undefined;
  /** Never throws; `session.login` fans out to all HSMs. */
  request<O extends Op>(op: O, args: OpArgs[O]): Promise<Envelope>;
}

/** `key replicate` / `user replicate`: the cluster layer copies between two clusters it holds sessions on. */
export interface ReplicationPort {
  /** Answers `{"key": <key object>, "message": "Successfully replicated key"}` or a failure. */
  replicateKey(filter: KeyFilter, sourceClusterId: string, destinationClusterId: string): Promise<Envelope>;
  /** Answers `{"user": {...}, "message": "Successfully replicated user"}` or a failure. */
  replicateUser(username: string, role: CliRoleArg, sourceClusterId: string, destinationClusterId: string): Promise<Envelope>;
}
