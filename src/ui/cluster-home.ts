/**
 * The page's clusters, as the cloud control plane keeps them: on a first visit one fresh
 * unactivated cluster (HSM count and model from the settings); after a reload every saved cluster
 * reopens from the saved list (./cluster-list-record.ts: plain configs, no secrets; the HSMs reload
 * their own state from IndexedDB). More clusters can be made, fresh or as a clone restored from a
 * backup of a live HSM of the current one (spec §1.3), and removed. One cluster is current: the
 * one the cluster panel shows, and the one reset, export and import act on. The page never reads
 * inside a backup: it stores and hands them back, as the service does. The file format
 * (./cluster-file.ts) loads only when a file is exported or imported.
 *
 * A seeded visit (`?seed=S`, ./sandbox/seed-address.ts) is deterministic and ephemeral: its
 * clusters live in memory, the first is built from the address (not the saved settings) with the
 * seed, and nothing is saved — the persisted clusters of an unseeded visit are neither reused nor
 * overwritten (docs/scenarios.md). Reset keeps the seed, so it brings back the same fresh cluster;
 * further clusters get a seed of their own (`S/cluster-N`), so they never share the first one's
 * random streams (and so its masking key).
 * @module
 */
import { browserSpawner } from '../cluster/browser-spawn.ts';
import { Cluster, type ClusterRecord } from '../cluster/cluster.ts';
import type { ReplicationPort } from '../cluster/replication.ts';
import type { ClusterSession } from '../cluster/session.ts';
import { IdbStorage } from '../store/idb.ts';
import { CLUSTER_LIST_KEY, LEGACY_RECORD_KEY, clusterName, readClusterList, writeClusterList } from './cluster-list-record.ts';
import type { SeededVisit } from './sandbox/seed-address.ts';
import { loadSettings, saveSettings, type PageSettings } from './settings.ts';

/** Forget the HSMs' snapshots in IndexedDB (their flash), e.g. after a reset or a removal. */
export async function eraseStorage(record: ClusterRecord): Promise<void> {
  await Promise.all(record.hsms.map((h) => (h.storage.kind === 'idb' ? new IdbStorage(h.storage.name).erase().catch(() => undefined) : undefined)));
}

/** Erase what a new cluster named `name` would open as HSMs 0..count-1 (left behind if the saved list was lost). */
async function clearNewStorage(name: string, count: number): Promise<void> {
  await Promise.all(Array.from({ length: count }, (_, i) => new IdbStorage(`${name}/hsm${i}`).erase().catch(() => undefined)));
}

export class ClusterHome {
  /** Every open cluster, in the order they were made. */
  readonly #clusters: Cluster[] = [];
  #current: Cluster;
  #settings: PageSettings;
  /** Set on a seeded visit: the clusters are deterministic, in memory, and never saved. */
  readonly #seed: string | undefined;
  #nextNumber: number;
  readonly #replaced: ((oldName: string) => void)[] = [];

  private constructor(first: Cluster, settings: PageSettings, nextNumber: number, seed?: string) {
    this.#clusters.push(first);
    this.#current = first;
    this.#settings = settings;
    this.#nextNumber = nextNumber;
    this.#seed = seed;
  }

  /**
   * Reopens the saved clusters, or creates a fresh unactivated one (first visit, or none of the
   * saved ones reopens). With `seeded`, always one fresh seeded in-memory cluster; the saved ones
   * are left alone. `problem` says which saved clusters could not reopen.
   */
  static async open(seeded?: SeededVisit): Promise<{ home: ClusterHome; reopened: boolean; problem?: string }> {
    if (seeded) {
      const settings: PageSettings = { hsmCount: seeded.hsmCount, model: seeded.model };
      const cluster = await Cluster.create({ name: clusterName(1), hsms: settings.hsmCount, model: settings.model, storage: { kind: 'memory' }, spawn: browserSpawner(), seed: seeded.seed });
      return { home: new ClusterHome(cluster, settings, 2, seeded.seed), reopened: false };
    }
    const settings = loadSettings();
    const saved = readClusterList(localStorage.getItem(CLUSTER_LIST_KEY), localStorage.getItem(LEGACY_RECORD_KEY));
    let home: ClusterHome | undefined;
    // While the saved clusters reopen, their change callbacks must not save a partial list.
    let opening = true;
    const onChange = () => {
      if (!opening && home) home.#save();
    };
    const failed: string[] = [];
    for (const record of saved?.list.clusters ?? []) {
      try {
        const cluster = await Cluster.reopen(record, browserSpawner(), { onChange });
        if (!home) home = new ClusterHome(cluster, settings, saved!.list.nextNumber);
        else home.#clusters.push(cluster);
        if (record.name === saved!.list.current) home.#current = cluster;
      } catch (e) {
        failed.push(`${record.name}: ${(e as Error).message}`);
      }
    }
    const lost = failed.length > 0 ? `The saved cluster${failed.length === 1 ? '' : 's'} ${failed.join('; ')} could not reopen (${failed.length === 1 ? 'its' : 'their'} HSM storage is left in place).` : undefined;
    if (!home) {
      const number = saved?.list.nextNumber ?? 1;
      home = new ClusterHome(await ClusterHome.#fresh(settings, clusterName(number), undefined, onChange), settings, number + 1);
    }
    opening = false;
    home.#save();
    const reopened = failed.length < (saved?.list.clusters.length ?? 0);
    return { home, reopened, ...(lost ? { problem: reopened ? lost : `${lost} A new one was created.` } : {}) };
  }

  /** A fresh unactivated cluster named `name`, in memory with `seed`, else in IndexedDB. */
  static async #fresh(settings: PageSettings, name: string, seed?: string, onChange?: () => void): Promise<Cluster> {
    if (seed !== undefined) return Cluster.create({ name, hsms: settings.hsmCount, model: settings.model, storage: { kind: 'memory' }, spawn: browserSpawner(), seed });
    await clearNewStorage(name, settings.hsmCount);
    return Cluster.create({ name, hsms: settings.hsmCount, model: settings.model, storage: { kind: 'idb' }, spawn: browserSpawner(), ...(onChange ? { onChange } : {}) });
  }

  /** The seed of a seeded visit (then nothing is saved), or undefined. */
  get seed(): string | undefined {
    return this.#seed;
  }

  /** The current cluster: the one the cluster panel shows and reset, export and import act on. */
  get cluster(): Cluster {
    return this.#current;
  }

  /** Every open cluster, in the order they were made. */
  get clusters(): readonly Cluster[] {
    return this.#clusters;
  }

  get settings(): PageSettings {
    return this.#settings;
  }

  /** A cluster by its name (what `--cluster-id` takes), else the first with that HSM cluster id. */
  find(nameOrId: string): Cluster | undefined {
    return this.#clusters.find((c) => c.name === nameOrId) ?? this.#clusters.find((c) => c.clusterId === nameOrId);
  }

  /** Makes the cluster named `name` current. */
  select(name: string): Cluster {
    const cluster = this.#clusters.find((c) => c.name === name);
    if (!cluster) throw new RangeError(`No cluster named ${JSON.stringify(name)} (have ${this.#clusters.map((c) => c.name).join(', ')})`);
    if (cluster !== this.#current) {
      this.#current = cluster;
      this.#save();
    }
    return cluster;
  }

  /** Called after a cluster was replaced by another (reset, import) with its old name: its sessions must be reopened. */
  onReplaced(listener: (oldName: string) => void): void {
    this.#replaced.push(listener);
  }

  #newName(): string {
    return clusterName(this.#nextNumber++);
  }

  /** The seed a further cluster of a seeded visit gets (its own random streams), or undefined. */
  #seedFor(name: string): string | undefined {
    return this.#seed === undefined ? undefined : `${this.#seed}/${name}`;
  }

  #onChange(): (() => void) | undefined {
    return this.#seed === undefined ? () => this.#save() : undefined;
  }

  /** Writes the list (not on a seeded visit). */
  #save(): void {
    if (this.#seed !== undefined) return;
    localStorage.setItem(
      CLUSTER_LIST_KEY,
      writeClusterList({ format: 1, nextNumber: this.#nextNumber, current: this.#current.name, clusters: this.#clusters.map((c) => c.record()) }),
    );
    localStorage.setItem(LEGACY_RECORD_KEY, JSON.stringify(this.#current.record()));
  }

  #add(cluster: Cluster): Cluster {
    this.#clusters.push(cluster);
    this.#current = cluster;
    this.#save();
    return cluster;
  }

  /** A new unactivated cluster (`settings`: HSM count and model), which becomes current. */
  async create(settings: PageSettings = this.#settings): Promise<Cluster> {
    const name = this.#newName();
    const seed = this.#seedFor(name);
    return this.#add(await ClusterHome.#fresh(settings, name, seed, this.#onChange()));
  }

  /**
   * A clone of the current cluster, restored from a backup of one of its live HSMs (same cluster
   * id and masking key, spec §1.3), with as many HSMs; it becomes current.
   */
  async cloneCurrent(): Promise<Cluster> {
    const source = this.#current;
    const name = this.#newName();
    const seed = this.#seedFor(name);
    const onChange = this.#onChange();
    if (seed === undefined) await clearNewStorage(name, source.size);
    const clone = await Cluster.cloneFrom(source, {
      name,
      hsms: source.size,
      model: source.record().model,
      spawn: browserSpawner(),
      storage: seed !== undefined ? { kind: 'memory' } : { kind: 'idb' },
      ...(seed !== undefined ? { seed } : {}),
      ...(onChange ? { onChange } : {}),
    });
    return this.#add(clone);
  }

  /** Stops a cluster's HSMs and forgets it with their stored state; the last cluster cannot be removed. */
  async remove(name: string): Promise<void> {
    const cluster = this.#clusters.find((c) => c.name === name);
    if (!cluster) throw new RangeError(`No cluster named ${JSON.stringify(name)}`);
    if (this.#clusters.length === 1) throw new Error(`Cannot remove ${name}: it is the only cluster (use Reset to start it over)`);
    const record = cluster.record();
    cluster.dispose();
    this.#clusters.splice(this.#clusters.indexOf(cluster), 1);
    if (this.#current === cluster) this.#current = this.#clusters[0]!;
    this.#save();
    if (this.#seed === undefined) await eraseStorage(record);
  }

  /** `key replicate` / `user replicate` for commands typed in `session`, between this page's clusters. */
  replicationFor(session: ClusterSession): ReplicationPort {
    const find = (id: string) => this.find(id);
    // Loaded when a replicate command runs, not at start.
    const shared = () => import('../cluster/replication.ts');
    return {
      replicateKey: async (filter, source, destination) => (await shared()).replicateKeyBetween(find, session, filter, source, destination),
      replicateUser: async (username, role, source, destination) => (await shared()).replicateUserBetween(find, session, username, source, destination, role),
    };
  }

  /** Puts `cluster` in the current one's place (reset, import) and drops the old one with its stored state. */
  #replace(cluster: Cluster): void {
    const old = this.#current;
    const oldRecord = old.record();
    old.dispose();
    this.#clusters[this.#clusters.indexOf(old)] = cluster;
    this.#current = cluster;
    if (this.#seed === undefined) {
      this.#save();
      void eraseStorage(oldRecord);
    }
    for (const listener of this.#replaced) listener(old.name);
  }

  /** Drops the current cluster (and its HSMs' stored state) and puts a fresh unactivated one with `settings` in its place. */
  async reset(settings: PageSettings = this.#settings): Promise<void> {
    if (this.#seed === undefined) saveSettings(settings);
    this.#settings = settings;
    // A seeded visit's first cluster resets to the same fresh cluster; a further one keeps its own seed.
    const first = this.#clusters[0] === this.#current;
    const name = this.#seed !== undefined && first ? this.#current.name : this.#newName();
    const seed = this.#seed !== undefined ? (first ? this.#seed : this.#current.seed) : undefined;
    this.#replace(await ClusterHome.#fresh(settings, name, seed, this.#onChange()));
  }

  /** The export file's text: an encrypted backup of every live HSM of the current cluster plus the page settings. */
  async exportFile(): Promise<string> {
    return (await import('./cluster-transfer.ts')).exportCluster(this.#current, this.#settings);
  }

  /**
   * Replaces the current cluster with the one in the file: each HSM is restored from its backup
   * (the HSM itself refuses a tampered backup). Throws a ClusterFileError with a clear
   * message, and leaves the current cluster untouched, when the file or a backup is refused.
   */
  async importFile(text: string): Promise<void> {
    const seed = this.#seed !== undefined ? this.#current.seed : undefined;
    const onChange = this.#onChange();
    const { cluster, settings } = await (await import('./cluster-transfer.ts')).importCluster(text, this.#newName(), seed, onChange, eraseStorage);
    if (this.#seed === undefined) saveSettings(settings);
    this.#settings = settings;
    this.#replace(cluster);
  }
}
