/**
 * What a request handler sees: the HSM state it may change (after validating), the caller's
 * session, the injected randomness and clock, the model's limits, and the few services handlers
 * share (user look-up, handle allocation, the session table). Also the handler types the
 * registries in `src/hsm/handlers/` are written against.
 * @module
 */
import { toHex } from '../crypto/bytes.ts';
import type { RandomSource } from '../crypto/random.ts';
import type { PasswordCost } from '../crypto/password.ts';
import type { Clock } from './clock.ts';
import type { HsmLimits } from './limits.ts';
import type { Op, Role } from './policy.ts';
import type { OpArgs } from './requests.ts';
import type { HsmModel, HsmState, UserRecord } from './state.ts';

/** The caller of one request; `role` is the user's role now (it changes on activation). */
export interface SessionView {
  readonly id: string;
  readonly username: string;
  readonly role: Role;
}

/**
 * The open login sessions of one HSM. Sessions live in memory only: they end when the HSM (its
 * worker) stops, like a real HSM's sessions end when it restarts. Session ids come from a random
 * stream of their own, so logging in (the cluster's appliance user does it whenever it first
 * reads sync status) never moves the stream that key material, salts and IVs are drawn from.
 */
export class SessionTable {
  readonly #byId = new Map<string, string>();
  readonly #ids: RandomSource;

  /** `ids`: the stream session ids are drawn from (an HSM forks it off its own random source). */
  constructor(ids: RandomSource) {
    this.#ids = ids;
  }

  /** A fresh, unused session id (32 hex digits). */
  newId(): string {
    for (;;) {
      const id = toHex(this.#ids.bytes(16));
      if (!this.#byId.has(id)) return id;
    }
  }

  /** Open a session for `username` under the id `id` (from {@link newId}). */
  open(id: string, username: string): void {
    if (this.#byId.has(id)) throw new Error(`session id ${id} is already in use`);
    this.#byId.set(id, username);
  }

  /** The username of an open session, or undefined. */
  usernameOf(id: string): string | undefined {
    return this.#byId.get(id);
  }

  close(id: string): boolean {
    return this.#byId.delete(id);
  }

  /** True when `username` has at least one open session, optionally ignoring session `exceptId`. */
  isLoggedIn(username: string, exceptId?: string): boolean {
    for (const [id, name] of this.#byId) if (name === username && id !== exceptId) return true;
    return false;
  }

  get size(): number {
    return this.#byId.size;
  }

  /** Session ids, oldest first. */
  ids(): string[] {
    return [...this.#byId.keys()];
  }
}

export interface RequestContext {
  /** Mutate only after validation (validate-then-commit), then call {@link markChanged}. */
  readonly state: HsmState;
  readonly session: SessionView | undefined;
  readonly random: RandomSource;
  readonly clock: Clock;
  readonly model: HsmModel;
  readonly limits: HsmLimits;
  /** Cost of new password hashes (tests use the cheap TEST_PASSWORD_COST). */
  readonly passwordCost: PasswordCost;
  /** Open sessions of this HSM (login, logout, "is this user logged in"). */
  readonly sessions: SessionTable;
  /** Case-insensitive look-up (usernames are stored in lower case). */
  findUser(username: string): UserRecord | undefined;
  /** The next key handle; never reuses one, even after deletion. */
  allocateHandle(): number;
  /** Tell the dispatcher the state changed and must be persisted. */
  markChanged(): void;
}

/** Answers one operation: returns the success `data`, throws `HsmError` to refuse. */
export type Handler<O extends Op> = (ctx: RequestContext, args: OpArgs[O]) => unknown | Promise<unknown>;

/** One handler per operation. */
export type Handlers = { readonly [O in Op]: Handler<O> };
