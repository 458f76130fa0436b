/**
 * The page's cluster, as the cloud control plane keeps it: creates a fresh unactivated cluster on
 * a first visit (HSM count and model from the settings), reopens it after a reload from its
 * record (plain configs, no secrets; the HSMs reload their own state from IndexedDB), resets it,
 * and exports/imports it as a file of the HSMs' encrypted backups plus the page's settings.
 * The page never reads inside a backup: it stores and hands them back, as the service does.
 *
 * A seeded visit (`?seed=S`, ./sandbox/seed-address.ts) is deterministic and ephemeral: its cluster
 * lives in memory, is built from the address (not the saved settings) with the seed, and nothing of
 * it is saved — the persisted cluster of an unseeded visit is neither reused nor overwritten
 * (docs/scenarios.md). Reset keeps the seed, so it brings back the same fresh cluster.
 * @module
 */
import { browserSpawner } from '../cluster/browser-spawn.ts';
import { Cluster, type ClusterRecord } from '../cluster/cluster.ts';
import type { HsmConfig } from '../cluster/protocol.ts';
import { IdbStorage } from '../store/idb.ts';
import { ClusterFileError, readClusterFile, writeClusterFile, type HsmBackupEntry } from './cluster-file.ts';
import type { SeededVisit } from './sandbox/seed-address.ts';
import { loadSettings, saveSettings, type PageSettings } from './settings.ts';

const RECORD_KEY = 'hsm-playground.cluster-record';

function saveRecord(record: ClusterRecord): void {
  localStorage.setItem(RECORD_KEY, JSON.stringify(record));
}

function loadRecord(): ClusterRecord | undefined {
  const raw = localStorage.getItem(RECORD_KEY);
  if (raw === null) return undefined;
  try {
    const record = JSON.parse(raw) as ClusterRecord;
    return typeof record.name === 'string' && Array.isArray(record.hsms) && record.hsms.length > 0 ? record : undefined;
  } catch {
    return undefined;
  }
}

/** Forget the HSMs' snapshots in IndexedDB (their flash), e.g. after a reset. */
async function eraseStorage(record: ClusterRecord): Promise<void> {
  await Promise.all(record.hsms.map((h) => (h.storage.kind === 'idb' ? new IdbStorage(h.storage.name).erase().catch(() => undefined) : undefined)));
}

function newName(): string {
  return `cluster-${Date.now().toString(36)}-${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
}

export class ClusterHome {
  #cluster: Cluster;
  #settings: PageSettings;
  /** Set on a seeded visit: the cluster is deterministic, in memory, and never saved. */
  readonly #seed: string | undefined;
  readonly #listeners: (() => void)[] = [];

  private constructor(cluster: Cluster, settings: PageSettings, seed?: string) {
    this.#cluster = cluster;
    this.#settings = settings;
    this.#seed = seed;
  }

  /**
   * Reopens the saved cluster, or creates a fresh unactivated one (first visit, or the saved one
   * cannot reopen). With `seeded`, always a fresh seeded in-memory cluster; the saved one is left alone.
   */
  static async open(seeded?: SeededVisit): Promise<{ home: ClusterHome; reopened: boolean; problem?: string }> {
    if (seeded) {
      const settings: PageSettings = { hsmCount: seeded.hsmCount, model: seeded.model };
      return { home: new ClusterHome(await ClusterHome.#fresh(settings, seeded.seed), settings, seeded.seed), reopened: false };
    }
    const settings = loadSettings();
    const record = loadRecord();
    if (record) {
      try {
        const cluster = await Cluster.reopen(record, browserSpawner(), { onChange: saveRecord });
        return { home: new ClusterHome(cluster, settings), reopened: true };
      } catch (e) {
        const cluster = await ClusterHome.#fresh(settings);
        return { home: new ClusterHome(cluster, settings), reopened: false, problem: `The saved cluster could not reopen (${(e as Error).message}); a new one was created.` };
      }
    }
    return { home: new ClusterHome(await ClusterHome.#fresh(settings), settings), reopened: false };
  }

  static async #fresh(settings: PageSettings, seed: string | undefined = undefined): Promise<Cluster> {
    if (seed !== undefined) return Cluster.create({ hsms: settings.hsmCount, model: settings.model, storage: { kind: 'memory' }, spawn: browserSpawner(), seed });
    return Cluster.create({ hsms: settings.hsmCount, model: settings.model, storage: { kind: 'idb' }, spawn: browserSpawner(), onChange: saveRecord });
  }

  /** The seed of a seeded visit (then nothing is saved), or undefined. */
  get seed(): string | undefined {
    return this.#seed;
  }

  get cluster(): Cluster {
    return this.#cluster;
  }

  get settings(): PageSettings {
    return this.#settings;
  }

  /** Called after the cluster was replaced (reset, import): sessions must be reopened. */
  onReplaced(listener: () => void): void {
    this.#listeners.push(listener);
  }

  #replace(cluster: Cluster): void {
    const old = this.#cluster;
    const oldRecord = old.record();
    old.dispose();
    this.#cluster = cluster;
    if (this.#seed === undefined) {
      saveRecord(cluster.record());
      void eraseStorage(oldRecord);
    }
    for (const listener of this.#listeners) listener();
  }

  /** Drops the cluster (and its HSMs' stored state) and starts a fresh unactivated one with `settings`. */
  async reset(settings: PageSettings = this.#settings): Promise<void> {
    if (this.#seed === undefined) saveSettings(settings);
    this.#settings = settings;
    this.#replace(await ClusterHome.#fresh(settings, this.#seed));
  }

  /** The export file's text: an encrypted backup of every live HSM plus the page settings. */
  async exportFile(): Promise<string> {
    const links = this.#cluster.liveLinks();
    if (links.length === 0) throw new Error('No HSM is running: start one before exporting');
    const hsms: HsmBackupEntry[] = await Promise.all(
      links.map(async (link) => ({ index: link.index, ip: link.config.ip, model: link.config.model, backup: await link.backup() })),
    );
    return writeClusterFile({ settings: this.#settings, exportedAt: new Date().toISOString(), clusterId: this.#cluster.clusterId, hsms });
  }

  /**
   * Replaces the cluster with the one in the file: each HSM is restored from its backup (the HSM
   * itself refuses a tampered backup). Throws {@link ClusterFileError} with a clear message, and
   * leaves the current cluster untouched, when the file or a backup is refused.
   */
  async importFile(text: string): Promise<void> {
    const file = await readClusterFile(text);
    const name = newName();
    const seed = this.#seed;
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
    // A seeded visit keeps the imported cluster in memory and saves nothing.
    const cluster = await Cluster.reopen(record, browserSpawner(), seed !== undefined ? {} : { onChange: saveRecord });
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
      await eraseStorage(failed);
      throw e;
    }
    if (seed === undefined) saveSettings(file.settings);
    this.#settings = file.settings;
    this.#replace(cluster);
  }
}
