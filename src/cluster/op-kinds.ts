/**
 * How the cluster client treats each operation, like the CloudHSM client SDK does: logins and user
 * writes fan out to every live HSM, key creations run on one HSM and are then copied to the
 * others as masked objects, key writes go to every HSM holding the key, everything else is a read
 * that any one live HSM may answer. A table, so adding an op means adding one line.
 * @module
 */
import type { Op } from '../hsm/policy.ts';

export type OpKind = 'login' | 'logout' | 'user-write' | 'key-creation' | 'key-write' | 'info' | 'read';

export const OP_KINDS: Readonly<Record<Op, OpKind>> = {
  'hsm.info': 'info',
  'cluster.activate': 'user-write',
  'session.login': 'login',
  'session.logout': 'logout',
  'user.list': 'read',
  'user.change-own-password': 'user-write',
  'user.change-password': 'user-write',
  'user.create': 'user-write',
  'user.delete': 'user-write',
  'hsm.sync-status': 'read',
  'object.extract-masked': 'read',
  'object.insert-masked': 'key-creation',
  'key.generate-symmetric': 'key-creation',
  'key.generate-asymmetric-pair': 'key-creation',
  'key.import-pem': 'key-creation',
  'key.export-pem': 'read',
  'key.delete': 'key-write',
  'key.export-secret': 'read',
  'key.import-secret': 'key-creation',
  'key.share': 'key-write',
  'key.unshare': 'key-write',
  'key.set-attribute': 'key-write',
  'key.set-trusted': 'key-write',
  'key.wrap': 'read',
  'key.unwrap': 'key-creation',
  'key.list': 'read',
  'crypto.encrypt': 'read',
  'crypto.decrypt': 'read',
  'crypto.sign': 'read',
  'crypto.verify': 'read',
  'crypto.mac-generate': 'read',
  'crypto.mac-verify': 'read',
  'crypto.digest': 'read',
  'audit.read': 'read',
  // quorum and MFA: challenges are per HSM (gathered like hsm-info); token and registration writes
  // reach every HSM, each binding the token to its own session of the same login
  'session.mfa-challenge': 'info',
  'user.mfa-challenge': 'info',
  'quorum.list-values': 'read',
  'quorum.list-timeouts': 'read',
  'quorum.token-list': 'read',
  'quorum.draw-approval-data': 'read',
  'quorum.token-generate': 'user-write',
  'quorum.token-discard': 'user-write',
  'quorum.token-delete': 'user-write',
  'quorum.set-value': 'user-write',
  'quorum.set-timeout': 'user-write',
  'user.register-quorum-key': 'user-write',
  'user.change-mfa': 'user-write',
};

/** Does this op change HSM state (so cached sync digests are stale afterwards)? */
export function changesState(op: Op): boolean {
  const kind = OP_KINDS[op];
  return kind !== 'read' && kind !== 'info';
}

/**
 * Reads that nevertheless draw from the answering HSM's random stream (IVs, hedged or PSS
 * signatures, masked-object nonces, approval data): where they run decides which HSM's stream
 * moves, so seeded routing treats them like writes.
 */
export const READS_DRAWING_RANDOMNESS: ReadonlySet<Op> = new Set<Op>([
  'crypto.sign',
  'crypto.encrypt',
  'key.wrap',
  'object.extract-masked',
  'quorum.draw-approval-data',
]);

/**
 * Which round-robin a seeded cluster routes an op by. `reads` — pure reads, which change nothing
 * on the HSM that answers them; `writes` — everything else. Two separate counters, so any number
 * of extra pure reads (an inspector refreshing) never changes which HSM creates the next key,
 * hashes the next password or signs the next message.
 */
export type RoutingLane = 'reads' | 'writes';

export function routingLane(op: Op): RoutingLane {
  return OP_KINDS[op] === 'read' && !READS_DRAWING_RANDOMNESS.has(op) ? 'reads' : 'writes';
}
