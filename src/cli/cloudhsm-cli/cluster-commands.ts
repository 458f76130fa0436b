/**
 * cloudhsm-cli commands about the cluster and the session: `cluster activate`,
 * `cluster hsm-info`, `login`, `logout`, `quit` (spec §4.1, §4.2).
 * @module
 */
import type { CliRoleArg } from '../../hsm/requests.ts';
import { HSM_INFO, success } from './example-answers.ts';
import { passwordFlag, requestCommand, roleFlag, usernameFlag, type CliCommand } from './command.ts';

/** The password of the appliance user `app_user` in the playground (spec §1.2: `password`). */
export const APPLIANCE_DEFAULT_PASSWORD = 'password';

export const CLUSTER_COMMANDS: readonly CliCommand[] = [
  requestCommand({
    path: ['cluster', 'activate'],
    op: 'cluster.activate',
    help: 'Activate the cluster by setting the initial admin password',
    details: 'Runs without logging in, on a never-activated cluster only. Afterwards `user list` shows `admin` with role `admin`.',
    flags: [passwordFlag(true)],
    examples: [{ line: 'cluster activate --password Passw0rd!', answer: success('Cluster activation successful') }],
    toArgs: (f) => ({ password: f.string('password') }),
  }),
  requestCommand({
    path: ['cluster', 'hsm-info'],
    op: 'hsm.info',
    help: 'Describe every HSM of the cluster (no login needed)',
    flags: [],
    examples: [{ line: 'cluster hsm-info', answer: success(HSM_INFO) }],
    toArgs: () => ({}),
  }),
  requestCommand({
    path: ['login'],
    op: 'session.login',
    help: 'Log in on every HSM of the cluster',
    details:
      `Roles: admin and crypto-user as in the real tool; before activation log in as admin with role admin. ` +
      `Playground extension: --role appliance logs in the appliance user app_user, whose password is '${APPLIANCE_DEFAULT_PASSWORD}'.`,
    flags: [usernameFlag(), roleFlag(['admin', 'crypto-user', 'appliance'], 'admin, crypto-user, or appliance (playground extension)'), passwordFlag(false)],
    examples: [
      { line: 'login --username admin --role admin --password Passw0rd!', answer: success({ username: 'admin', role: 'admin' }) },
      {
        line: `login --username app_user --role appliance --password ${APPLIANCE_DEFAULT_PASSWORD}`,
        answer: success({ username: 'app_user', role: 'internal(APPLIANCE_USER)' }),
        note: 'playground extension',
      },
    ],
    toArgs: (f) => ({ username: f.string('username'), role: f.string('role') as CliRoleArg, password: f.string('password') }),
  }),
  requestCommand({
    path: ['logout'],
    op: 'session.logout',
    help: 'Log out of every HSM of the cluster',
    flags: [],
    examples: [{ line: 'logout', answer: success('Logout successful') }],
    toArgs: () => ({}),
  }),
  {
    kind: 'local',
    action: 'quit',
    path: ['quit'],
    roles: 'everyone',
    help: 'Leave the interactive shell',
    flags: [],
    examples: [{ line: 'quit', answer: '' , note: 'prints nothing' }],
  },
];
