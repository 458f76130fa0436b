/**
 * Read-only questions both legacy tools ask the HSMs through ordinary requests: one key's
 * object by its integer handle (KMU and CMU name keys by handle), and the user directory with
 * the HSM's CMU user ids (admin 1, app_user 2, then increasing), so `shareKey 6 3 1` can name user 3.
 * @module
 */
import type { Envelope, Failure } from '../../hsm/envelope.ts';
import type { ClusterSession } from '../session-port.ts';

/** The key object JSON fields the legacy tools read (spec §3.4). */
export interface LegacyKeyObject {
  readonly 'key-reference': string;
  readonly 'key-info': {
    readonly 'key-owners': readonly { readonly username: string }[];
    readonly 'shared-users': readonly { readonly username: string }[];
    readonly 'key-quorum-values': { readonly 'manage-key-quorum-value': number; readonly 'use-key-quorum-value': number };
  };
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
}

export interface LegacyUser {
  readonly id: number;
  readonly username: string;
  /** cloudhsm-cli role name (`admin`, `crypto-user`, `unactivated-admin`, `internal(APPLIANCE_USER)`). */
  readonly role: string;
  readonly locked: boolean;
  readonly mfa: boolean;
  readonly quorum: boolean;
}

/** `0x00000000002e06bf` → 3016383. */
export function handleOf(reference: string): number {
  const n = Number.parseInt(reference.replace(/^0x/i, ''), 16);
  if (!Number.isSafeInteger(n)) throw new RangeError(`Invalid key reference '${reference}'`);
  return n;
}

/** The filter naming one key by handle. */
export function byHandle(handle: number): readonly string[] {
  return [`key-reference=${handle}`];
}

/** Every key object a `key.list` returns for `filter`, following `next_token` pages. */
export async function listKeys(session: ClusterSession, filter: readonly string[]): Promise<{ keys: LegacyKeyObject[] } | Failure> {
  const keys: LegacyKeyObject[] = [];
  let token: string | undefined;
  for (;;) {
    const answer: Envelope = await session.request('key.list', {
      filter,
      verbose: true,
      maxItems: 1000,
      ...(token !== undefined ? { startingToken: token } : {}),
    });
    if (answer.error_code !== 0) return answer;
    const data = answer.data as { matched_keys: LegacyKeyObject[]; next_token?: string };
    keys.push(...data.matched_keys);
    if (data.next_token === undefined) return { keys };
    token = data.next_token;
  }
}

/** The key with this handle, or a `key-not-found` failure (KMU: 0xa8). */
export async function keyByHandle(session: ClusterSession, handle: number): Promise<{ key: LegacyKeyObject } | Failure> {
  const listed = await listKeys(session, byHandle(handle));
  if ('error_code' in listed) return listed;
  const key = listed.keys[0];
  if (!key) return { error_code: 1, data: `Key not found: handle ${handle}`, reason: 'key-not-found' };
  return { key };
}

/**
 * The users with their CMU ids (admin 1, app_user 2, then increasing and never reused), as the
 * HSM numbers them (`user.list` with `withIds`), in id order.
 */
export async function userDirectory(session: ClusterSession): Promise<{ users: LegacyUser[] } | Failure> {
  return usersOf(await session.request('user.list', { withIds: true }));
}

/** The users of one `user.list { withIds: true }` answer, in id order (a refusal is passed through). */
export function usersOf(answer: Envelope): { users: LegacyUser[] } | Failure {
  if (answer.error_code !== 0) return answer;
  const entries = (answer.data as { users: Record<string, unknown>[] }).users;
  const users = entries.map((e): LegacyUser => ({
    id: Number(e['user-id']),
    username: String(e['username']),
    role: String(e['role']),
    locked: e['locked'] === 'true',
    mfa: Array.isArray(e['mfa']) && e['mfa'].length > 0,
    quorum: Array.isArray(e['quorum']) && e['quorum'].length > 0,
  }));
  return { users: users.sort((a, b) => a.id - b.id) };
}
