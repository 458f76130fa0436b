/**
 * The answer shape of every HSM request: the envelope cloudhsm-cli prints (spec §3.2), plus, on
 * failure, a stable machine-readable reason so tests and the UI never parse messages.
 * Errors are data: nothing is thrown across the worker boundary.
 * @module
 */
import type { Role } from './policy.ts';

export type Reason =
  | 'permission-denied'
  | 'not-logged-in'
  | 'bad-request'
  | 'invalid-credentials'
  | 'user-locked'
  | 'user-exists'
  | 'user-not-found'
  | 'user-owns-keys'
  | 'user-logged-in'
  | 'limit-reached'
  | 'already-activated'
  | 'not-activated'
  | 'key-not-found'
  | 'key-ambiguous'
  | 'attribute-not-modifiable'
  | 'key-not-permitted'
  | 'not-extractable'
  | 'verification-failed'
  | 'bad-masked-object'
  | 'bad-backup'
  | 'quorum-required'
  | 'invalid-quorum-value'
  | 'internal-error';

export interface Success<T = unknown> {
  readonly error_code: 0;
  readonly data: T;
}

export interface Failure {
  readonly error_code: 1;
  readonly data: string;
  readonly reason: Reason;
  /** For permission refusals: the roles that may run the operation. */
  readonly allowedRoles?: readonly Role[];
}

export type Envelope<T = unknown> = Success<T> | Failure;

export function ok<T>(data: T): Success<T> {
  return { error_code: 0, data };
}

export function fail(reason: Reason, message: string, allowedRoles?: readonly Role[]): Failure {
  return allowedRoles ? { error_code: 1, data: message, reason, allowedRoles } : { error_code: 1, data: message, reason };
}

/**
 * Thrown inside the HSM to abandon a request; the dispatcher turns it into a {@link Failure}.
 * It never crosses the worker boundary.
 */
export class HsmError extends Error {
  constructor(
    readonly reason: Reason,
    message: string,
    readonly allowedRoles?: readonly Role[],
  ) {
    super(message);
    this.name = 'HsmError';
  }
}
