/**
 * `key replicate` and `user replicate` between two clusters a program holds (spec §1.3, §4.3,
 * §4.5), over any way of finding a cluster by the id the CLI was given: the Node tool's registry
 * and the page's list of clusters both answer through these functions. The command runs in a
 * session on the source cluster; the clusters themselves check that the destination is a clone
 * (an unrelated cluster refuses the masked object). Never throws.
 * @module
 */
import { fail, type Envelope } from '../hsm/envelope.ts';
import type { CliRoleArg, KeyFilter } from '../hsm/requests.ts';
import type { Cluster } from './cluster.ts';
import type { ClusterSession } from './session.ts';

/** Finds a cluster by its unique name (what `--cluster-id` takes) or its HSM-level cluster id. */
export type ClusterLookup = (nameOrId: string) => Cluster | undefined;

/** The CLI's ReplicationPort, for commands typed in `session`. */
export interface ReplicationPort {
  replicateKey(filter: KeyFilter, sourceClusterId: string, destinationClusterId: string): Promise<Envelope>;
  replicateUser(username: string, role: CliRoleArg, sourceClusterId: string, destinationClusterId: string): Promise<Envelope>;
}

/** The two clusters named, or the refusal naming what is wrong. */
function pairOf(find: ClusterLookup, session: ClusterSession, source: string, destination: string): [Cluster, Cluster] | Envelope {
  const from = find(source);
  const to = find(destination);
  if (!from) return fail('bad-request', `No cluster with id ${source}`);
  if (!to) return fail('bad-request', `No cluster with id ${destination}`);
  if (from === to) return fail('bad-request', 'The source and destination clusters must differ');
  if (session.clusterId !== from.name) return fail('bad-request', `This session is on cluster ${session.clusterId}, not on the source cluster ${source}`);
  return [from, to];
}

/** `key replicate --filter … --source-cluster-id … --destination-cluster-id …` (spec §4.5). */
export async function replicateKeyBetween(find: ClusterLookup, session: ClusterSession, filter: KeyFilter, source: string, destination: string): Promise<Envelope> {
  const pair = pairOf(find, session, source, destination);
  if (!Array.isArray(pair)) return pair;
  return pair[0].replicateKeyTo(pair[1], session, filter).catch((e: unknown) => fail('internal-error', `Key replication failed: ${String(e)}`));
}

/**
 * `user replicate --username … --role … --source-cluster-id … --destination-cluster-id …`
 * (spec §4.3); `role`, when given, must be the user's role on the source.
 */
export async function replicateUserBetween(
  find: ClusterLookup,
  session: ClusterSession,
  username: string,
  source: string,
  destination: string,
  role?: CliRoleArg,
): Promise<Envelope> {
  const pair = pairOf(find, session, source, destination);
  if (!Array.isArray(pair)) return pair;
  return pair[0].replicateUserTo(pair[1], session, username, role).catch((e: unknown) => fail('internal-error', `User replication failed: ${String(e)}`));
}

/** The ReplicationPort for commands typed in `session`, finding clusters with `find`. */
export function replicationBetween(find: ClusterLookup, session: ClusterSession): ReplicationPort {
  return {
    replicateKey: (filter, source, destination) => replicateKeyBetween(find, session, filter, source, destination),
    replicateUser: (username, role, source, destination) => replicateUserBetween(find, session, username, source, destination, role),
  };
}
