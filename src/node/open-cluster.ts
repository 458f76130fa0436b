/**
 * Brings up the cluster a run of the tool works on: a fresh unactivated cluster of real HSM worker
 * threads in memory, or — with `--state DIR` — the cluster saved there (reopened from its HSMs'
 * snapshot files), creating and saving one on the first run.
 * @module
 */
import { Cluster } from '../cluster/cluster.ts';
import type { HsmModel } from '../hsm/state.ts';
import { nodeSpawner } from './spawn-hsm.ts';
import { StateDir } from './state-dir.ts';

/** The client-side name of the tool's cluster (names its HSM snapshot files). */
export const CLUSTER_NAME = 'playground';

export interface ClusterRequest {
  readonly hsms: number;
  /** True when `--hsms` was given: it must then agree with a saved cluster. */
  readonly hsmsGiven: boolean;
  readonly model: HsmModel | undefined;
  readonly seed: string | undefined;
  readonly stateDir: string | undefined;
}

export interface OpenedCluster {
  readonly cluster: Cluster;
  /** True when the cluster was reopened from `--state`. */
  readonly reopened: boolean;
  /** Wait until the saved record is written, then stop the HSM workers. */
  close(): Promise<void>;
}

/** Thrown when the options contradict the cluster saved in `--state` (the tool exits 2). */
export class OptionConflictError extends Error {
  override readonly name = 'OptionConflictError';
}

export async function openCluster(request: ClusterRequest): Promise<OpenedCluster> {
  const spawn = nodeSpawner();
  if (request.stateDir === undefined) {
    const cluster = await Cluster.create({
      hsms: request.hsms,
      spawn,
      name: CLUSTER_NAME,
      ...(request.model ? { model: request.model } : {}),
      ...(request.seed !== undefined ? { seed: request.seed } : {}),
    });
    return {
      cluster,
      reopened: false,
      async close() {
        cluster.dispose();
      },
    };
  }

  const state = new StateDir(request.stateDir);
  await state.ensure();
  const saved = await state.load();
  let cluster: Cluster;
  if (saved) {
    const conflicts: string[] = [];
    if (request.hsmsGiven && request.hsms !== saved.hsms.length) conflicts.push(`--hsms ${request.hsms} (it has ${saved.hsms.length})`);
    if (request.model && request.model !== saved.model) conflicts.push(`--model ${request.model} (it is ${saved.model})`);
    if (request.seed !== undefined && request.seed !== saved.seed) {
      conflicts.push(`--seed ${request.seed} (${saved.seed === undefined ? 'it was made without a seed' : `it was made with --seed ${saved.seed}`})`);
    }
    if (conflicts.length > 0) {
      throw new OptionConflictError(`--state ${state.dir} already holds cluster ${saved.clusterId}, which does not match ${conflicts.join(', ')}`);
    }
    cluster = await Cluster.reopen(saved, spawn, { onChange: (record) => state.save(record) });
  } else {
    cluster = await Cluster.create({
      hsms: request.hsms,
      spawn,
      name: CLUSTER_NAME,
      storage: state.storagePlan(),
      onChange: (record) => state.save(record),
      ...(request.model ? { model: request.model } : {}),
      ...(request.seed !== undefined ? { seed: request.seed } : {}),
    });
  }
  return {
    cluster,
    reopened: saved !== undefined,
    async close() {
      try {
        await state.flush();
      } finally {
        cluster.dispose();
      }
    },
  };
}
