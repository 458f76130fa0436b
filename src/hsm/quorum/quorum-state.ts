/**
 * The quorum part of an HSM's persistent state (spec §6, §7): the quorum value (M) of each admin
 * service, the two token timeouts, the live quorum tokens and the pending MFA challenges. It
 * lives at `state.quorum`, is created with the defaults on first use (so snapshots made before it
 * existed still open), travels in snapshots and backups with the rest of the state, and its
 * quorum values count in the state and sync digests.
 * @module
 */
import type { HsmState } from '../state.ts';

/** Services whose quorum value an admin sets (spec §4.4 `set-quorum-value`). `cluster` exists on hsm2m only. */
export const QUORUM_SERVICES = ['user', 'quorum', 'cluster'] as const;
export type QuorumService = (typeof QUORUM_SERVICES)[number];

/** Services a key's own quorum values protect (spec §6.2): approvers are the key's owner and shared users. */
export const KEY_SERVICES = ['key-management', 'key-usage'] as const;
export type KeyService = (typeof KEY_SERVICES)[number];

/** Every service a token can be generated for (`quorum token-sign generate --service`). */
export const TOKEN_SERVICES = ['user', 'quorum', 'cluster', 'registration', 'key-usage', 'key-management'] as const;
export type TokenService = (typeof TOKEN_SERVICES)[number];

/** Quorum values: 1 (no quorum) to 8 (spec §2.4). */
export const MIN_QUORUM_VALUE = 1;
export const MAX_QUORUM_VALUE = 8;

/** Token timeouts in seconds (spec §6.1: both 600 by default). [SIM] accepted range 1 s to 1 day. */
export const DEFAULT_TIMEOUT_SECONDS = 600;
export const MIN_TIMEOUT_SECONDS = 1;
export const MAX_TIMEOUT_SECONDS = 86_400;

/** Tokens stored per HSM (spec §2.4); when full, one expired token is purged to make room. */
export const MAX_STORED_TOKENS = 1024;
/** Pending MFA challenges kept per HSM ([SIM]); the oldest goes first. */
export const MAX_PENDING_CHALLENGES = 256;

/** One quorum token, as the HSM that issued it remembers it. */
export interface QuorumToken {
  /** SHA-256 of {@link approvalData}: what approvers sign, and the token's identity. */
  readonly token: Uint8Array;
  readonly approvalData: Uint8Array;
  readonly service: TokenService;
  /** The user who generated it (only they may use it). */
  readonly username: string;
  /** The login session it belongs to on this HSM: it dies with that session. */
  readonly sessionId: string;
  /** Milliseconds (HSM clock). */
  readonly createdAt: number;
  /** Set the first time the token is presented with enough approvals; the `approved` timeout then runs from here. */
  approvedAt?: number;
  /** Distinct users whose valid approvals the HSM has seen for this token. */
  approvers: string[];
}

/** An MFA challenge waiting for its signature (spec §7.1: one per HSM). */
export interface MfaChallenge {
  /** Whose key must sign it. */
  readonly username: string;
  /** `login` (signed by the registered key) or `change-mfa` (signed by the key being registered). */
  readonly purpose: 'login' | 'change-mfa';
  /** 32 random bytes: signed as a SHA-256 digest. */
  readonly unsigned: Uint8Array;
  readonly createdAt: number;
}

export interface QuorumState {
  values: Record<QuorumService, number>;
  timeouts: { generated: number; approved: number };
  tokens: QuorumToken[];
  challenges: MfaChallenge[];
}

export function defaultQuorumState(): QuorumState {
  return {
    values: { user: 1, quorum: 1, cluster: 1 },
    timeouts: { generated: DEFAULT_TIMEOUT_SECONDS, approved: DEFAULT_TIMEOUT_SECONDS },
    tokens: [],
    challenges: [],
  };
}

/** The quorum state of an HSM, created with the defaults the first time it is needed. */
export function quorumOf(state: HsmState): QuorumState {
  state.quorum ??= defaultQuorumState();
  return state.quorum;
}

/** The quorum values that matter for digests: the same on every HSM of an in-sync cluster. */
export function quorumFacts(state: HsmState): Record<string, unknown> {
  const q = state.quorum ?? defaultQuorumState();
  return { values: q.values, timeouts: q.timeouts };
}

export function isTokenService(v: unknown): v is TokenService {
  return typeof v === 'string' && (TOKEN_SERVICES as readonly string[]).includes(v);
}

export function isQuorumService(v: unknown): v is QuorumService {
  return typeof v === 'string' && (QUORUM_SERVICES as readonly string[]).includes(v);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/**
 * Checks the shape of a decoded `state.quorum` (undefined is fine: the defaults apply). Returns a
 * message naming the first thing wrong, or undefined when it is well formed.
 */
export function quorumStateProblem(q: unknown): string | undefined {
  if (q === undefined) return undefined;
  if (!isObject(q)) return 'quorum is not an object';
  const values = q['values'];
  if (!isObject(values)) return 'quorum.values is not an object';
  for (const s of QUORUM_SERVICES) {
    const v = values[s];
    if (!Number.isInteger(v) || (v as number) < MIN_QUORUM_VALUE || (v as number) > MAX_QUORUM_VALUE) return `quorum.values.${s} is not 1 to 8`;
  }
  const t = q['timeouts'];
  if (!isObject(t) || !Number.isInteger(t['generated']) || !Number.isInteger(t['approved'])) return 'quorum.timeouts are not integers';
  if (!Array.isArray(q['tokens'])) return 'quorum.tokens is not an array';
  for (const [i, tok] of (q['tokens'] as unknown[]).entries()) {
    if (!isObject(tok) || !(tok['token'] instanceof Uint8Array) || !(tok['approvalData'] instanceof Uint8Array)) return `quorum.tokens[${i}] has no token bytes`;
    if (!isTokenService(tok['service']) || typeof tok['username'] !== 'string' || typeof tok['sessionId'] !== 'string') return `quorum.tokens[${i}] is malformed`;
    if (!Number.isFinite(tok['createdAt']) || !Array.isArray(tok['approvers'])) return `quorum.tokens[${i}] is malformed`;
  }
  if (!Array.isArray(q['challenges'])) return 'quorum.challenges is not an array';
  for (const [i, c] of (q['challenges'] as unknown[]).entries()) {
    if (!isObject(c) || !(c['unsigned'] instanceof Uint8Array) || typeof c['username'] !== 'string') return `quorum.challenges[${i}] is malformed`;
  }
  return undefined;
}
