/**
 * Export and import of one cluster as a file (./cluster-file.ts): the export is an encrypted
 * backup of every live HSM plus the page settings; the import brings up a new cluster whose HSMs
 * are each restored from their backup (the HSM itself refuses a tampered backup). Loaded only when
 * the user exports or imports, so none of it weighs on the page's start.
 * @module
 */
import { browserSpawner } from '../cluster/browser-spawn.ts';
import { Cluster, type ClusterRecord } from '../cluster/cluster.ts';
import type { HsmConfig } from '../cluster/protocol.ts';
import { ClusterFileError, readClusterFile, writeClusterFile, type HsmBackupEntry } from './cluster-file.ts';
import type { PageSettings } from './settings.ts';

/** The export file's text for `cluster`: a backup of each live HSM, with `settings`. */
export async function exportCluster(cluster: Cluster, settings: PageSettings): Promise<string> {
  const links = cluster.liveLinks();
  if (links.length === 0) throw new Error('No HSM is running: start one before exporting');
  const hsms: HsmBackupEntry[] = await Promise.all(
    links.map(async (link) => ({ index: link.index, ip: link.config.ip, model: link.config.model, backup: await link.backup() })),
  );
  return writeClusterFile({ settings, exportedAt: new Date().toISOString(), clusterId: cluster.clusterId, hsms });
}

/**
 * A new cluster named `name` from the file's text: in memory with `seed` when given (a seeded
 * visit saves nothing), else in IndexedDB. Throws {@link ClusterFileError} naming what was
 * refused; then the half-made cluster is stopped and its storage erased with `erase`.
 */
export async function importCluster(
  text: string,
  name: string,
  seed: string | undefined,
  onChange: (() => void) | undefined,
  erase: (record: ClusterRecord) => Promise<void>,
): Promise<{ cluster: Cluster; settings: PageSettings }> {
  const file = await readClusterFile(text);
  const configs: HsmConfig[] = file.hsms.map((h) => ({
    clusterName: name,
    index: h.index,
    ip: h.ip,
    model: h.model,
    storage: seed !== undefined ? { kind: 'memory' } : { kind: 'idb', name: `${name}/hsm${h.index}` },
    ...(seed !== undefined ? { seed } : {}),
  }));
  const record: ClusterRecord = {
    name,
    clusterId: file.clusterId,
    model: file.settings.model,
    ...(seed !== undefined ? { seed } : {}),
    storage: seed !== undefined ? { kind: 'memory' } : { kind: 'idb' },
    nextIndex: Math.max(...file.hsms.map((h) => h.index)) + 1,
    hsms: configs,
  };
  // Bring the HSMs up empty, then restore each from its backup (restore overwrites its storage).
  const cluster = await Cluster.reopen(record, browserSpawner(), onChange ? { onChange } : {});
  try {
    for (const link of cluster.liveLinks()) {
      const entry = file.hsms.find((h) => h.index === link.index);
      if (!entry) continue;
      link.stop();
      let restored;
      try {
        restored = await link.startFromBackup(entry.backup);
      } catch (e) {
        throw new ClusterFileError(`HSM ${entry.index}'s backup was refused by the HSM: ${(e as Error).message}`);
      }
      if (restored.clusterId !== file.clusterId) throw new ClusterFileError(`HSM ${entry.index}'s backup belongs to cluster ${restored.clusterId}, not ${file.clusterId}.`);
    }
  } catch (e) {
    const failed = cluster.record();
    cluster.dispose();
    await erase(failed);
    throw e;
  }
  return { cluster, settings: file.settings };
}
