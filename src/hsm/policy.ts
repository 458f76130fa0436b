/**
 * The permission table: for every HSM operation, which roles may run it.
 *
 * This is the ONE copy of spec §2.2 (+ the per-command roles of spec §4). The HSM checks it before
 * dispatch, the command table reads it to say who may run a command, the page greys out buttons
 * from it and draws the permission table from it, and the permission-matrix test is generated
 * from it. Never restate these roles anywhere else.
 * @module
 */

/** The five kinds of caller. CMU/KMU names: PRECO, CO, CU, AU; CLI names in {@link CLI_ROLE_NAME}. */
export const ROLES = ['unactivated-admin', 'admin', 'crypto-user', 'appliance-user', 'unauthenticated'] as const;
export type Role = (typeof ROLES)[number];

/** The user type printed by CMU and KMU. */
export const CMU_ROLE_NAME: Record<Role, string> = {
  'unactivated-admin': 'PRECO',
  admin: 'CO',
  'crypto-user': 'CU',
  'appliance-user': 'AU',
  unauthenticated: '-',
};

/** The `role` printed by cloudhsm-cli (`user list`, `login`). */
export const CLI_ROLE_NAME: Record<Role, string> = {
  'unactivated-admin': 'unactivated-admin',
  admin: 'admin',
  'crypto-user': 'crypto-user',
  'appliance-user': 'internal(APPLIANCE_USER)',
  unauthenticated: 'unauthenticated',
};

/** How a refusal names a role: "only a crypto user may sign". */
export const ROLE_PHRASE: Record<Role, string> = {
  'unactivated-admin': 'the unactivated admin',
  admin: 'an admin',
  'crypto-user': 'a crypto user',
  'appliance-user': 'the appliance user',
  unauthenticated: 'anyone',
};

/** The rows of spec §2.2, the classes of operation the permission table is drawn with. */
export const OPERATION_CLASSES = {
  'cluster-info': 'Get basic cluster info',
  'cluster-activate': 'Activate the cluster',
  'session': 'Log in and out',
  'own-password': 'Change own password',
  'any-password': "Change any user's password",
  'user-management': 'Add / remove users',
  'user-list': 'List users',
  'sync-status': 'Get sync status',
  'masked-objects': 'Extract / insert masked objects',
  'key-management': 'Key management',
  'key-list': 'List keys',
  'key-trust': 'Mark a key trusted',
  'encrypt-decrypt': 'Encrypt / decrypt',
  'sign-verify': 'Sign / verify',
  'digest-hmac': 'Digests and HMACs',
  'audit': 'Read the audit log',
  'quorum': 'Quorum authentication and MFA',
} as const;
export type OperationClass = keyof typeof OPERATION_CLASSES;

/** One row of the policy: which class an operation belongs to, who may run it, and a verb for refusals. */
export interface OperationPolicy {
  readonly class: OperationClass;
  readonly roles: readonly Role[];
  /** Completes "only <role> may …", e.g. "sign". */
  readonly verb: string;
}

const EVERYONE: readonly Role[] = ROLES;
const LOGGED_IN: readonly Role[] = ['unactivated-admin', 'admin', 'crypto-user', 'appliance-user'];
const SYNC_ROLES: readonly Role[] = ['admin', 'crypto-user', 'appliance-user'];
const CU: readonly Role[] = ['crypto-user'];
const CO: readonly Role[] = ['admin'];
const ADMIN_OR_CU: readonly Role[] = ['admin', 'crypto-user'];

function row(cls: OperationClass, roles: readonly Role[], verb: string): OperationPolicy {
  return { class: cls, roles, verb };
}

/**
 * Every operation an HSM answers, with its policy. The keys of this object ARE the op names of
 * requests (`{ op, session, args }`).
 */
export const POLICY = {
  // cluster and HSM information (spec §2.2 footnote 1)
  'hsm.info': row('cluster-info', EVERYONE, 'get HSM information'),
  'cluster.activate': row('cluster-activate', ['unactivated-admin', 'unauthenticated'], 'activate the cluster'),
  // sessions
  'session.login': row('session', ['unauthenticated'], 'log in'),
  'session.logout': row('session', LOGGED_IN, 'log out'),
  // users
  'user.list': row('user-list', EVERYONE, 'list users'),
  'user.change-own-password': row('own-password', LOGGED_IN, 'change their own password'),
  'user.change-password': row('any-password', CO, "change another user's password"),
  'user.create': row('user-management', CO, 'create users'),
  'user.delete': row('user-management', CO, 'delete users'),
  // sync and masked objects (spec §2.2 footnotes 2 and 3)
  'hsm.sync-status': row('sync-status', SYNC_ROLES, 'get the sync status'),
  'object.extract-masked': row('masked-objects', SYNC_ROLES, 'extract masked objects'),
  'object.insert-masked': row('masked-objects', SYNC_ROLES, 'insert masked objects'),
  // keys (spec §4.5; admins may list keys and set only `trusted`)
  'key.generate-symmetric': row('key-management', CU, 'generate keys'),
  'key.generate-asymmetric-pair': row('key-management', CU, 'generate keys'),
  'key.import-pem': row('key-management', CU, 'import keys'),
  'key.export-pem': row('key-management', CU, 'export public keys'),
  'key.delete': row('key-management', CU, 'delete keys'),
  'key.export-secret': row('key-management', CU, 'export secret keys'),
  'key.import-secret': row('key-management', CU, 'import secret keys'),
  'key.share': row('key-management', CU, 'share keys'),
  'key.unshare': row('key-management', CU, 'unshare keys'),
  'key.set-attribute': row('key-management', CU, 'set key attributes'),
  'key.set-trusted': row('key-trust', CO, 'mark a key trusted'),
  'key.wrap': row('key-management', CU, 'wrap keys'),
  'key.unwrap': row('key-management', CU, 'unwrap keys'),
  'key.list': row('key-list', ['admin', 'crypto-user'], 'list keys'),
  // cryptography
  'crypto.encrypt': row('encrypt-decrypt', CU, 'encrypt'),
  'crypto.decrypt': row('encrypt-decrypt', CU, 'decrypt'),
  'crypto.sign': row('sign-verify', CU, 'sign'),
  'crypto.verify': row('sign-verify', CU, 'verify'),
  'crypto.mac-generate': row('digest-hmac', CU, 'generate MACs'),
  'crypto.mac-verify': row('digest-hmac', CU, 'verify MACs'),
  'crypto.digest': row('digest-hmac', CU, 'compute digests'),
  // quorum authentication and MFA (spec §4.4, §6, §7); the quorum gate (src/hsm/quorum/gate.ts)
  // adds the approval check to the protected operations above
  'session.mfa-challenge': row('session', ['unauthenticated'], 'ask for MFA login challenges'),
  'quorum.list-values': row('quorum', EVERYONE, 'list quorum values'),
  'quorum.list-timeouts': row('quorum', LOGGED_IN, 'list quorum token timeouts'),
  'quorum.token-list': row('quorum', LOGGED_IN, 'list quorum tokens'),
  'quorum.draw-approval-data': row('quorum', ADMIN_OR_CU, 'generate quorum tokens'),
  'quorum.token-generate': row('quorum', ADMIN_OR_CU, 'generate quorum tokens'),
  'quorum.token-discard': row('quorum', ADMIN_OR_CU, 'discard their quorum tokens'),
  'quorum.token-delete': row('quorum', CO, 'delete quorum tokens'),
  'quorum.set-value': row('quorum', CO, 'set quorum values'),
  'quorum.set-timeout': row('quorum', CO, 'set quorum token timeouts'),
  'user.register-quorum-key': row('quorum', ADMIN_OR_CU, 'register a quorum key'),
  'user.mfa-challenge': row('quorum', ADMIN_OR_CU, 'ask for MFA registration challenges'),
  'user.change-mfa': row('quorum', ADMIN_OR_CU, 'change MFA'),
  // audit (our choice: admins and the appliance user, who look after the HSM)
  'audit.read': row('audit', ['admin', 'appliance-user'], 'read the audit log'),
} as const satisfies Record<string, OperationPolicy>;

export type Op = keyof typeof POLICY;
export const OPS = Object.keys(POLICY) as Op[];

export function isOp(name: string): name is Op {
  return Object.prototype.hasOwnProperty.call(POLICY, name);
}

export function isAllowed(op: Op, role: Role): boolean {
  return (POLICY[op].roles as readonly Role[]).includes(role);
}

/** "only a crypto user may sign" / "only an admin or a crypto user may list keys". */
export function whoMay(op: Op): string {
  const p = POLICY[op];
  const roles: readonly Role[] = p.roles;
  if (roles.length === ROLES.length) return `anyone may ${p.verb}`;
  if (roles.length === 1 && roles[0] === 'unauthenticated') return `only a session that is not logged in may ${p.verb}`;
  const names = roles.filter((r) => r !== 'unauthenticated').map((r) => ROLE_PHRASE[r]);
  const list = names.length <= 1 ? (names[0] ?? 'nobody') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
  return `only ${list} may ${p.verb}`;
}
