/**
 * Several clusters side by side (the page and the Node tool can hold more than one): create,
 * list, look up, clone and remove clusters, and persist the list of clusters with their HSM
 * configs — plain data, no secrets — so a page reload or a new Node process brings the same
 * clusters back (each HSM then reopens from its own storage). Cluster names are unique and never
 * reused, so a new cluster never picks up a removed cluster's HSM storage.
 * @module
 */
import type { Envelope } from '../hsm/envelope.ts';
import type { CliRoleArg, KeyFilter } from '../hsm/requests.ts';
import { Cluster, type ClusterOptions, type ClusterRecord } from './cluster.ts';
import type { HsmSpawner } from './hsm-link.ts';
import { replicateKeyBetween, replicateUserBetween, replicationBetween, type ReplicationPort } from './replication.ts';
import type { ClusterSession } from './session.ts';

/** Where the registry document lives (IdbJsonRecord in the browser, JsonFileRecord in Node, or memory). */
export interface RegistryStore {
  read(): Promise<RegistryDocument | undefined>;
  write(document: RegistryDocument): Promise<void>;
}

export interface RegistryDocument {
  readonly format: 1;
  readonly nextNumber: number;
  readonly clusters: readonly ClusterRecord[];
}

/** A registry store that lives as long as the object (tests, embedded sandboxes). */
export class MemoryRegistryStore implements RegistryStore {
  #document: string | undefined;
  async read(): Promise<RegistryDocument | undefined> {
    return this.#document === undefined ? undefined : (JSON.parse(this.#document) as RegistryDocument);
  }
  async write(document: RegistryDocument): Promise<void> {
    this.#document = JSON.stringify(document);
  }
}

export type NewClusterOptions = Omit<ClusterOptions, 'spawn' | 'onChange' | 'name'>;

export interface RegistryOptions {
  readonly store: RegistryStore;
  readonly spawn: HsmSpawner;
  readonly maxInFlight?: number;
}

export class ClusterRegistry {
  readonly #store: RegistryStore;
  readonly #spawn: HsmSpawner;
  readonly #maxInFlight: number | undefined;
  readonly #clusters = new Map<string, Cluster>();
  /** Records of clusters that could not be reopened, kept so they are not forgotten. */
  readonly #unavailable = new Map<string, { record: ClusterRecord; reason: string }>();
  #nextNumber = 1;
  #saving: Promise<void> = Promise.resolve();
  /** While open() reopens the listed clusters, their change callbacks must not write a partial list. */
  #opening = false;

  private constructor(options: RegistryOptions) {
    this.#store = options.store;
    this.#spawn = options.spawn;
    this.#maxInFlight = options.maxInFlight;
  }

  /** Open the registry and reopen every cluster it lists. */
  static async open(options: RegistryOptions): Promise<ClusterRegistry> {
    const registry = new ClusterRegistry(options);
    const document = await options.store.read();
    if (document !== undefined) {
      if (document.format !== 1 || !Array.isArray(document.clusters)) throw new Error('Cluster registry document has an unknown format');
      registry.#nextNumber = document.nextNumber;
      registry.#opening = true;
      try {
        for (const record of document.clusters) {
          try {
            const cluster = await Cluster.reopen(record, options.spawn, { maxInFlight: options.maxInFlight, onChange: () => registry.#save() });
            registry.#clusters.set(record.name, cluster);
          } catch (error) {
            registry.#unavailable.set(record.name, { record, reason: error instanceof Error ? error.message : String(error) });
          }
        }
      } finally {
        registry.#opening = false;
      }
      // Once, with every cluster listed: the reopened HSMs' boot counters have moved on.
      try {
        await registry.#save();
      } catch (error) {
        await registry.dispose().catch(() => undefined);
        throw error;
      }
    }
    return registry;
  }

  /** Every cluster: name, HSM-level cluster id, size, and whether it is open. */
  list(): { name: string; clusterId: string; hsms: number; open: boolean; reason?: string }[] {
    const open = [...this.#clusters.values()].map((c) => ({ name: c.name, clusterId: c.clusterId, hsms: c.size, open: true }));
    const closed = [...this.#unavailable.values()].map(({ record, reason }) => ({
      name: record.name,
      clusterId: record.clusterId,
      hsms: record.hsms.length,
      open: false,
      reason,
    }));
    return [...open, ...closed];
  }

  /** A cluster by its (unique) name, or by its HSM cluster id (the first one, as clones share it). */
  get(nameOrId: string): Cluster | undefined {
    return this.#clusters.get(nameOrId) ?? [...this.#clusters.values()].find((c) => c.clusterId === nameOrId);
  }

  #newName(): string {
    return `cluster-${this.#nextNumber++}`;
  }

  /** What every cluster this registry makes gets: a fresh name, its spawner, and saving on change. */
  #clusterOptions() {
    return {
      name: this.#newName(),
      spawn: this.#spawn,
      ...(this.#maxInFlight !== undefined ? { maxInFlight: this.#maxInFlight } : {}),
      onChange: () => this.#save(),
    };
  }

  async #adopt(cluster: Cluster): Promise<Cluster> {
    this.#clusters.set(cluster.name, cluster);
    await this.#save();
    return cluster;
  }

  async create(options: NewClusterOptions): Promise<Cluster> {
    return this.#adopt(await Cluster.create({ ...options, ...this.#clusterOptions() }));
  }

  /** A new cluster restored from a backup of `source` (spec §1.3). */
  async clone(source: Cluster, options: Omit<NewClusterOptions, 'hsms'> & { hsms?: number }): Promise<Cluster> {
    return this.#adopt(await Cluster.cloneFrom(source, { ...options, ...this.#clusterOptions() }));
  }

  /** Stop a cluster's HSMs and forget it (its HSMs' storage is left in place, never reused). */
  async remove(name: string): Promise<void> {
    const cluster = this.#clusters.get(name);
    if (!cluster && !this.#unavailable.has(name)) throw new RangeError(`No cluster named ${JSON.stringify(name)}`);
    cluster?.dispose();
    this.#clusters.delete(name);
    this.#unavailable.delete(name);
    await this.#save();
  }

  /** `key replicate --filter … --source-cluster-id … --destination-cluster-id …` (spec §4.5). Never throws. */
  async replicateKey(session: ClusterSession, filter: KeyFilter, source: string, destination: string): Promise<Envelope> {
    return replicateKeyBetween((id) => this.get(id), session, filter, source, destination);
  }

  /**
   * `user replicate --username … --role … --source-cluster-id … --destination-cluster-id …`
   * (spec §4.3); `role`, when given, must be the user's role on the source. Never throws.
   */
  async replicateUser(session: ClusterSession, username: string, source: string, destination: string, role?: CliRoleArg): Promise<Envelope> {
    return replicateUserBetween((id) => this.get(id), session, username, source, destination, role);
  }

  /**
   * What the CLI's `key replicate` / `user replicate` talk to (its ReplicationPort), for commands
   * typed in `session`. Answers the spec's shapes: `{"key": …, "message": "Successfully replicated
   * key"}` and `{"user": …, "message": "Successfully replicated user"}`. The logic is shared with
   * the page (./replication.ts).
   */
  replicationFor(session: ClusterSession): ReplicationPort {
    return replicationBetween((id) => this.get(id), session);
  }

  /** Wait until the latest state of the list is stored. */
  flush(): Promise<void> {
    return this.#saving;
  }

  /** The document as it stands now: every open cluster's current record, then the unavailable ones. */
  #document(): RegistryDocument {
    return {
      format: 1,
      nextNumber: this.#nextNumber,
      clusters: [...[...this.#clusters.values()].map((c) => c.record()), ...[...this.#unavailable.values()].map((u) => u.record)],
    };
  }

  #save(): Promise<void> {
    if (this.#opening) return this.#saving;
    const document = this.#document();
    // After a failed write, later writes still run (each one carries the whole list).
    this.#saving = this.#saving.catch(() => undefined).then(() => this.#store.write(document));
    return this.#saving;
  }

  /** Stop every cluster's workers (their state stays persisted). */
  async dispose(): Promise<void> {
    await this.flush().catch(() => undefined);
    for (const cluster of this.#clusters.values()) cluster.dispose();
    this.#clusters.clear();
  }
}
