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
};

/** Does this op change HSM state (so cached sync digests are stale afterwards)? */
export function changesState(op: Op): boolean {
  const kind = OP_KINDS[op];
  return kind !== 'read' && kind !== 'info';
}
