/**
 * One simulated HSM: opens (or initialises) its state from the Storage it is handed, answers
 * requests one at a time through the dispatcher, persists after every state-changing request (a
 * batch: once, at its end), and makes / restores encrypted backups. Pure TypeScript: the worker
 * and Node wrap this class.
 * @module
 */
import { DEFAULT_PASSWORD_COST, hashPassword, type PasswordCost } from '../crypto/password.ts';
import { forkRandom, type RandomSource } from '../crypto/random.ts';
import type { Storage } from '../store/storage.ts';
import { openBackup, sealBackup } from './backup.ts';
import type { Clock } from './clock.ts';
import { SessionTable } from './context.ts';
import { stateDigest } from './digest.ts';
import { dispatch, dispatchBatch, trimAudit, type DispatchTarget } from './dispatch.ts';
import type { Envelope } from './envelope.ts';
import { MODEL_HARDWARE, MODEL_LIMITS, isHsmModel, type HsmLimits } from './limits.ts';
import type { AnyRequest } from './requests.ts';
import { decodeState, encodeState } from './serialize.ts';
import { DEFAULT_SETTINGS, type HsmIdentity, type HsmModel, type HsmSettings, type HsmState } from './state.ts';
import { ADMIN_USERNAME, APPLIANCE_USERNAME, DEFAULT_PASSWORD } from './users-rules.ts';

export interface HsmOptions {
  /** ALL randomness (salts, keys, IVs, cluster key, serials; session ids from a stream forked off it once, at open). */
  random: RandomSource;
  /** ALL time; `clock.advance()` is called after every state-changing request. */
  clock: Clock;
  /** Whole-state snapshot, saved after every state-changing request (a batch: once at its end). */
  storage: Storage;
  /** 'hsm2m.medium' (default) | 'hsm1.medium': limits (spec §2.4) and hsm-info. */
  model?: HsmModel;
  /** Server id in the cluster (0-based). */
  index?: number;
  /** Defaults to `10.0.0.<index + 1>`. */
  ip?: string;
  /** Applied when a new HSM is initialised (stored settings win afterwards). */
  settings?: Partial<HsmSettings>;
  /** Cost of password hashes; tests pass TEST_PASSWORD_COST. */
  passwordCost?: PasswordCost;
}

/** Non-secret facts for the page. */
export interface HsmSummary {
  readonly index: number;
  readonly ip: string;
  readonly model: HsmModel;
  readonly serialNumber: string;
  readonly firmwareId: string;
  readonly clusterId: string;
  readonly activated: boolean;
  readonly userCount: number;
  readonly keyCount: number;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** `length` characters of lower-case base32 from `random` (AWS-style ids: `cluster-…`, `hsm-…`). */
function randomId(random: RandomSource, length: number): string {
  return [...random.bytes(length)].map((b) => BASE32[b & 31]).join('');
}

function randomDigits(random: RandomSource, length: number): string {
  return [...random.bytes(length)].map((b) => String(b % 10)).join('');
}

function checkOptions(opts: HsmOptions): { model: HsmModel | undefined; index: number | undefined } {
  if (!opts || typeof opts !== 'object') throw new TypeError('HsmOptions must be an object');
  if (!opts.random || typeof opts.random.bytes !== 'function') throw new TypeError('HsmOptions.random must be a RandomSource');
  if (typeof opts.clock !== 'function') throw new TypeError('HsmOptions.clock must be a function returning milliseconds');
  if (!opts.storage || typeof opts.storage.load !== 'function') throw new TypeError('HsmOptions.storage must be a Storage');
  if (opts.model !== undefined && !isHsmModel(opts.model)) {
    throw new RangeError(`HsmOptions.model must be hsm2m.medium or hsm1.medium, got ${JSON.stringify(opts.model)}`);
  }
  if (opts.index !== undefined && (!Number.isInteger(opts.index) || opts.index < 0)) {
    throw new RangeError(`HsmOptions.index must be a non-negative integer, got ${JSON.stringify(opts.index)}`);
  }
  return { model: opts.model, index: opts.index };
}

/** A fresh identity: serial number and device id from `random`. */
function newIdentity(opts: HsmOptions, model: HsmModel): HsmIdentity {
  const index = opts.index ?? 0;
  return {
    index,
    ip: opts.ip ?? `10.0.0.${index + 1}`,
    serialNumber: `5.3G${randomDigits(opts.random, 4)}-ICM${randomDigits(opts.random, 6)}`,
    deviceId: `hsm-${randomId(opts.random, 11)}`,
    model,
  };
}

async function newState(opts: HsmOptions, model: HsmModel, cost: PasswordCost): Promise<HsmState> {
  const identity = newIdentity(opts, model);
  const clusterId = `cluster-${randomId(opts.random, 11)}`;
  const clusterKey = opts.random.bytes(32);
  const settings: HsmSettings = { ...DEFAULT_SETTINGS, ...opts.settings };
  const adminHash = await hashPassword(DEFAULT_PASSWORD, opts.random, cost);
  const appHash = await hashPassword(DEFAULT_PASSWORD, opts.random, cost);
  // Handles start at a random point like the real service's (0x00000000002e06bf …), then count up.
  const r = opts.random.bytes(2);
  const start = 0x100000 + ((r[0]! << 8) | r[1]!) * 16;
  return {
    formatVersion: 1,
    identity,
    clusterId,
    clusterKey,
    activated: false,
    settings,
    users: [
      { id: 1, username: ADMIN_USERNAME, role: 'unactivated-admin', password: adminHash, failedLogins: 0 },
      { id: 2, username: APPLIANCE_USERNAME, role: 'appliance-user', password: appHash, failedLogins: 0 },
    ],
    nextUserId: 3,
    keys: [],
    nextHandle: start,
    audit: [],
  };
}

export class Hsm {
  #state: HsmState;
  #snapshot: Uint8Array;
  readonly #sessions: SessionTable;
  readonly #opts: HsmOptions;
  readonly #cost: PasswordCost;
  /** Requests run one after another: handlers await (password hashing) and must not interleave. */
  #queue: Promise<unknown> = Promise.resolve();
  readonly #target: DispatchTarget;

  private constructor(state: HsmState, snapshot: Uint8Array, opts: HsmOptions) {
    this.#state = state;
    this.#snapshot = snapshot;
    this.#opts = opts;
    this.#sessions = new SessionTable(forkRandom(opts.random, 'session-ids'));
    this.#cost = opts.passwordCost ?? DEFAULT_PASSWORD_COST;
    const self = this;
    this.#target = {
      get state() {
        return self.#state;
      },
      sessions: this.#sessions,
      random: opts.random,
      clock: opts.clock,
      get model() {
        return self.#state.identity.model;
      },
      get limits() {
        return self.limits;
      },
      passwordCost: this.#cost,
      persist: () => this.#persist(),
      rollback: () => {
        // Audit entries are written only by the dispatcher, never by handlers: keep the unsaved ones.
        const audit = this.#state.audit;
        this.#state = decodeState(this.#snapshot);
        this.#state.audit = audit;
      },
    };
  }

  /** Open the HSM persisted in `storage`, or initialise a new unactivated one (fresh cluster id and cluster key) if it is empty. */
  static async open(opts: HsmOptions): Promise<Hsm> {
    const { model, index } = checkOptions(opts);
    const stored = await opts.storage.load();
    if (stored === undefined) {
      const state = await newState(opts, model ?? 'hsm2m.medium', opts.passwordCost ?? DEFAULT_PASSWORD_COST);
      const hsm = new Hsm(state, encodeState(state), opts);
      await hsm.#persist();
      return hsm;
    }
    const state = decodeState(stored);
    if (model !== undefined && model !== state.identity.model) {
      throw new Error(`storage holds an ${state.identity.model} HSM, but model ${model} was requested`);
    }
    let dirty = false;
    if (index !== undefined || opts.ip !== undefined) {
      const i = index ?? state.identity.index;
      const ip = opts.ip ?? (index !== undefined ? `10.0.0.${i + 1}` : state.identity.ip);
      if (i !== state.identity.index || ip !== state.identity.ip) {
        state.identity = { ...state.identity, index: i, ip };
        dirty = true;
      }
    }
    // Sessions end when an HSM restarts, and their session keys with them.
    const tokenKeys = state.keys.filter((k) => k.sessionId === undefined);
    if (tokenKeys.length !== state.keys.length) {
      state.keys = tokenKeys;
      dirty = true;
    }
    const hsm = new Hsm(state, stored, opts);
    if (dirty) await hsm.#persist();
    return hsm;
  }

  /**
   * A clone from an encrypted backup (same cluster id/key, users, keys, settings); identity (index,
   * ip, serial) comes from opts. Rejects a tampered backup: throws HsmError('bad-backup', …).
   */
  static async restore(backup: Uint8Array, opts: HsmOptions): Promise<Hsm> {
    const { model } = checkOptions(opts);
    const restored = openBackup(backup);
    const state: HsmState = { ...restored, identity: newIdentity(opts, model ?? restored.identity.model), audit: [] };
    // Encoded once: the saved snapshot is also the one rollbacks return to (a large state costs ~0.1 s per encoding).
    const snapshot = encodeState(state);
    await opts.storage.save(snapshot);
    return new Hsm(state, snapshot, opts);
  }

  get limits(): HsmLimits {
    return MODEL_LIMITS[this.#state.identity.model];
  }

  /** Answer one request; never throws; a refused request changes nothing (state digest unchanged). */
  handle(req: AnyRequest): Promise<Envelope> {
    return this.#serialise(() => dispatch(this.#target, req));
  }

  /**
   * Answer requests in order, as if sent one by one, but save the snapshot once at the end (see
   * dispatchBatch: if that save fails, the batch's state-changing answers become failures).
   */
  handleBatch(reqs: readonly AnyRequest[]): Promise<Envelope[]> {
    return this.#serialise(async () => {
      return dispatchBatch(this.#target, reqs);
    });
  }

  /** The whole state encrypted so only a simulated HSM can read it (see backup.ts). */
  backup(): Promise<Uint8Array> {
    return this.#serialise(async () => {
      trimAudit(this.#state, this.limits.maxAuditEntries);
      return sealBackup(this.#state, this.#opts.random);
    });
  }

  summary(): HsmSummary {
    const s = this.#state;
    return {
      index: s.identity.index,
      ip: s.identity.ip,
      model: s.identity.model,
      serialNumber: s.identity.serialNumber,
      firmwareId: MODEL_HARDWARE[s.identity.model]['firmware-id'],
      clusterId: s.clusterId,
      activated: s.activated,
      userCount: s.users.length,
      keyCount: s.keys.length,
    };
  }

  /** Digest of users, keys, attributes and settings (not audit log, not failed-login counters). */
  stateDigest(): string {
    return stateDigest(this.#state);
  }

  async #persist(): Promise<void> {
    trimAudit(this.#state, this.limits.maxAuditEntries);
    const snapshot = encodeState(this.#state);
    await this.#opts.storage.save(snapshot);
    this.#snapshot = snapshot;
  }

  #serialise<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
