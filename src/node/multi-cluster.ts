/**
 * Several clusters in the Node tool (`--clone-cluster`): one tool session per cluster, opened the
 * first time a command names that cluster with `--cluster-id`, and the replication port `key
 * replicate` / `user replicate` use — each copy runs in the session of its source cluster, as the
 * real tool's multi-cluster mode does. Only cloudhsm-cli has `--cluster-id` and replication; the
 * legacy tools are handed back unchanged.
 * @module
 */
import { execute } from '../cli/cloudhsm-cli/execute.ts';
import type { ReplicationPort } from '../cli/session-port.ts';
import type { ClusterRegistry } from '../cluster/registry.ts';
import type { ClusterSession } from '../cluster/session.ts';
import { fail } from '../hsm/envelope.ts';
import { CLOUDHSM_CLI_TOOL, type EmulatedTool } from './tools.ts';

/** The tool sessions of a run, one per cluster of the registry, the main one given. */
export class ClusterSessions {
  readonly #registry: ClusterRegistry;
  readonly #sessions = new Map<string, ClusterSession>();

  constructor(registry: ClusterRegistry, main: ClusterSession) {
    this.#registry = registry;
    this.#sessions.set(main.clusterId, main);
  }

  /** The session on the cluster named `clusterId` (opened on first use), or undefined if there is no such cluster. */
  sessionFor(clusterId: string): ClusterSession | undefined {
    const cluster = this.#registry.get(clusterId);
    if (!cluster) return undefined;
    let session = this.#sessions.get(cluster.name);
    if (!session) {
      session = cluster.openSession();
      this.#sessions.set(cluster.name, session);
    }
    return session;
  }

  /** Replication in the session of the source cluster (which must be logged in with the right role). */
  replication(): ReplicationPort {
    return {
      replicateKey: async (filter, source, destination) => {
        const session = this.sessionFor(source);
        if (!session) return fail('bad-request', `Cluster '${source}' is not configured`);
        return this.#registry.replicateKey(session, filter, source, destination);
      },
      replicateUser: async (username, role, source, destination) => {
        const session = this.sessionFor(source);
        if (!session) return fail('bad-request', `Cluster '${source}' is not configured`);
        return this.#registry.replicateUser(session, username, source, destination, role);
      },
    };
  }
}

/** `tool` with `--cluster-id` routing and replication over `sessions` (cloudhsm-cli only). */
export function multiClusterTool(tool: EmulatedTool, sessions: ClusterSessions): EmulatedTool {
  if (tool !== CLOUDHSM_CLI_TOOL) return tool;
  const replication = sessions.replication();
  return {
    ...tool,
    execute: (line, ctx) => execute(line, { session: ctx.session, io: ctx.io, sessionFor: (id) => sessions.sessionFor(id), replication }),
  };
}
