/**
 * A CloudHSM cluster of 1–28 simulated HSMs, each in its own worker, behaving as one logical HSM.
 * This class plays both the client SDK's cluster view (routing, coverage, failover — sessions in
 * ./session.ts) and the cloud control plane: it creates HSM 0 fresh and the others as clones of a
 * backup of HSM 0 taken before activation, adds HSMs from backups of live ones (it stores backups
 * it cannot read), stops and restarts HSMs and resynchronises them through the appliance user's
 * sync sessions (sync-status digests, then masked objects), and clones whole clusters (spec §1.3).
 * @module
 */
import { fail, ok, type Envelope } from '../hsm/envelope.ts';
import type { Op } from '../hsm/policy.ts';
import type { AnyRequest, CliRoleArg, KeyFilter } from '../hsm/requests.ts';
import type { HsmModel, HsmSettings } from '../hsm/state.ts';
import { coverageOf, findKeyObjects, keyObjectName, markInconsistencies, parseKeyReference, setKeyCoverage, type Coverage, type KeyObjectJson, type Presence } from './coverage.ts';
import { HsmLink, HsmUnavailableError, type HsmSpawner, type LinkState, type SpawnedHsm } from './hsm-link.ts';
import type { HsmConfig, HsmSummary, PasswordCostSpec, StorageSpec } from './protocol.ts';
import type { RoutingLane } from './op-kinds.ts';
import { ClusterSession, type SessionHost } from './session.ts';

export const MAX_HSMS = 28;

/** Where the HSMs of a cluster keep their snapshots. */
export type StoragePlan = { readonly kind: 'memory' } | { readonly kind: 'idb' } | { readonly kind: 'file'; readonly dir: string };

/** The appliance user the cluster's own sync sessions log in as (simulator extension, spec §1.3). */
export const APPLIANCE_USER = { username: 'app_user', role: 'appliance', password: 'password' } as const;

export interface ClusterOptions {
  /** Number of HSMs, 1..28. */
  readonly hsms: number;
  readonly spawn: HsmSpawner;
  readonly model?: HsmModel;
  /** Deterministic mode: seeded randomness per HSM, virtual clocks, round-robin routing. */
  readonly seed?: string;
  /** Client-side name, used to name the HSMs' storage (letters, digits, `_`, `.`, `-`). */
  readonly name?: string;
  readonly storage?: StoragePlan;
  readonly passwordCost?: PasswordCostSpec;
  readonly settings?: Partial<HsmSettings>;
  /** Requests in flight per HSM worker. */
  readonly maxInFlight?: number;
  /** Called whenever the cluster's record (its HSM configs) changes, e.g. to persist it. */
  readonly onChange?: (record: ClusterRecord) => void;
}

/** What is needed to bring a cluster back after a reload: plain data, no secrets. */
export interface ClusterRecord {
  readonly name: string;
  readonly clusterId: string;
  readonly model: HsmModel;
  readonly seed?: string;
  readonly storage: StoragePlan;
  readonly passwordCost?: PasswordCostSpec;
  readonly settings?: Partial<HsmSettings>;
  readonly nextIndex: number;
  readonly hsms: readonly HsmConfig[];
}

/** A backup the control plane keeps: encrypted so that only an HSM can read it. */
export interface StoredBackup {
  readonly fromHsm: number;
  readonly takenAt: number;
  readonly bytes: Uint8Array;
}

/** Result of comparing the sync-status digests of the live HSMs. */
export interface SyncStatus {
  readonly inSync: boolean;
  readonly hsms: readonly { index: number; ip: string; state: LinkState; objectCount?: number }[];
  /** Objects not identical on every live HSM: on which HSMs they are missing or different. */
  readonly outOfSync: Readonly<Record<string, { missingOn: number[]; differentOn: number[] }>>;
}

const NAME_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/** The `user list` role names a `--role` argument stands for (`admin` also names the unactivated admin). */
function cliRoleNames(role: CliRoleArg): readonly string[] {
  switch (role) {
    case 'admin':
      return ['admin', 'unactivated-admin'];
    case 'crypto-user':
      return ['crypto-user'];
    case 'appliance':
      return ['internal(APPLIANCE_USER)'];
  }
}

function storageSpec(plan: StoragePlan, clusterName: string, index: number): StorageSpec {
  switch (plan.kind) {
    case 'memory':
      return { kind: 'memory' };
    case 'idb':
      return { kind: 'idb', name: `${clusterName}/hsm${index}` };
    case 'file':
      return { kind: 'file', dir: plan.dir, name: `${clusterName}-hsm${index}` };
  }
}

function randomName(): string {
  return `cluster-${Date.now().toString(36)}-${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
}

interface ClusterParts {
  readonly name: string;
  readonly model: HsmModel;
  readonly seed: string | undefined;
  readonly storage: StoragePlan;
  readonly passwordCost: PasswordCostSpec | undefined;
  readonly settings: Partial<HsmSettings> | undefined;
  readonly spawn: HsmSpawner;
  readonly maxInFlight: number | undefined;
  readonly onChange: ((record: ClusterRecord) => void) | undefined;
}

export class Cluster implements SessionHost {
  readonly #parts: ClusterParts;
  readonly #links: HsmLink[] = [];
  #clusterId = '';
  #nextIndex = 0;
  #lock: Promise<unknown> = Promise.resolve();
  /** Seeded round robin, one counter per routing lane (see op-kinds.ts: pure reads never move the other). */
  readonly #turns: Record<RoutingLane, number> = { reads: 0, writes: 0 };
  #generation = 0;
  readonly #auSessions = new Map<HsmLink, { boot: number; id: string }>();
  readonly #digestCache = new Map<HsmLink, { generation: number; boot: number; objects: Record<string, string> }>();
  /** Objects written while an HSM was down: they make coverage partial until it resyncs. */
  readonly #missed = new Map<HsmLink, Set<string>>();
  /** HSMs that missed writes and must resync before they serve as a sync source. */
  readonly #stale = new Set<HsmLink>();
  readonly #backups: StoredBackup[] = [];
  /** The highest key handle known to be allocated on each HSM (its next handle is above it). */
  readonly #highestHandle = new Map<HsmLink, number>();
  /** A worker started ahead of time, so adding or replacing an HSM skips the worker's start-up. */
  #spare: Promise<SpawnedHsm | undefined> | undefined;
  #disposed = false;

  private constructor(parts: ClusterParts) {
    this.#parts = parts;
  }

  // ---------------------------------------------------------------- creation

  /** A new cluster: HSM 0 fresh (unactivated), HSMs 1..N-1 clones of its pre-activation backup. */
  static async create(options: ClusterOptions): Promise<Cluster> {
    const count = options.hsms;
    if (!Number.isInteger(count) || count < 1 || count > MAX_HSMS) {
      throw new RangeError(`Cluster.create: hsms must be an integer from 1 to ${MAX_HSMS}, got ${String(count)}`);
    }
    const cluster = new Cluster(Cluster.#partsFrom(options));
    try {
      const first = cluster.#newLink();
      cluster.#clusterId = (await first.start()).clusterId;
      if (count > 1) {
        const backup = await cluster.#takeBackup(first);
        await Promise.all(Array.from({ length: count - 1 }, () => cluster.#newLink().startFromBackup(backup)));
      }
    } catch (error) {
      cluster.dispose();
      throw error;
    }
    cluster.#changed();
    cluster.#prewarmSpare();
    return cluster;
  }

  /** A new cluster restored from a backup of a live HSM of `source` (same cluster id and key: a clone). */
  static async cloneFrom(source: Cluster, options: Omit<ClusterOptions, 'hsms'> & { hsms?: number }): Promise<Cluster> {
    const count = options.hsms ?? 1;
    if (!Number.isInteger(count) || count < 1 || count > MAX_HSMS) {
      throw new RangeError(`Cluster.cloneFrom: hsms must be an integer from 1 to ${MAX_HSMS}, got ${String(count)}`);
    }
    const backup = await source.exclusive(() => source.#takeBackup(source.#syncSource()));
    const cluster = new Cluster(Cluster.#partsFrom({ ...options, hsms: count }));
    try {
      const summaries = await Promise.all(Array.from({ length: count }, () => cluster.#newLink().startFromBackup(backup)));
      cluster.#clusterId = summaries[0]!.clusterId;
    } catch (error) {
      cluster.dispose();
      throw error;
    }
    cluster.#changed();
    cluster.#prewarmSpare();
    return cluster;
  }

  /**
   * Bring a cluster back from its record (after a page reload or in a new process): every HSM
   * reopens from its own storage. An HSM that fails to open (corrupt record) is left failed with
   * a clear reason; the others serve, and it is resynced when it starts again.
   */
  static async reopen(record: ClusterRecord, spawn: HsmSpawner, extra: { maxInFlight?: number; onChange?: (record: ClusterRecord) => void } = {}): Promise<Cluster> {
    const cluster = new Cluster({
      name: record.name,
      model: record.model,
      seed: record.seed,
      storage: record.storage,
      passwordCost: record.passwordCost,
      settings: record.settings,
      spawn,
      maxInFlight: extra.maxInFlight,
      onChange: extra.onChange,
    });
    cluster.#clusterId = record.clusterId;
    cluster.#nextIndex = record.nextIndex;
    for (const config of record.hsms) cluster.#links.push(new HsmLink(config, spawn, { maxInFlight: extra.maxInFlight }));
    await Promise.all(cluster.#links.map((link) => link.start().catch(() => undefined)));
    const live = cluster.#links.filter((l) => l.live);
    if (live.length === 0) {
      const reasons = cluster.#links.map((l) => `HSM ${l.index}: ${l.failure ?? l.state}`).join('; ');
      cluster.dispose();
      throw new Error(`Cluster ${record.name} could not reopen any HSM (${reasons})`);
    }
    for (const link of cluster.#links) if (!link.live) cluster.#stale.add(link);
    cluster.#changed();
    cluster.#prewarmSpare();
    return cluster;
  }

  static #partsFrom(options: ClusterOptions): ClusterParts {
    const name = options.name ?? randomName();
    if (!NAME_PATTERN.test(name)) throw new TypeError(`Cluster name must be 1–64 letters, digits, '_', '.' or '-', got ${JSON.stringify(name)}`);
    if (typeof options.spawn !== 'function') throw new TypeError('Cluster: spawn must be a function that starts an HSM worker');
    return {
      name,
      model: options.model ?? 'hsm2m.medium',
      seed: options.seed,
      storage: options.storage ?? { kind: 'memory' },
      passwordCost: options.passwordCost,
      settings: options.settings,
      spawn: options.spawn,
      maxInFlight: options.maxInFlight,
      onChange: options.onChange,
    };
  }

  #prewarmSpare(): void {
    if (this.#disposed || this.#spare) return;
    const spare = HsmLink.prewarm(this.#parts.spawn).catch(() => undefined);
    this.#spare = spare;
  }

  /** Wait until the spare worker has started (benchmarks wait, so its start-up does not compete). */
  async spareReady(): Promise<boolean> {
    return (await this.#spare) !== undefined;
  }

  /** The pre-warmed worker, if one is ready or coming (a new one is started for next time). */
  async #takeSpare(): Promise<SpawnedHsm | undefined> {
    const spare = this.#spare;
    this.#spare = undefined;
    const worker = spare ? await spare : undefined;
    this.#prewarmSpare();
    return worker;
  }

  #newLink(): HsmLink {
    const index = this.#nextIndex++;
    const p = this.#parts;
    const config: HsmConfig = {
      clusterName: p.name,
      index,
      ip: `10.0.0.${index + 1}`,
      model: p.model,
      storage: storageSpec(p.storage, p.name, index),
      ...(p.seed !== undefined ? { seed: p.seed } : {}),
      ...(p.passwordCost ? { passwordCost: p.passwordCost } : {}),
      ...(p.settings ? { settings: p.settings } : {}),
    };
    const link = new HsmLink(config, p.spawn, { maxInFlight: p.maxInFlight });
    this.#links.push(link);
    return link;
  }

  // ---------------------------------------------------------------- facts

  get clusterId(): string {
    return this.#clusterId;
  }
  get name(): string {
    return this.#parts.name;
  }
  get seed(): string | undefined {
    return this.#parts.seed;
  }
  get size(): number {
    return this.#links.length;
  }
  /** Server ids, addresses and states of the HSMs, in server order. */
  get hsms(): readonly { index: number; ip: string; state: LinkState; failure?: string }[] {
    return this.#links.map((l) => ({ index: l.index, ip: l.config.ip, state: l.state, ...(l.failure ? { failure: l.failure } : {}) }));
  }
  /** Backups the control plane has taken (it cannot read them). */
  get backups(): readonly StoredBackup[] {
    return this.#backups;
  }

  record(): ClusterRecord {
    const p = this.#parts;
    return {
      name: p.name,
      clusterId: this.#clusterId,
      model: p.model,
      ...(p.seed !== undefined ? { seed: p.seed } : {}),
      storage: p.storage,
      ...(p.passwordCost ? { passwordCost: p.passwordCost } : {}),
      ...(p.settings ? { settings: p.settings } : {}),
      nextIndex: this.#nextIndex,
      hsms: this.#links.map((l) => l.config),
    };
  }

  #changed(): void {
    this.#parts.onChange?.(this.record());
  }

  /** Each HSM's non-secret facts (last known for a stopped HSM), with its state. */
  async summaries(): Promise<{ index: number; state: LinkState; summary: HsmSummary | undefined }[]> {
    return Promise.all(
      this.#links.map(async (link) => ({
        index: link.index,
        state: link.state,
        summary: link.live ? await link.summary().catch(() => link.lastSummary) : link.lastSummary,
      })),
    );
  }

  #link(index: number): HsmLink {
    const link = this.#links.find((l) => l.index === index);
    if (!link) throw new RangeError(`Cluster ${this.name} has no HSM with server id ${index} (has ${this.#links.map((l) => l.index).join(', ')})`);
    return link;
  }

  // ---------------------------------------------------------------- sessions

  openSession(): ClusterSession {
    if (this.#disposed) throw new Error(`Cluster ${this.name} is disposed`);
    return new ClusterSession(this);
  }

  liveLinks(): HsmLink[] {
    return this.#links.filter((l) => l.live);
  }

  pick(candidates: readonly HsmLink[], lane: RoutingLane): HsmLink {
    if (candidates.length === 0) throw new Error('pick: no candidate HSM');
    const turn = this.#turns[lane]++;
    if (this.#parts.seed !== undefined) return candidates[turn % candidates.length]!;
    let best = candidates[turn % candidates.length]!;
    for (const link of candidates) if (link.inFlight < best.inFlight) best = link;
    return best;
  }

  pickCreator(candidates: readonly HsmLink[]): HsmLink {
    const highest = (link: HsmLink) => this.#highestHandle.get(link) ?? 0;
    const top = Math.max(...candidates.map(highest));
    return this.pick(candidates.filter((l) => highest(l) === top), 'writes');
  }

  noteHandles(link: HsmLink, references: readonly string[]): void {
    let top = this.#highestHandle.get(link) ?? 0;
    for (const ref of references) top = Math.max(top, parseKeyReference(ref));
    this.#highestHandle.set(link, top);
  }

  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(async () => {
      if (this.#links.some((l) => !l.live)) await this.#warmDigests();
      return fn();
    });
    this.#lock = run.catch(() => undefined);
    return run;
  }

  /** Before a write while an HSM is down: know the live HSMs' digests, to see what the write changes. */
  async #warmDigests(): Promise<void> {
    await Promise.all(this.liveLinks().map((l) => this.#digests(l).catch(() => undefined)));
  }

  // ---------------------------------------------------------------- appliance-user plumbing

  async #auSession(link: HsmLink): Promise<string> {
    const boot = link.config.boot ?? 0;
    const known = this.#auSessions.get(link);
    if (known && known.boot === boot) return known.id;
    const answer = await link.handle({ op: 'session.login', args: APPLIANCE_USER });
    const id = answer.error_code === 0 ? (answer.data as { session?: unknown }).session : undefined;
    if (typeof id !== 'string') {
      throw new Error(`The cluster's appliance user cannot log in on HSM ${link.index}: ${answer.error_code === 1 ? answer.data : 'no session id'}`);
    }
    this.#auSessions.set(link, { boot, id });
    return id;
  }

  async #asAppliance(link: HsmLink, requests: readonly { op: Op; args: unknown }[]): Promise<Envelope[]> {
    const session = await this.#auSession(link);
    return link.handleBatch(requests.map((r) => ({ op: r.op, session, args: r.args }) as AnyRequest));
  }

  /** The sync-status digests of one HSM (cached until the next write). */
  async #digests(link: HsmLink, fresh = false): Promise<Record<string, string>> {
    const boot = link.config.boot ?? 0;
    const cached = this.#digestCache.get(link);
    if (!fresh && cached && cached.generation === this.#generation && cached.boot === boot) return cached.objects;
    const [answer] = await this.#asAppliance(link, [{ op: 'hsm.sync-status', args: {} }]);
    if (!answer || answer.error_code !== 0) throw new Error(`HSM ${link.index} refused sync-status: ${answer?.data as string}`);
    const objects = (answer.data as { objects: Record<string, string> }).objects;
    this.#digestCache.set(link, { generation: this.#generation, boot, objects });
    return objects;
  }

  #extractRequest(name: string): { op: Op; args: unknown } {
    return name.startsWith('user:')
      ? { op: 'object.extract-masked', args: { username: name.slice(5) } }
      : { op: 'object.extract-masked', args: { filter: [`key-reference=${name.slice(4)}`] } };
  }

  /** Copy objects (by sync name) from `source` to each target through masked objects. */
  async #copyObjects(source: HsmLink, names: readonly string[], targets: readonly HsmLink[]): Promise<HsmLink[]> {
    if (names.length === 0 || targets.length === 0) return [];
    const extracted = await this.#asAppliance(source, names.map((n) => this.#extractRequest(n)));
    const blobs: Uint8Array[] = [];
    extracted.forEach((answer, i) => {
      if (answer.error_code !== 0) throw new Error(`HSM ${source.index} could not extract ${names[i]}: ${answer.data}`);
      blobs.push((answer.data as { 'masked-object': Uint8Array })['masked-object']);
    });
    const failed: HsmLink[] = [];
    await Promise.all(
      targets.map(async (target) => {
        try {
          const answers = await this.#asAppliance(target, blobs.map((blob) => ({ op: 'object.insert-masked', args: { blob } })));
          if (answers.some((a) => a.error_code !== 0)) failed.push(target);
        } catch {
          failed.push(target);
        }
      }),
    );
    return failed;
  }

  async replicate(source: HsmLink, objects: { keys: readonly string[]; users: readonly string[] }): Promise<Coverage> {
    this.#generation++;
    const names = [...objects.users.map((u) => `user:${u.toLowerCase()}`), ...objects.keys.map((k) => keyObjectName(k))];
    const targets = this.liveLinks().filter((l) => l !== source);
    const failed = await this.#copyObjects(source, names, targets);
    for (const target of targets) this.noteHandles(target, objects.keys); // inserting as the appliance user raises its next handle
    this.#generation++;
    for (const link of this.#links) {
      if (!link.live) this.#noteMissed(link, names);
    }
    for (const link of failed) await this.#resyncQuietly(link);
    return this.#links.every((l) => l.live) && failed.length === 0 ? 'full' : 'partial';
  }

  #noteMissed(link: HsmLink, names: readonly string[] | 'unknown'): void {
    this.#stale.add(link);
    const set = this.#missed.get(link) ?? new Set<string>();
    if (names === 'unknown') set.add('*');
    else for (const n of names) set.add(n);
    this.#missed.set(link, set);
  }

  async afterWrite(primary: HsmLink, _reached: readonly HsmLink[], failed: readonly HsmLink[]): Promise<void> {
    const down = this.#links.filter((l) => !l.live);
    let changed: string[] | 'unknown' = 'unknown';
    if (down.length > 0) {
      const before = this.#digestCache.get(primary);
      this.#generation++;
      if (before) {
        const after = await this.#digests(primary).catch(() => undefined);
        if (after) {
          changed = [...new Set([...Object.keys(before.objects), ...Object.keys(after)])].filter((n) => before.objects[n] !== after[n]);
        }
      }
      for (const link of down) this.#noteMissed(link, changed);
    } else {
      this.#generation++;
    }
    for (const link of failed) await this.#resyncQuietly(link);
  }

  async annotate(source: HsmLink, op: Op, data: unknown, session: ClusterSession): Promise<void> {
    const presencesFor = async (): Promise<{ sourceDigests: Record<string, string>; others: { link: HsmLink; digests?: Record<string, string> }[] }> => {
      const sourceDigests = await this.#digests(source);
      const others = await Promise.all(
        this.#links
          .filter((l) => l !== source)
          .map(async (link) => ({ link, digests: link.live ? await this.#digests(link).catch(() => undefined) : undefined })),
      );
      return { sourceDigests, others };
    };
    const { sourceDigests, others } = await presencesFor();
    const presence = (name: string): Presence[] =>
      others.map(({ link, digests }) =>
        link.live && digests
          ? { live: true, digest: digests[name] }
          : { live: false, missedWrite: this.#missed.get(link)?.has(name) === true || this.#missed.get(link)?.has('*') === true },
      );
    if (op === 'user.list') {
      const users = (data as { users?: { username: string; 'cluster-coverage'?: string }[] }).users ?? [];
      for (const user of users) {
        const name = `user:${user.username}`;
        const reference = sourceDigests[name];
        if (reference !== undefined) user['cluster-coverage'] = coverageOf(reference, presence(name));
      }
      return;
    }
    for (const key of findKeyObjects(data)) {
      const name = keyObjectName(key['key-reference']);
      const reference = sourceDigests[name];
      if (reference === undefined) {
        // a session key: it lives on this HSM only
        if (this.size > 1) setKeyCoverage(key, 'partial');
        continue;
      }
      const coverage = coverageOf(reference, presence(name));
      setKeyCoverage(key, coverage);
      if (coverage === 'partial') {
        const differing = others.filter(({ digests }) => digests?.[name] !== undefined && digests[name] !== reference).map(({ link }) => link);
        const copies: KeyObjectJson[] = [];
        for (const link of differing) {
          const answer = await session
            .sendTo(link, 'key.list', { filter: [`key-reference=${key['key-reference']}`], verbose: true })
            .catch(() => undefined);
          if (answer?.error_code === 0) copies.push(...findKeyObjects(answer.data));
        }
        if (copies.length > 0) markInconsistencies(key, copies);
      }
    }
  }

  // ---------------------------------------------------------------- sync status and resync

  /** Compare the sync-status digests of every live HSM. */
  async syncStatus(): Promise<SyncStatus> {
    const live = this.liveLinks();
    const digests = new Map<HsmLink, Record<string, string>>();
    await Promise.all(live.map(async (l) => digests.set(l, await this.#digests(l, true))));
    const reference = live.find((l) => !this.#stale.has(l)) ?? live[0];
    const names = new Set<string>();
    for (const d of digests.values()) for (const n of Object.keys(d)) names.add(n);
    const outOfSync: Record<string, { missingOn: number[]; differentOn: number[] }> = {};
    const refDigests = reference ? digests.get(reference)! : {};
    for (const name of [...names].sort()) {
      const missingOn: number[] = [];
      const differentOn: number[] = [];
      for (const link of live) {
        const value = digests.get(link)![name];
        if (value === undefined) missingOn.push(link.index);
        else if (refDigests[name] !== undefined && value !== refDigests[name]) differentOn.push(link.index);
      }
      if (missingOn.length > 0 || differentOn.length > 0) outOfSync[name] = { missingOn, differentOn };
    }
    return {
      inSync: Object.keys(outOfSync).length === 0,
      hsms: this.#links.map((l) => ({
        index: l.index,
        ip: l.config.ip,
        state: l.state,
        ...(digests.has(l) ? { objectCount: Object.keys(digests.get(l)!).length } : {}),
      })),
      outOfSync,
    };
  }

  #syncSource(except?: HsmLink): HsmLink {
    const live = this.liveLinks().filter((l) => l !== except);
    const source = live.find((l) => !this.#stale.has(l)) ?? live[0];
    if (!source) throw new HsmUnavailableError(-1, `Cluster ${this.name} has no live HSM`);
    return source;
  }

  async #takeBackup(source: HsmLink): Promise<Uint8Array> {
    const bytes = await source.backup();
    this.#backups.push({ fromHsm: source.index, takenAt: Date.now(), bytes });
    return bytes;
  }

  async #resyncQuietly(link: HsmLink): Promise<void> {
    try {
      await this.#resync(link);
    } catch {
      this.#stale.add(link);
    }
  }

  /** Make `target` hold exactly what a live up-to-date HSM holds. */
  async #resync(target: HsmLink): Promise<void> {
    if (!target.live) return;
    const live = this.liveLinks().filter((l) => l !== target && !this.#stale.has(l));
    const source = live[0];
    if (!source) {
      this.#stale.delete(target);
      this.#missed.delete(target);
      return;
    }
    const [s, t] = await Promise.all([source.summary(), target.summary()]);
    if (s.clusterId !== t.clusterId || s.activated !== t.activated) return this.#reclone(target, source);
    const [sd, td] = await Promise.all([this.#digests(source, true), this.#digests(target, true)]);
    if (Object.keys(td).some((n) => sd[n] === undefined)) return this.#reclone(target, source); // deletions
    const needed = Object.keys(sd)
      .filter((n) => td[n] !== sd[n])
      .sort((a, b) => (a.startsWith('user:') === b.startsWith('user:') ? 0 : a.startsWith('user:') ? -1 : 1));
    const failed = await this.#copyObjects(source, needed, [target]).catch(() => [target]);
    this.#generation++;
    const after = await this.#digests(target, true);
    const same = failed.length === 0 && Object.keys(sd).length === Object.keys(after).length && Object.keys(sd).every((n) => after[n] === sd[n]);
    if (!same) return this.#reclone(target, source);
    this.#stale.delete(target);
    this.#missed.delete(target);
  }

  /** Replace `target` with a fresh clone of `source` (restore overwrites its storage). */
  async #reclone(target: HsmLink, source: HsmLink): Promise<void> {
    const [backup, spare] = await Promise.all([this.#takeBackup(source), this.#takeSpare()]);
    target.stop();
    await target.startFromBackup(backup, spare);
    this.#generation++;
    this.#stale.delete(target);
    this.#missed.delete(target);
    this.#changed();
  }

  // ---------------------------------------------------------------- faults and growth

  /** Terminate an HSM's worker (a crash). The cluster keeps answering from the others. */
  stopHsm(index: number): void {
    const link = this.#link(index);
    link.stop();
    this.#noteMissed(link, []);
  }

  /** Restart a stopped HSM from its persisted state and resync it until it holds what the others hold. */
  async startHsm(index: number): Promise<HsmSummary> {
    const link = this.#link(index);
    return this.exclusive(async () => {
      if (this.#parts.storage.kind === 'memory') {
        // Memory storage died with the worker: the control plane restores it from a backup of a live HSM.
        await link.startFromBackup(await this.#takeBackup(this.#syncSource(link)));
      } else {
        try {
          await link.start();
        } catch (error) {
          // Its storage cannot be opened (corrupt): replace the HSM with a clone of a live one, if any.
          if (this.liveLinks().length === 0) throw error;
          await link.startFromBackup(await this.#takeBackup(this.#syncSource(link)));
        }
      }
      this.#changed();
      await this.#resync(link);
      return link.summary();
    });
  }

  /** Add an HSM: a clone restored from a fresh backup of a live HSM (or from a stored backup given). */
  async addHsm(options: { backup?: Uint8Array } = {}): Promise<HsmSummary> {
    if (this.#links.length >= MAX_HSMS) throw new RangeError(`Cluster ${this.name} already has the maximum of ${MAX_HSMS} HSMs`);
    return this.exclusive(async () => {
      const [backup, spare] = await Promise.all([options.backup ?? this.#takeBackup(this.#syncSource()), this.#takeSpare()]);
      const link = this.#newLink();
      try {
        const summary = await link.startFromBackup(backup, spare);
        if (summary.clusterId !== this.#clusterId) {
          link.stop();
          throw new Error(`The backup belongs to cluster ${summary.clusterId}, not ${this.#clusterId}`);
        }
        if (options.backup) await this.#resync(link);
        this.#changed();
        return summary;
      } catch (error) {
        link.stop();
        this.#links.splice(this.#links.indexOf(link), 1);
        throw error;
      }
    });
  }

  /** Remove an HSM from the cluster (its worker stops; its storage is left to the caller). */
  async removeHsm(index: number): Promise<void> {
    const link = this.#link(index);
    if (this.#links.length === 1) throw new Error(`Cannot remove the last HSM of cluster ${this.name}`);
    await this.exclusive(async () => {
      link.stop();
      this.#links.splice(this.#links.indexOf(link), 1);
      this.#stale.delete(link);
      this.#missed.delete(link);
      this.#digestCache.delete(link);
      this.#auSessions.delete(link);
      this.#changed();
    });
  }

  // ---------------------------------------------------------------- clones

  /**
   * `key replicate` (spec §4.5): extract the key as a masked object through `session` (its owner,
   * or an admin) on this cluster and insert it on every live HSM of `destination` as its
   * appliance user, so it keeps its key reference. An unrelated destination refuses the object.
   * Answers `{"key": <key object>, "message": "Successfully replicated key"}`: the masked object
   * carries every attribute, owner, shared user and quorum value, so the destination's copy is the
   * source's key object with the destination's coverage. A destination already holding a
   * DIFFERENT object under that key reference (a key its own HSMs made since it was cloned) is
   * refused rather than overwritten.
   */
  async replicateKeyTo(destination: Cluster, session: ClusterSession, filter: KeyFilter): Promise<Envelope> {
    const extracted = await session.request('object.extract-masked', { filter });
    if (extracted.error_code !== 0) return extracted;
    const listed = await session.request('key.list', { filter, verbose: true });
    if (listed.error_code !== 0) return listed;
    const key = findKeyObjects(listed.data)[0];
    if (!key) return fail('key-not-found', 'Key not found: the key was extracted but is no longer listed on the source cluster');
    const name = keyObjectName(key['key-reference']);
    const sourceDigest = (await this.#digests(this.#syncSource(), true))[name];
    const inserted = await destination.#insertEverywhere((extracted.data as { 'masked-object': Uint8Array })['masked-object'], async (live) => {
      for (const link of live) {
        const held = (await destination.#digests(link, true))[name];
        if (held !== undefined && held !== sourceDigest) {
          return fail('key-not-permitted', `Cluster ${destination.name} already holds a different key with key reference ${key['key-reference']}; it was not replaced`);
        }
      }
      return undefined;
    });
    if (inserted.error_code !== 0) return inserted;
    setKeyCoverage(key, destination.#coverageAfterInsert());
    return ok({ key, message: 'Successfully replicated key' });
  }

  /**
   * `user replicate` (spec §4.3): the same for a user, extracted by an admin session. When `role`
   * is given the user must have that role on the source. Answers `{"user": {username, role,
   * locked, mfa, quorum, cluster-coverage}, "message": "Successfully replicated user"}` as the
   * destination lists the user.
   */
  async replicateUserTo(destination: Cluster, session: ClusterSession, username: string, role?: CliRoleArg): Promise<Envelope> {
    if (role !== undefined) {
      const users = await session.request('user.list', {});
      if (users.error_code !== 0) return users;
      const wanted = username.toLowerCase();
      const found = (users.data as { users: { username: string; role: string }[] }).users.find((u) => u.username === wanted);
      if (!found || !cliRoleNames(role).includes(found.role)) return fail('user-not-found', `User not found: ${wanted} with role ${role}`);
    }
    const extracted = await session.request('object.extract-masked', { username });
    if (extracted.error_code !== 0) return extracted;
    const inserted = await destination.#insertEverywhere((extracted.data as { 'masked-object': Uint8Array })['masked-object']);
    if (inserted.error_code !== 0) return inserted;
    const insertedName = (inserted.data as { username: string }).username;
    const [listed] = await destination.#asAppliance(destination.#syncSource(), [{ op: 'user.list', args: {} }]);
    const user = listed?.error_code === 0 ? (listed.data as { users: Record<string, unknown>[] }).users.find((u) => u['username'] === insertedName) : undefined;
    if (!user) return fail('internal-error', `User ${insertedName} was inserted but is not listed on cluster ${destination.name}`);
    user['cluster-coverage'] = destination.#coverageAfterInsert();
    return ok({ user, message: 'Successfully replicated user' });
  }

  /** After #insertEverywhere succeeded: every HSM holds the object unless one is down. */
  #coverageAfterInsert(): Coverage {
    return this.#links.every((l) => l.live) ? 'full' : 'partial';
  }

  /**
   * Insert a masked object on every live HSM as the appliance user (under the cluster's lock).
   * `precheck` may refuse first, seeing the live HSMs; the first refusal is the answer.
   */
  async #insertEverywhere(blob: Uint8Array, precheck?: (live: readonly HsmLink[]) => Promise<Envelope | undefined>): Promise<Envelope> {
    return this.exclusive(async () => {
      const live = this.liveLinks();
      if (live.length === 0) return fail('internal-error', `Cluster ${this.name} has no live HSM`);
      const refusal = await precheck?.(live);
      if (refusal) return refusal;
      const answers = await Promise.all(live.map((l) => this.#asAppliance(l, [{ op: 'object.insert-masked', args: { blob } }]).then((a) => a[0]!)));
      this.#generation++;
      const refused = answers.find((a) => a.error_code !== 0);
      if (refused) return refused;
      for (const link of this.#links) if (!link.live) this.#noteMissed(link, 'unknown');
      return answers[0]!;
    });
  }

  /** Stop every HSM worker. The HSMs' persisted state stays where it is. */
  dispose(): void {
    this.#disposed = true;
    for (const link of this.#links) link.stop();
    void this.#spare?.then((worker) => worker?.terminate());
    this.#spare = undefined;
  }
}
