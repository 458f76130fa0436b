/**
 * Who may do what with a key once the policy table has let the role through (spec §4.5, §12.5):
 * only the owner manages a key (delete, share, unshare, set attributes, wrap it); owner and shared
 * users use it; each operation needs its usage attribute (`sign`, `encrypt`, `wrap`, …); and a
 * key quorum value above 1 needs an approval, judged by the quorum gate before the handler.
 * @module
 */
import { HsmError } from '../envelope.ts';
import { hasKeyGrant } from '../quorum/key-grants.ts';
import type { KeyRecord } from '../state.ts';
import type { AttributeName } from './attributes.ts';
import { formatKeyReference } from './key-json.ts';

/** Refuse unless `username` owns `key`; `action` completes "only the key's owner may …". */
export function requireOwner(key: KeyRecord, username: string, action: string): void {
  if (key.owner !== username) {
    throw new HsmError(
      'permission-denied',
      `Permission denied: only the key's owner may ${action}; key ${formatKeyReference(key.handle)} is owned by ${key.owner}`,
    );
  }
}

/** Refuse unless the key's usage attribute `name` is true ("the key's sign attribute is false"). */
export function requireAttribute(key: KeyRecord, name: AttributeName, action: string): void {
  if (key.attributes[name] !== true) {
    throw new HsmError(
      'key-not-permitted',
      `Key ${formatKeyReference(key.handle)} may not be used to ${action}: its "${name}" attribute is false`,
    );
  }
}

/**
 * Key quorum (spec §6): management with `manage-key-quorum-value` > 1, or signing with
 * `use-key-quorum-value` > 1, needs an approved token; the quorum gate (src/hsm/quorum/gate.ts)
 * has granted this request the key's service when the `--approval` carried enough approvals.
 */
export function requireNoQuorum(key: KeyRecord, service: 'key-management' | 'key-usage'): void {
  const m = service === 'key-management' ? key.manageKeyQuorumValue : key.useKeyQuorumValue;
  if (m > 1 && !hasKeyGrant(key, service)) throw new HsmError('quorum-required', 'Quorum approval is required for this operation');
}
