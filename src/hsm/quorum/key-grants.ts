/**
 * Approvals granted for one request to keys with quorum values (spec §6.2 key services). The
 * quorum gate, which runs before the handler, judges the `--approval` token for a key and grants
 * the key's service here; the key handlers' `requireNoQuorum` then lets that key through, and the
 * gate clears the grant when the request ends. Keyed by the key record object, which belongs to
 * exactly one HSM's state, and one HSM answers one request at a time, so grants never leak
 * between requests or HSMs.
 * @module
 */
import type { KeyRecord } from '../state.ts';
import type { KeyService } from './quorum-state.ts';

const grants = new WeakMap<KeyRecord, Set<KeyService>>();

/** Let the current request use `key` for `service` despite its quorum value. */
export function grantKeyService(key: KeyRecord, service: KeyService): void {
  const set = grants.get(key) ?? new Set<KeyService>();
  set.add(service);
  grants.set(key, set);
}

/** Has the current request been approved to use `key` for `service`? */
export function hasKeyGrant(key: KeyRecord, service: KeyService): boolean {
  return grants.get(key)?.has(service) ?? false;
}

/** End the request: forget its grants. */
export function revokeKeyGrants(keys: Iterable<KeyRecord>): void {
  for (const key of keys) grants.delete(key);
}
