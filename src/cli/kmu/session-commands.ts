/**
 * KMU session and information commands: loginHSM (crypto users only, spec §2.1), logoutHSM,
 * listUsers, Error2String, exit.
 * @module
 */
import { CMU_ROLE_NAME, type Role } from '../../hsm/policy.ts';
import { failed, succeeded, switchFlag, valueFlag, type LegacyCommand } from '../legacy/command.ts';
import { findCode, INVALID_USER_TYPE } from '../legacy/error-catalogue.ts';
import { userDirectory } from '../legacy/lookups.ts';
import { kmuSuccess } from '../legacy/kmu-report.ts';
import { kmuCodeFailure, kmuRefusal, kmuRequest, type KmuContext } from './run.ts';

const ROLE_BY_CLI_NAME: Readonly<Record<string, Role>> = {
  'unactivated-admin': 'unactivated-admin',
  admin: 'admin',
  'crypto-user': 'crypto-user',
  'internal(APPLIANCE_USER)': 'appliance-user',
};

/** The user type KMU/CMU print for a cloudhsm-cli role name. */
export function legacyUserType(cliRole: string): string {
  const role = ROLE_BY_CLI_NAME[cliRole];
  return role ? CMU_ROLE_NAME[role] : cliRole;
}

export const KMU_SESSION_COMMANDS: readonly LegacyCommand<KmuContext>[] = [
  {
    path: ['loginHSM'],
    roles: { allOf: ['session.login'] },
    help: 'Log in as a crypto user (the only user type KMU accepts)',
    flags: [
      valueFlag('u', 'User type: CU', 'string', true, 'TYPE'),
      valueFlag('s', 'User name', 'string', true, 'USER'),
      valueFlag('p', 'Password', 'string', false, 'PASSWORD'),
      switchFlag('hpswd', 'Ask for the password instead of taking it on the line'),
    ],
    examples: [{ line: 'loginHSM -u CU -s cu1 -p Passw0rd!', answer: '\tCfm3LoginHSM returned: 0x00 : HSM Return: SUCCESS' }],
    async run(f, ctx) {
      if (f.string('u') !== 'CU') return kmuCodeFailure(ctx, 'LoginHSM', INVALID_USER_TYPE, `KMU logs in crypto users only (-u CU), got '${f.string('u')}'`);
      const password = f.optString('p') ?? (await ctx.io.prompt('Enter password:', { secret: true }));
      return kmuRequest(ctx, 'LoginHSM', 'session.login', { username: f.string('s'), role: 'crypto-user', password }, () => []);
    },
  },
  {
    path: ['logoutHSM'],
    roles: { allOf: ['session.logout'] },
    help: 'Log out on every HSM',
    flags: [],
    examples: [{ line: 'logoutHSM', answer: '\tCfm3LogoutHSM returned: 0x00 : HSM Return: SUCCESS' }],
    run: (_f, ctx) => kmuRequest(ctx, 'LogoutHSM', 'session.logout', {}, () => []),
  },
  {
    path: ['listUsers'],
    roles: { allOf: ['user.list'] },
    help: 'List the users of the HSMs (no login needed)',
    flags: [],
    examples: [{ line: 'listUsers', answer: '\tNumber Of Users found 2' }],
    async run(_f, ctx) {
      const dir = await userDirectory(ctx.session);
      if ('error_code' in dir) return kmuRefusal(ctx, 'ListUsers', dir);
      const rows = dir.users.map(
        (u, i) =>
          `\t${String(i + 1).padEnd(8)}${String(u.id).padEnd(12)}${legacyUserType(u.role).padEnd(14)}${u.username.padEnd(26)}${(u.quorum ? 'YES' : 'NO').padEnd(12)}${(u.locked ? '5' : '0').padEnd(18)}${u.mfa ? 'YES' : 'NO'}`,
      );
      const head = `\tNumber Of Users found ${dir.users.length}\n\n\t${'Index'.padEnd(8)}${'User ID'.padEnd(12)}${'User Type'.padEnd(14)}${'User Name'.padEnd(26)}${'MofnPubKey'.padEnd(12)}${'LoginFailureCnt'.padEnd(18)}2FA`;
      return succeeded(`${head}\n${rows.join('\n')}\n${kmuSuccess('ListUsers', [], ctx)}`);
    },
  },
  {
    path: ['Error2String'],
    roles: 'everyone',
    help: 'Explain a KMU/CMU return code',
    flags: [valueFlag('r', 'The return code, e.g. 0xdb', 'string', true, 'CODE')],
    examples: [{ line: 'Error2String -r 0xdb', answer: '\tError Code db maps to HSM Error: Invalid User Type.' }],
    async run(f) {
      const text = f.string('r');
      const value = /^(0x)?[0-9a-f]+$/i.test(text) ? Number.parseInt(text.replace(/^0x/i, ''), 16) : NaN;
      const found = Number.isSafeInteger(value) ? findCode(value) : undefined;
      if (!found) return failed(`\tError Code ${text} is not a known return code`);
      return succeeded(`\tError Code ${value.toString(16)} maps to ${found.text}.`);
    },
  },
  {
    path: ['exit'],
    roles: 'everyone',
    help: 'Leave key_mgmt_util',
    flags: [],
    examples: [{ line: 'exit', answer: '' }],
    run: async () => ({ output: '', error_code: 0, exit: true }),
  },
];
