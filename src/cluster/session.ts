/**
 * One client session on a cluster, behaving like the CloudHSM client SDK: `session.login` logs in
 * on every live HSM (one HSM session id per HSM, never shown to the caller); user writes fan out
 * to every live HSM; a token key created on one HSM is copied to the others as a masked object by
 * the cluster's appliance-user sync sessions (keeping the same key reference); session keys stay
 * on the session's home HSM; key writes go to every live HSM holding the key; reads go to any live
 * HSM, with failover when an HSM dies mid-request; answers carrying key objects or users get
 * cluster-wide coverage. {@link ClusterSession.request} never throws.
 *
 * Quorum tokens are single-use across the cluster: after a request that carried approvals
 * (`approval`, `payloadApproval`, `wrappingApproval`) succeeds, the session discards those tokens
 * on every live HSM it is logged in on — the HSM that judged a read (a quorum-approved sign) or a
 * user write (copied to the others as a masked object) consumed its copy, the others must not keep
 * theirs. An HSM that was down needs nothing on its return: tokens are bound to login sessions,
 * and sessions do not survive an HSM restart (nor travel in backups), so its copies are dead.
 *
 * MFA and restarts [SIM, following the client SDK]: a password login is replayed on an HSM that
 * restarted or was added, as the SDK does with its cached credentials. An MFA (token-sign) login
 * cannot be replayed — every HSM's challenge must be signed with the user's key, which stays with
 * the user — so the session carries on with the HSMs it is logged in on, routes nothing to the
 * others, lets the cluster resync them after writes, and reports them in
 * {@link ClusterSession.hsmsWithoutLogin}; logging in again (`login … mfa-token-sign`) covers them.
 * @module
 */
import { fail, type Envelope, type Failure } from '../hsm/envelope.ts';
import { CLI_ROLE_NAME, ROLES, type Op, type Role } from '../hsm/policy.ts';
import type { AnyRequest, OpArgs } from '../hsm/requests.ts';
import { findKeyObjects, findKeyReferences, parseKeyReference, setKeyCoverage } from './coverage.ts';
import { HsmUnavailableError, type HsmLink } from './hsm-link.ts';
import { OP_KINDS, routingLane, type RoutingLane } from './op-kinds.ts';
import type { ApprovalArg } from '../hsm/requests.ts';

/** What a session needs from its cluster (implemented by Cluster). */
export interface SessionHost {
  /** The cluster's unique name (clones share the HSM-level cluster id, so the name identifies it). */
  readonly name: string;
  /** How many HSMs the cluster has, live or not. */
  readonly size: number;
  /** Live HSMs in server order. */
  liveLinks(): HsmLink[];
  /**
   * The HSM that should serve the next request among `candidates` (round robin when seeded, one
   * counter per lane, so pure reads never change where writes go).
   */
  pick(candidates: readonly HsmLink[], lane: RoutingLane): HsmLink;
  /**
   * The HSM to create a token key on: one whose next handle is at least every other's, so the
   * replicated key's reference cannot land on another HSM's session key.
   */
  pickCreator(candidates: readonly HsmLink[]): HsmLink;
  /** Key references an HSM has just allocated (session keys included). */
  noteHandles(link: HsmLink, references: readonly string[]): void;
  /** Run `fn` with no other cluster write in progress. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /** Copy freshly created token objects (key references or usernames) from `source` to every other live HSM; the coverage reached. */
  replicate(source: HsmLink, objects: { keys: readonly string[]; users: readonly string[] }): Promise<'full' | 'partial'>;
  /** A state-changing request was answered by `primary` and fanned out to `reached`; the cluster notes who missed it. */
  afterWrite(primary: HsmLink, reached: readonly HsmLink[], failed: readonly HsmLink[]): Promise<void>;
  /** Rewrite coverage fields of a read answer from `source` (and mark inconsistent attributes). */
  annotate(source: HsmLink, op: Op, data: unknown, session: ClusterSession): Promise<void>;
}

interface HsmSessionId {
  readonly boot: number;
  readonly id: string;
}

interface Credentials {
  readonly username: string;
  readonly role: OpArgs['session.login']['role'];
  readonly password: string;
  /** Logged in with token-sign MFA: the login cannot be replayed on a restarted HSM. */
  readonly mfa: boolean;
}

const ROLE_BY_CLI_NAME = new Map<string, Role>(ROLES.map((role) => [CLI_ROLE_NAME[role], role]));

/** User writes that store a salted password hash: which user record to copy afterwards. */
const PASSWORD_SETTING_OPS = new Map<Op, 'admin' | 'target'>([
  ['cluster.activate', 'admin'],
  ['user.create', 'target'],
  ['user.change-password', 'target'],
  ['user.change-own-password', 'target'],
  ['user.change-mfa', 'target'],
]);

function unavailable(what: string): Failure {
  return fail('internal-error', `No HSM of the cluster is available to ${what}`);
}

/** Every quorum token a request carried: `approval`, `payloadApproval`, `wrappingApproval`. */
export function approvalTokens(args: unknown): Uint8Array[] {
  if (args === null || typeof args !== 'object') return [];
  const a = args as Record<string, ApprovalArg | undefined>;
  return [a['approval'], a['payloadApproval'], a['wrappingApproval']].flatMap((x) => (x && x.token instanceof Uint8Array ? [x.token] : []));
}

/**
 * Whether a key-creation request may make a session key, so it must run on the session's home HSM:
 * `--session`, or `token=false` in `--attributes` / `--public-attributes` / `--private-attributes`.
 * The HSM has the last word (its answer's `token` attribute decides what is synchronised).
 */
function asksForSessionKey(args: unknown): boolean {
  const a = (args ?? {}) as Record<string, unknown>;
  if (a['session'] === true) return true;
  return [a['attributes'], a['publicAttributes'], a['privateAttributes']].some(
    (set) => typeof set === 'object' && set !== null && String((set as Record<string, unknown>)['token']).toLowerCase() === 'false',
  );
}

/**
 * What one HSM did with a request run through {@link ClusterSession.requestOnEach}:
 * - `answered`: the HSM ran the op itself and gave this answer (success or refusal);
 * - `copied`: a password-setting write ran on another HSM and this HSM received the resulting
 *   user record from it (a salted hash must be the same everywhere, so it is not re-run);
 * - `unreachable`: the HSM is live but this session cannot use it (an MFA login not replayed
 *   there), or it died while being asked; the cluster resyncs it later.
 * HSMs that are not live are not listed: the caller knows the cluster's servers and their states.
 */
export type ServerOutcome =
  | { readonly server: number; readonly outcome: 'answered'; readonly answer: Envelope }
  | { readonly server: number; readonly outcome: 'copied' }
  | { readonly server: number; readonly outcome: 'unreachable' };

/** Collects what each HSM did while a write fans out (see {@link ServerOutcome}). */
type OutcomeLog = Map<HsmLink, ServerOutcome>;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class ClusterSession {
  readonly #host: SessionHost;
  readonly #ids = new Map<HsmLink, HsmSessionId>();
  #credentials: Credentials | undefined;
  #identity: { username: string; role: Role } | undefined;
  /** Session keys live on one HSM: the session's home, chosen at the first session key. */
  #home: HsmLink | undefined;
  readonly #sessionKeys = new Set<number>();

  constructor(host: SessionHost) {
    this.#host = host;
  }

  /** The cluster this session belongs to: its unique name (`cluster-1`, …), as `--cluster-id` takes it. */
  get clusterId(): string {
    return this.#host.name;
  }

  /** Who is logged in, or undefined. */
  get identity(): { username: string; role: Role } | undefined {
    return this.#identity;
  }

  /**
   * Server ids of live HSMs this logged-in session cannot use: an MFA login is not replayed on an
   * HSM that restarted or was added since (see the module comment). Empty when not logged in.
   */
  get hsmsWithoutLogin(): number[] {
    return this.#withoutLogin().map((l) => l.index);
  }

  #loggedInOn(link: HsmLink): boolean {
    return this.#ids.get(link)?.boot === (link.config.boot ?? 0);
  }

  /** Live HSMs an MFA session is not logged in on (password sessions log in again on demand). */
  #withoutLogin(): HsmLink[] {
    if (!this.#credentials?.mfa) return [];
    return this.#host.liveLinks().filter((l) => !this.#loggedInOn(l));
  }

  /** The HSM session id on `link` (logging in there first if the HSM restarted or was added). */
  async sessionOn(link: HsmLink): Promise<string | undefined> {
    const boot = link.config.boot ?? 0;
    const known = this.#ids.get(link);
    if (known && known.boot === boot) return known.id;
    if (!this.#credentials || this.#credentials.mfa) return undefined;
    const answer = await link.handle({ op: 'session.login', args: this.#credentials });
    if (answer.error_code !== 0) return undefined;
    const id = (answer.data as { session?: unknown }).session;
    if (typeof id !== 'string') return undefined;
    this.#ids.set(link, { boot, id });
    return id;
  }

  async #build(link: HsmLink, op: Op, args: unknown): Promise<AnyRequest> {
    const session = await this.sessionOn(link);
    return (session === undefined ? { op, args } : { op, session, args }) as AnyRequest;
  }

  /** Send one request to one HSM (HsmUnavailableError if it is down). */
  async sendTo(link: HsmLink, op: Op, args: unknown): Promise<Envelope> {
    return link.handle(await this.#build(link, op, args));
  }

  /** Live HSMs this session can use (an MFA session: those it is logged in on). */
  #candidates(): HsmLink[] {
    const live = this.#host.liveLinks();
    return this.#credentials?.mfa ? live.filter((l) => this.#loggedInOn(l)) : live;
  }

  /** Answer one request as the CloudHSM client would. Never throws. */
  async request<O extends Op>(op: O, args: OpArgs[O]): Promise<Envelope> {
    const answer = await this.#answer(op, args);
    if (answer.error_code === 0) await this.#discardTokens(approvalTokens(args));
    return answer;
  }

  /**
   * Run one op and say what each live HSM did (for tools that print one line per server, like CMU).
   * Reads and info ops run separately on every live HSM this session can use, each answering for
   * itself; `answer` is the first success (else the first refusal). User and key writes follow the
   * cluster's usual rules (one primary, then the others; password-setting writes are copied as a
   * user record) and report each HSM's part; `answer` is what {@link request} would answer. A write
   * the primary refused reaches no other HSM, so only the primary is listed. Other ops (login,
   * logout, key creation) run as {@link request} does and list every live HSM with its answer.
   * Never throws.
   */
  async requestOnEach<O extends Op>(op: O, args: OpArgs[O]): Promise<{ answer: Envelope; servers: ServerOutcome[] }> {
    const kind = OP_KINDS[op];
    if (kind === 'read' || kind === 'info') return this.#readOnEach(op, args);
    const log: OutcomeLog = new Map();
    const answer = await this.#answer(op, args, log);
    if (answer.error_code === 0) await this.#discardTokens(approvalTokens(args));
    const servers = log.size > 0 ? [...log.values()] : this.#candidates().map((l) => ({ server: l.index, outcome: 'answered' as const, answer }));
    const missing = this.#withoutLogin().filter((l) => !log.has(l)).map((l) => ({ server: l.index, outcome: 'unreachable' as const }));
    return { answer, servers: [...servers, ...missing].sort((a, b) => a.server - b.server) };
  }

  /**
   * Run one op on exactly one HSM (server id `server`), bypassing the cluster's routing and
   * replication (CMU server mode): `unreachable` when that HSM is not live or this session cannot
   * use it. Never throws.
   */
  async requestOn<O extends Op>(server: number, op: O, args: OpArgs[O]): Promise<ServerOutcome> {
    const link = this.#candidates().find((l) => l.index === server);
    if (!link) return { server, outcome: 'unreachable' };
    try {
      const answer = await this.sendTo(link, op, args);
      if (answer.error_code === 0) await this.#discardTokens(approvalTokens(args));
      return { server, outcome: 'answered', answer };
    } catch (error) {
      if (error instanceof HsmUnavailableError) return { server, outcome: 'unreachable' };
      return { server, outcome: 'answered', answer: fail('internal-error', `Request ${op} on HSM ${server} failed: ${messageOf(error)}`) };
    }
  }

  async #readOnEach(op: Op, args: unknown): Promise<{ answer: Envelope; servers: ServerOutcome[] }> {
    const links = this.#candidates();
    const servers: ServerOutcome[] = await Promise.all(
      links.map(async (link): Promise<ServerOutcome> => {
        try {
          const answer = await this.sendTo(link, op, args);
          if (this.#needsAnnotation(op, answer)) await this.#host.annotate(link, op, answer.data, this);
          return { server: link.index, outcome: 'answered', answer };
        } catch (error) {
          if (error instanceof HsmUnavailableError) return { server: link.index, outcome: 'unreachable' };
          return { server: link.index, outcome: 'answered', answer: fail('internal-error', `Request ${op} on HSM ${link.index} failed: ${messageOf(error)}`) };
        }
      }),
    );
    servers.push(...this.#withoutLogin().map((l) => ({ server: l.index, outcome: 'unreachable' as const })));
    const answers = servers.flatMap((s) => (s.outcome === 'answered' ? [s.answer] : []));
    const answer = answers.find((a) => a.error_code === 0) ?? answers[0] ?? unavailable('answer');
    if (answer.error_code === 0) await this.#discardTokens(approvalTokens(args));
    return { answer, servers: servers.sort((a, b) => a.server - b.server) };
  }

  /**
   * After a quorum-approved request succeeded: discard its tokens on every live HSM this session
   * is logged in on (one message per HSM). Best effort: an HSM that is down or has no copy left
   * holds no usable token (see the module comment).
   */
  async #discardTokens(tokens: readonly Uint8Array[]): Promise<void> {
    if (tokens.length === 0) return;
    await Promise.all(
      this.#host.liveLinks().map(async (link) => {
        try {
          const session = await this.sessionOn(link);
          if (session === undefined) return;
          await link.handleBatch(tokens.map((token) => ({ op: 'quorum.token-discard', session, args: { token } }) as AnyRequest));
        } catch {
          // down or dying: its sessions, and the tokens bound to them, are gone with it
        }
      }),
    );
  }

  async #answer<O extends Op>(op: O, args: OpArgs[O], log?: OutcomeLog): Promise<Envelope> {
    try {
      switch (OP_KINDS[op]) {
        case 'login':
          return await this.#login(args as OpArgs['session.login']);
        case 'logout':
          return await this.#logout();
        case 'user-write':
          return await this.#host.exclusive(() => this.#fanOutWrite(op, args, undefined, log));
        case 'key-write':
          return await this.#host.exclusive(() => this.#keyWrite(op, args, log));
        case 'key-creation':
          return await this.#host.exclusive(() => this.#create(op, args));
        case 'info':
          return await this.#info(op, args);
        case 'read':
          return await this.#read(op, args);
      }
    } catch (error) {
      return fail('internal-error', `Cluster request ${op} failed: ${messageOf(error)}`);
    }
  }

  /**
   * Answer many requests. Runs of reads are split into batches over the live HSMs (one message per
   * HSM carrying many operations); anything else is answered one by one, in order.
   */
  async requestBatch(requests: readonly { op: Op; args: unknown }[]): Promise<Envelope[]> {
    const answers: Envelope[] = new Array<Envelope>(requests.length);
    let i = 0;
    while (i < requests.length) {
      const first = requests[i]!;
      if (this.#batchableCreation(first)) {
        let end = i;
        while (end < requests.length && this.#batchableCreation(requests[end]!)) end++;
        const results = await this.#host.exclusive(() => this.#createBatch(requests.slice(i, end)));
        results.forEach((answer, k) => (answers[i + k] = answer));
        i = end;
        continue;
      }
      if (OP_KINDS[first.op] !== 'read') {
        answers[i] = await this.#answer(first.op, first.args as never);
        i++;
        continue;
      }
      let end = i;
      while (end < requests.length && OP_KINDS[requests[end]!.op] === 'read') end++;
      const run = requests.slice(i, end);
      const results = await this.#readBatch(run);
      results.forEach((answer, k) => (answers[i + k] = answer));
      i = end;
    }
    await this.#discardTokens(requests.flatMap((r, k) => (answers[k]!.error_code === 0 ? approvalTokens(r.args) : [])));
    return answers;
  }

  /** Token-key generation: many can run in one message and replicate together. */
  #batchableCreation(request: { op: Op; args: unknown }): boolean {
    return (
      (request.op === 'key.generate-symmetric' || request.op === 'key.generate-asymmetric-pair') &&
      (request.args as { session?: boolean }).session !== true
    );
  }

  /** Run many token-key creations on one HSM in one message, then replicate them all together. */
  async #createBatch(run: readonly { op: Op; args: unknown }[]): Promise<Envelope[]> {
    let links = this.#candidates();
    while (links.length > 0) {
      const source = this.#host.pickCreator(links);
      let answers: Envelope[];
      try {
        const requests = await Promise.all(run.map((r) => this.#build(source, r.op, r.args)));
        answers = await source.handleBatch(requests);
      } catch (error) {
        if (!(error instanceof HsmUnavailableError)) throw error;
        links = links.filter((l) => l !== source);
        continue;
      }
      const keys = answers.flatMap((a) => (a.error_code === 0 ? findKeyReferences(a.data) : []));
      if (keys.length === 0) return answers;
      this.#host.noteHandles(source, keys);
      const coverage = await this.#host.replicate(source, { keys, users: [] });
      for (const answer of answers) if (answer.error_code === 0) for (const key of findKeyObjects(answer.data)) setKeyCoverage(key, coverage);
      return answers;
    }
    return run.map(() => unavailable('create keys'));
  }

  async #readBatch(run: readonly { op: Op; args: unknown }[]): Promise<Envelope[]> {
    const links = this.#candidates();
    if (links.length === 0) return run.map(() => unavailable('answer'));
    const chunks = Math.min(links.length, Math.max(1, Math.floor(run.length / 16)));
    const size = Math.ceil(run.length / chunks);
    const parts = await Promise.all(
      Array.from({ length: chunks }, async (_, c) => {
        const slice = run.slice(c * size, (c + 1) * size);
        const preferred = links[c]!;
        for (const link of [preferred, ...links.filter((l) => l !== preferred)]) {
          if (!link.live) continue;
          try {
            const requests = await Promise.all(slice.map((r) => this.#build(link, r.op, r.args)));
            const answers = await link.handleBatch(requests);
            if (answers.some((a, k) => a.error_code === 0 && this.#needsAnnotation(slice[k]!.op, a))) {
              await Promise.all(answers.map((a, k) => (a.error_code === 0 ? this.#host.annotate(link, slice[k]!.op, a.data, this) : undefined)));
            }
            return answers;
          } catch (error) {
            if (!(error instanceof HsmUnavailableError)) throw error;
          }
        }
        return slice.map(() => unavailable('answer'));
      }),
    );
    return parts.flat();
  }

  #needsAnnotation(op: Op, answer: Envelope): boolean {
    return answer.error_code === 0 && (op === 'user.list' || findKeyObjects(answer.data).length > 0);
  }

  async #login(args: OpArgs['session.login']): Promise<Envelope> {
    const missing = this.#withoutLogin();
    if (missing.length > 0 && this.#identity && args.username?.toLowerCase?.() === this.#identity.username) return this.#rejoin(args, missing);
    const links = this.#host.liveLinks();
    if (links.length === 0) return unavailable('log in');
    const answers = await Promise.all(
      links.map(async (link) => {
        try {
          return { link, answer: await this.sendTo(link, 'session.login', args) };
        } catch (error) {
          if (error instanceof HsmUnavailableError) return { link, answer: undefined };
          throw error;
        }
      }),
    );
    const reached = answers.filter((a) => a.answer !== undefined);
    const refused = reached.find((a) => a.answer!.error_code !== 0);
    if (refused) {
      // All or nothing: undo the logins that succeeded elsewhere.
      await Promise.all(
        reached
          .filter((a) => a.answer!.error_code === 0)
          .map((a) => {
            const id = (a.answer!.data as { session?: string }).session;
            return a.link.handle({ op: 'session.logout', session: id, args: {} }).catch(() => undefined);
          }),
      );
      return refused.answer!;
    }
    if (reached.length === 0) return unavailable('log in');
    for (const { link, answer } of reached) {
      const data = answer!.data as { session?: unknown };
      if (typeof data.session === 'string') this.#ids.set(link, { boot: link.config.boot ?? 0, id: data.session });
    }
    this.#credentials = { username: args.username, role: args.role, password: args.password, mfa: args.mfaTokens !== undefined };
    const { session: _hidden, ...shown } = reached[0]!.answer!.data as Record<string, unknown>;
    const role = ROLE_BY_CLI_NAME.get(String(shown['role'])) ?? (shown['role'] as Role);
    this.#identity = { username: String(shown['username'] ?? args.username), role };
    return { error_code: 0, data: shown };
  }

  /**
   * The same MFA user logging in again while logged in on part of the cluster: log in on the HSMs
   * it lost only (keeping its sessions, and session keys, elsewhere). Each HSM picks its own
   * challenge out of the signed tokens; a refusal anywhere leaves the session as it was.
   */
  async #rejoin(args: OpArgs['session.login'], missing: readonly HsmLink[]): Promise<Envelope> {
    const answers = await Promise.all(missing.map(async (link) => ({ link, answer: await link.handle({ op: 'session.login', args }).catch(() => undefined) })));
    const refused = answers.find((a) => a.answer !== undefined && a.answer.error_code !== 0);
    const joined = answers.filter((a) => a.answer?.error_code === 0);
    if (refused) {
      await Promise.all(
        joined.map((a) => a.link.handle({ op: 'session.logout', session: (a.answer!.data as { session?: string }).session, args: {} }).catch(() => undefined)),
      );
      return refused.answer!;
    }
    for (const { link, answer } of joined) {
      const id = (answer!.data as { session?: unknown }).session;
      if (typeof id === 'string') this.#ids.set(link, { boot: link.config.boot ?? 0, id });
    }
    const { session: _hidden, ...shown } = (joined[0]?.answer?.data ?? { username: this.#identity!.username, role: CLI_ROLE_NAME[this.#identity!.role] }) as Record<string, unknown>;
    return { error_code: 0, data: shown };
  }

  async #logout(): Promise<Envelope> {
    const entries = [...this.#ids.entries()].filter(([link]) => link.live && (link.config.boot ?? 0) === this.#ids.get(link)!.boot);
    let first: Envelope | undefined;
    await Promise.all(
      entries.map(async ([link, { id }]) => {
        try {
          const answer = await link.handle({ op: 'session.logout', session: id, args: {} });
          first ??= answer;
        } catch {
          // a stopped HSM has forgotten the session anyway
        }
      }),
    );
    if (!first) first = await this.#read('session.logout', {});
    if (first.error_code === 0) {
      this.#ids.clear();
      this.#credentials = undefined;
      this.#identity = undefined;
      this.#home = undefined;
      this.#sessionKeys.clear();
    }
    return first;
  }

  /** Run on one HSM (failing over), then on every other live HSM; note who missed it. */
  async #fanOutWrite(op: Op, args: unknown, targets?: readonly HsmLink[], log?: OutcomeLog): Promise<Envelope> {
    const links = [...(targets ?? this.#candidates())];
    while (links.length > 0) {
      const primary = this.#host.pick(links, 'writes');
      let answer: Envelope;
      try {
        answer = await this.sendTo(primary, op, args);
      } catch (error) {
        if (!(error instanceof HsmUnavailableError)) throw error;
        links.splice(links.indexOf(primary), 1);
        log?.set(primary, { server: primary.index, outcome: 'unreachable' });
        continue;
      }
      log?.set(primary, { server: primary.index, outcome: 'answered', answer });
      if (answer.error_code !== 0) return answer;
      const others = links.filter((l) => l !== primary);
      const hashed = PASSWORD_SETTING_OPS.get(op);
      if (hashed) {
        // A password hash is salted per HSM: copy the user record itself so every HSM holds the same one.
        if (op === 'cluster.activate') await this.#fanOutRest(op, args, others);
        const username = hashed === 'admin' ? 'admin' : (args as { username: string }).username;
        // The copy reaches every other live HSM (one that fails to take it is resynced from the primary).
        const copiedTo = this.#host.liveLinks().filter((l) => l !== primary);
        await this.#host.replicate(primary, { keys: [], users: [username] });
        for (const link of copiedTo) log?.set(link, link.live ? { server: link.index, outcome: 'copied' } : { server: link.index, outcome: 'unreachable' });
        this.#rememberPassword(op, args);
        return answer;
      }
      const results = await this.#fanOutRest(op, args, others, log);
      // HSMs an MFA session is not logged in on missed the write: the cluster resyncs them.
      await this.#host.afterWrite(
        primary,
        [primary, ...results.filter((r) => r.ok).map((r) => r.link)],
        [...results.filter((r) => !r.ok).map((r) => r.link), ...this.#withoutLogin()],
      );
      this.#rememberPassword(op, args);
      return answer;
    }
    return unavailable(`run ${op}`);
  }

  #rememberPassword(op: Op, args: unknown): void {
    if (!this.#credentials) return;
    if (op === 'user.change-own-password' || op === 'user.change-password' || op === 'user.change-mfa') {
      const a = args as { username: string; password?: string };
      if (a.password !== undefined && a.username.toLowerCase() === this.#credentials.username.toLowerCase()) {
        this.#credentials = { ...this.#credentials, password: a.password };
      }
    }
  }

  async #fanOutRest(op: Op, args: unknown, others: readonly HsmLink[], log?: OutcomeLog): Promise<{ link: HsmLink; ok: boolean }[]> {
    return Promise.all(
      others.map(async (link) => {
        try {
          const a = await this.sendTo(link, op, args);
          log?.set(link, { server: link.index, outcome: 'answered', answer: a });
          return { link, ok: a.error_code === 0 };
        } catch {
          log?.set(link, { server: link.index, outcome: 'unreachable' });
          return { link, ok: false };
        }
      }),
    );
  }
  /** Does the key filter name one of this session's session keys? */
  #namesSessionKey(args: unknown): boolean {
    const filter = (args as { filter?: readonly string[] }).filter ?? (args as { keyFilter?: readonly string[] }).keyFilter;
    for (const term of filter ?? []) {
      const match = /^key-reference=(.+)$/.exec(term);
      if (match) {
        try {
          if (this.#sessionKeys.has(parseKeyReference(match[1]!))) return true;
        } catch {
          // not a reference: let the HSM refuse it
        }
      }
    }
    return false;
  }

  async #keyWrite(op: Op, args: unknown, log?: OutcomeLog): Promise<Envelope> {
    const onHome = async (home: HsmLink): Promise<Envelope> => {
      const answer = await this.sendTo(home, op, args);
      log?.clear();
      log?.set(home, { server: home.index, outcome: 'answered', answer });
      return answer;
    };
    if (this.#home?.live && this.#namesSessionKey(args)) return onHome(this.#home);
    const answer = await this.#fanOutWrite(op, args, undefined, log);
    if (answer.error_code !== 0 && (answer as Failure).reason === 'key-not-found' && this.#home?.live && this.#sessionKeys.size > 0) {
      return onHome(this.#home);
    }
    return answer;
  }

  async #create(op: Op, args: unknown): Promise<Envelope> {
    const sessionKey = asksForSessionKey(args);
    let links = this.#candidates();
    if (sessionKey) {
      if (!this.#home || !this.#home.live) this.#home = links.length > 0 ? this.#host.pick(links, 'writes') : undefined;
      links = this.#home ? [this.#home] : [];
    }
    while (links.length > 0) {
      const source = sessionKey ? links[0]! : this.#host.pickCreator(links);
      let answer: Envelope;
      try {
        answer = await this.sendTo(source, op, args);
      } catch (error) {
        if (!(error instanceof HsmUnavailableError)) throw error;
        links = links.filter((l) => l !== source);
        continue;
      }
      if (answer.error_code !== 0) return answer;
      const keys = findKeyReferences(answer.data);
      this.#host.noteHandles(source, keys);
      // The HSM's answer says which new keys are session keys (`--session`, or token=false in one
      // half's attributes): those stay on this HSM; only token keys are copied to the others.
      const created = findKeyObjects(answer.data);
      const sessionObjects = created.filter((key) => key.attributes?.['token'] === false);
      for (const key of sessionObjects) {
        this.#sessionKeys.add(parseKeyReference(key['key-reference']));
        // Session keys never sync: they cover the cluster only when it has a single HSM.
        setKeyCoverage(key, this.#host.size === 1 ? 'full' : 'partial');
      }
      const sessionRefs = new Set(sessionObjects.map((key) => key['key-reference']));
      const tokenKeys = keys.filter((ref) => !sessionRefs.has(ref));
      const username = (answer.data as { username?: unknown }).username;
      const users = op === 'object.insert-masked' && typeof username === 'string' ? [username] : [];
      if (tokenKeys.length === 0 && users.length === 0) return answer;
      const coverage = await this.#host.replicate(source, { keys: tokenKeys, users });
      for (const key of created) if (!sessionRefs.has(key['key-reference'])) setKeyCoverage(key, coverage);
      return answer;
    }
    return unavailable(`run ${op}`);
  }

  async #info(op: Op, args: unknown): Promise<Envelope> {
    // Every live HSM: MFA challenges are per HSM, and a new MFA login must reach them all.
    const links = this.#host.liveLinks();
    const answers = await Promise.all(links.map((link) => this.sendTo(link, op, args).catch(() => undefined)));
    const hsms: unknown[] = [];
    let failure: Envelope | undefined;
    for (const answer of answers) {
      if (!answer) continue;
      if (answer.error_code !== 0) {
        failure ??= answer;
        continue;
      }
      const data = answer.data as { hsms?: unknown };
      if (Array.isArray(data.hsms)) hsms.push(...(data.hsms as unknown[]));
      else hsms.push(answer.data);
    }
    if (hsms.length === 0) return failure ?? unavailable('answer');
    return { error_code: 0, data: { hsms } };
  }

  async #read(op: Op, args: unknown): Promise<Envelope> {
    const homeFirst = this.#home?.live && (this.#namesSessionKey(args) || (op === 'key.list' && this.#sessionKeys.size > 0));
    let links = this.#candidates();
    while (links.length > 0) {
      const link = homeFirst && links.includes(this.#home!) ? this.#home! : this.#host.pick(links, routingLane(op));
      let answer: Envelope;
      try {
        answer = await this.sendTo(link, op, args);
      } catch (error) {
        if (!(error instanceof HsmUnavailableError)) throw error;
        links = links.filter((l) => l !== link);
        continue;
      }
      if (answer.error_code !== 0 && (answer as Failure).reason === 'key-not-found' && this.#home?.live && this.#home !== link && this.#sessionKeys.size > 0) {
        const fromHome = await this.sendTo(this.#home, op, args);
        if (this.#needsAnnotation(op, fromHome)) await this.#host.annotate(this.#home, op, fromHome.data, this);
        return fromHome;
      }
      if (this.#needsAnnotation(op, answer)) await this.#host.annotate(link, op, answer.data, this);
      return answer;
    }
    return unavailable(`run ${op}`);
  }
}
