/**
 * Brings up the cluster a run of the tool works on: a fresh unactivated cluster of real HSM worker
 * threads in memory, or — with `--state DIR` — the cluster of the registry kept there (reopened
 * from its HSMs' snapshot files), creating and registering one on the first run. With
 * `--clone-cluster` the run also holds a clone of that cluster (restored from its backup): both
 * then live in a registry (in memory, or the one of `--state`), named cluster-1 and cluster-2.
 * @module
 */
import { Cluster } from '../cluster/cluster.ts';
import { ClusterRegistry, MemoryRegistryStore } from '../cluster/registry.ts';
import type { HsmModel } from '../hsm/state.ts';
import { nodeSpawner } from './spawn-hsm.ts';
import { StateDir } from './state-dir.ts';

/** The client-side name of the tool's in-memory cluster (in `--state` the registry names clusters). */
export const CLUSTER_NAME = 'cluster-1';

export interface ClusterRequest {
  readonly hsms: number;
  /** True when `--hsms` was given: it must then agree with a saved cluster. */
  readonly hsmsGiven: boolean;
  readonly model: HsmModel | undefined;
  readonly seed: string | undefined;
  readonly stateDir: string | undefined;
  /** Also hold a clone of the cluster (created once; with `--state` it is saved and reopened). */
  readonly cloneCluster?: boolean;
}

export interface OpenedCluster {
  readonly cluster: Cluster;
  /** True when the cluster was reopened from `--state`. */
  readonly reopened: boolean;
  /** The registry holding every cluster of the run (with `--state` or `--clone-cluster`). */
  readonly registry: ClusterRegistry | undefined;
  /** Wait until the saved record is written, then stop the HSM workers. */
  close(): Promise<void>;
}

/** Thrown when the options contradict the cluster saved in `--state` (the tool exits 2). */
export class OptionConflictError extends Error {
  override readonly name = 'OptionConflictError';
}

export async function openCluster(request: ClusterRequest): Promise<OpenedCluster> {
  const spawn = nodeSpawner();
  if (request.stateDir === undefined && request.cloneCluster) {
    const registry = await ClusterRegistry.open({ store: new MemoryRegistryStore(), spawn });
    try {
      const cluster = await registry.create({
        hsms: request.hsms,
        ...(request.model ? { model: request.model } : {}),
        ...(request.seed !== undefined ? { seed: request.seed } : {}),
      });
      await addClone(registry, cluster, request);
      return { cluster, reopened: false, registry, close: () => registry.dispose() };
    } catch (error) {
      await registry.dispose();
      throw error;
    }
  }
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
      registry: undefined,
      async close() {
        cluster.dispose();
      },
    };
  }

  const state = new StateDir(request.stateDir);
  await state.ensure();
  const registry = await ClusterRegistry.open({ store: state, spawn });
  try {
    const { cluster, reopened } = await clusterIn(registry, state, request);
    if (request.cloneCluster && registry.list().length < 2) await addClone(registry, cluster, request);
    return {
      cluster,
      reopened,
      registry,
      async close() {
        try {
          await registry.flush(); // reports a failed write of the registry document
        } finally {
          await registry.dispose();
        }
      },
    };
  } catch (error) {
    await registry.dispose();
    throw error;
  }
}

/**
 * Register a clone of `source` with as many HSMs. A seeded clone gets its own seed (`S/clone`):
 * the clone's HSMs must not draw the same random streams as the source's.
 */
async function addClone(registry: ClusterRegistry, source: Cluster, request: ClusterRequest): Promise<Cluster> {
  const seed = source.seed ?? request.seed;
  return registry.clone(source, {
    hsms: source.size,
    ...(request.model ? { model: request.model } : {}),
    ...(seed !== undefined ? { seed: `${seed}/clone` } : {}),
    ...(source.record().storage.kind === 'file' ? { storage: source.record().storage } : {}),
  });
}

/** The cluster of the state directory: the first one its registry lists, or a new one. */
async function clusterIn(registry: ClusterRegistry, state: StateDir, request: ClusterRequest): Promise<{ cluster: Cluster; reopened: boolean }> {
  const listed = registry.list()[0];
  if (listed === undefined) {
    const cluster = await registry.create({
      hsms: request.hsms,
      storage: state.storagePlan(),
      ...(request.model ? { model: request.model } : {}),
      ...(request.seed !== undefined ? { seed: request.seed } : {}),
    });
    return { cluster, reopened: false };
  }
  if (!listed.open) throw new Error(`--state ${state.dir}: cluster ${listed.name} (${listed.clusterId}) cannot be reopened: ${listed.reason ?? 'unknown reason'}`);
  const cluster = registry.get(listed.name)!;
  const record = cluster.record();
  const conflicts: string[] = [];
  if (request.hsmsGiven && request.hsms !== cluster.size) conflicts.push(`--hsms ${request.hsms} (it has ${cluster.size})`);
  if (request.model && request.model !== record.model) conflicts.push(`--model ${request.model} (it is ${record.model})`);
  if (request.seed !== undefined && request.seed !== record.seed) {
    conflicts.push(`--seed ${request.seed} (${record.seed === undefined ? 'it was made without a seed' : `it was made with --seed ${record.seed}`})`);
  }
  if (conflicts.length > 0) {
    throw new OptionConflictError(`--state ${state.dir} already holds cluster ${cluster.clusterId}, which does not match ${conflicts.join(', ')}`);
  }
  return { cluster, reopened: true };
}
