/**
 * cloudhsm-cli `user` commands: list, create, delete, change-password, replicate (spec §4.3).
 * @module
 */
import { success, USER_LIST } from './example-answers.ts';
import { approvalArgs, approvalFlag, passwordFlag, requestCommand, roleFlag, roleOf, stringFlag, usernameFlag, USER_ROLES, type CliCommand } from './command.ts';

export const USER_COMMANDS: readonly CliCommand[] = [
  requestCommand({
    path: ['user', 'list'],
    op: 'user.list',
    help: 'List the users of the cluster (no login needed)',
    flags: [],
    examples: [{ line: 'user list', answer: success(USER_LIST) }],
    toArgs: () => ({}),
  }),
  requestCommand({
    path: ['user', 'create'],
    op: 'user.create',
    help: 'Create an admin or a crypto user',
    flags: [usernameFlag(), roleFlag(USER_ROLES), passwordFlag(true), approvalFlag()],
    examples: [
      { line: 'user create --username cu1 --role crypto-user --password Passw0rd!', answer: success({ username: 'cu1', role: 'crypto-user' }) },
    ],
    toArgs: async (f, io) => ({ username: f.string('username'), role: roleOf(f.string('role')), password: f.string('password'), ...(await approvalArgs(f, io)) }),
  }),
  requestCommand({
    path: ['user', 'delete'],
    op: 'user.delete',
    help: 'Delete a user who is not logged in and owns no keys',
    flags: [usernameFlag(), roleFlag(USER_ROLES), approvalFlag()],
    examples: [{ line: 'user delete --username cu1 --role crypto-user', answer: success({ username: 'cu1', role: 'crypto-user' }) }],
    toArgs: async (f, io) => ({ username: f.string('username'), role: roleOf(f.string('role')), ...(await approvalArgs(f, io)) }),
  }),
  requestCommand({
    path: ['user', 'change-password'],
    op: 'user.change-password',
    // Admins change anyone's password; any logged-in user their own (the HSM decides which).
    roles: { anyOf: ['user.change-password', 'user.change-own-password'] },
    help: "Change a user's password (admins: anyone's; others: their own)",
    details: 'An admin resetting the password of a locked user unlocks it. No current password is needed.',
    flags: [
      usernameFlag(),
      roleFlag(USER_ROLES),
      passwordFlag(true),
      approvalFlag(),
      { name: 'deregister-mfa', type: 'bool', help: "Also remove the user's MFA (and with it their quorum key)" },
      { name: 'deregister-quorum', type: 'bool', help: "Also remove the user's quorum key registration" },
    ],
    examples: [
      { line: 'user change-password --username cu1 --role crypto-user --password N3wPassw0rd', answer: success({ username: 'cu1', role: 'crypto-user' }) },
    ],
    toArgs: async (f, io) => ({
      username: f.string('username'),
      role: roleOf(f.string('role')),
      password: f.string('password'),
      ...(await approvalArgs(f, io)),
      ...(f.bool('deregister-mfa') ? { deregisterMfa: true } : {}),
      ...(f.bool('deregister-quorum') ? { deregisterQuorum: true } : {}),
    }),
  }),
  {
    kind: 'replication',
    path: ['user', 'replicate'],
    // Creating the user on the destination needs admin; copying it is a masked-object extraction.
    roles: { allOf: ['user.create', 'object.extract-masked'] },
    help: 'Copy a user from one cluster to another (admin logged in to both)',
    flags: [usernameFlag(), roleFlag(USER_ROLES), stringFlag('source-cluster-id', 'Cluster to copy from'), stringFlag('destination-cluster-id', 'Cluster to copy to')],
    examples: [
      {
        line: 'user replicate --username cu1 --role crypto-user --source-cluster-id cluster-1 --destination-cluster-id cluster-2',
        answer: success({
          user: { username: 'cu1', role: 'crypto-user', locked: 'false', mfa: [], quorum: [], 'cluster-coverage': 'full' },
          message: 'Successfully replicated user',
        }),
      },
    ],
    run: (f, port) =>
      port.replicateUser(f.string('username'), roleOf(f.string('role')), f.string('source-cluster-id'), f.string('destination-cluster-id')),
  },
];
