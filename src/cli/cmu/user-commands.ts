/**
 * CMU session and user commands (spec §8): loginHSM, logoutHSM, createUser, deleteUser,
 * changePswd, listUsers. User types PRECO/CO/PCO/CU/AU map onto the HSM's roles; every password
 * request says `legacy: true`, so the HSM applies its legacy minimum (settings.minPasswordLengthLegacy,
 * 7 by default; spec §2.3, §11). `changePswd PRECO admin <new>` activates. `-2fa` (spec §7.2) is for
 * crypto officers only.
 * @module
 */
import { CMU_ROLE_NAME } from '../../hsm/policy.ts';
import type { CliRoleArg } from '../../hsm/requests.ts';
import { positional, succeeded, switchFlag, valueFlag, type LegacyCommand } from '../legacy/command.ts';
import { serverName } from '../legacy/context.ts';
import { userDirectory, usersOf } from '../legacy/lookups.ts';
import { legacyUserType } from '../kmu/session-commands.ts';
import { codeForRefusal, INTERNAL } from '../legacy/error-catalogue.ts';
import { addressedServers, cmuArgumentError, cmuFailure, cmuRequest, confirm, requestPerServer, targetServers, type CmuContext } from './run.ts';
import { loginWithTwoFactor, pendingApproval, registerTwoFactor, spendApproval } from './quorum-commands.ts';

export const USER_TYPES = ['PRECO', 'CO', 'PCO', 'CU', 'AU'] as const;
function roleArg(type: string): CliRoleArg | undefined {
  if (type === 'PRECO' || type === 'CO' || type === 'PCO') return 'admin';
  if (type === 'CU') return 'crypto-user';
  if (type === 'AU') return 'appliance';
  return undefined;
}

const typeArg = positional('type', 'User type: PRECO, CO, PCO, CU or AU');
const userArg = positional('user', 'User name');
const passwordArg = { ...positional('password', 'Password (or -hpswd to be asked)'), required: false };
const hidePassword = switchFlag('hpswd', 'Ask for the password instead of taking it on the line');
const twoFactor = valueFlag('2fa', 'Two-factor authentication data file (crypto officers)', 'string', false, 'PATH');

/** CMU 2FA is for crypto officers only (spec §7.2): `-2fa` with another user type is refused up front. */
function twoFactorRefusal(command: string, type: string, path: string | undefined) {
  if (path === undefined || type === 'CO' || type === 'PCO' || type === 'PRECO') return undefined;
  return cmuArgumentError(command, `-2fa is available for crypto officers (CO) only, not for ${type} users`);
}

async function passwordOf(ctx: CmuContext, given: string | undefined): Promise<string> {
  return given ?? (await ctx.io.prompt('Enter password:', { secret: true }));
}

export const CMU_USER_COMMANDS: readonly LegacyCommand<CmuContext>[] = [
  {
    path: ['loginHSM'],
    roles: { allOf: ['session.login'] },
    help: 'Log in on every HSM: loginHSM <PRECO|CO|CU|AU> <user> <password>',
    flags: [typeArg, userArg, passwordArg, hidePassword, twoFactor],
    examples: [{ line: 'loginHSM PRECO admin password', answer: 'loginHSM success on server 0(10.0.0.1)' }],
    async run(f, ctx) {
      const type = f.string('type');
      const role = roleArg(type);
      if (!role) return cmuArgumentError('loginHSM', `invalid user type '${type}': expected ${USER_TYPES.join(', ')}`);
      const twoFactorPath = f.optString('2fa');
      const notForType = twoFactorRefusal('loginHSM', type, twoFactorPath);
      if (notForType) return notForType;
      const password = await passwordOf(ctx, f.optString('password'));
      const answer = twoFactorPath
        ? await loginWithTwoFactor(ctx, { username: f.string('user'), role }, password, twoFactorPath)
        : await ctx.session.request('session.login', { username: f.string('user'), role, password });
      if (answer.error_code !== 0) return cmuFailure(ctx, 'loginHSM', answer);
      const actual = ctx.session.identity ? CMU_ROLE_NAME[ctx.session.identity.role] : '';
      const wanted = type === 'PCO' ? 'CO' : type;
      if (actual !== wanted) {
        await ctx.session.request('session.logout', {});
        return cmuFailure(ctx, 'loginHSM', { error_code: 1, data: `${f.string('user')} is a ${actual} user, not ${type}`, reason: 'invalid-credentials' });
      }
      return cmuRequestDone(ctx, 'loginHSM');
    },
  },
  {
    path: ['logoutHSM'],
    roles: { allOf: ['session.logout'] },
    help: 'Log out on every HSM',
    flags: [],
    examples: [{ line: 'logoutHSM', answer: 'logoutHSM success on server 0(10.0.0.1)' }],
    run: (_f, ctx) => cmuRequest(ctx, 'logoutHSM', 'session.logout', {}),
  },
  {
    path: ['createUser'],
    roles: { allOf: ['user.create'] },
    help: 'Create a crypto officer or crypto user: createUser <CO|CU> <user> <password>',
    flags: [typeArg, userArg, passwordArg, hidePassword, twoFactor],
    examples: [{ line: 'createUser CU cu1 Passw0rd!', answer: 'Creating User cu1(CU) on 2 nodes\ncreateUser success on server 0(10.0.0.1)' }],
    async run(f, ctx) {
      const type = f.string('type');
      if (type !== 'CO' && type !== 'CU') return cmuArgumentError('createUser', `invalid user type '${type}': expected CO or CU`);
      const twoFactorPath = f.optString('2fa');
      const notForType = twoFactorRefusal('createUser', type, twoFactorPath);
      if (notForType) return notForType;
      const password = await passwordOf(ctx, f.optString('password'));
      if (!(await confirm(ctx))) return succeeded('');
      const user = f.string('user');
      const role = type === 'CO' ? 'admin' : 'crypto-user';
      const created = await spendApproval(ctx, 'user', await cmuRequest(ctx, 'createUser', 'user.create', { username: user, role, password, legacy: true, ...pendingApproval(ctx, 'user') }, [
        `Creating User ${user.toLowerCase()}(${type}) on ${targetServers(ctx).length} nodes`,
      ]));
      if (created.error_code !== 0 || !twoFactorPath) return created;
      const registered = await registerTwoFactor(ctx, { username: user, role }, twoFactorPath);
      return registered.error_code === 0 ? created : cmuFailure(ctx, 'createUser', registered);
    },
  },
  {
    path: ['deleteUser'],
    roles: { allOf: ['user.delete'] },
    help: 'Delete a user who is not logged in and owns no keys: deleteUser <CO|CU> <user>',
    flags: [typeArg, userArg],
    examples: [{ line: 'deleteUser CU cu2', answer: 'Deleting user cu2(CU) on 2 nodes\ndeleteUser success on server 0(10.0.0.1)' }],
    async run(f, ctx) {
      const type = f.string('type');
      if (type !== 'CO' && type !== 'CU') return cmuArgumentError('deleteUser', `invalid user type '${type}': expected CO or CU`);
      if (!(await confirm(ctx))) return succeeded('');
      const user = f.string('user');
      return spendApproval(ctx, 'user', await cmuRequest(ctx, 'deleteUser', 'user.delete', { username: user, role: type === 'CO' ? 'admin' : 'crypto-user', ...pendingApproval(ctx, 'user') }, [
        `Deleting user ${user.toLowerCase()}(${type}) on ${targetServers(ctx).length} nodes`,
      ]));
    },
  },
  {
    path: ['changePswd'],
    roles: { anyOf: ['user.change-password', 'user.change-own-password'] },
    help: "Change a password (your own, or as a CO anyone's): changePswd <type> <user> <password>",
    flags: [typeArg, userArg, passwordArg, hidePassword, twoFactor],
    examples: [{ line: 'changePswd PRECO admin N3wPassw0rd', answer: 'Changing password for admin(PRECO) on 2 nodes\nchangePswd success on server 0(10.0.0.1)' }],
    async run(f, ctx) {
      const type = f.string('type');
      const role = roleArg(type);
      if (!role) return cmuArgumentError('changePswd', `invalid user type '${type}': expected ${USER_TYPES.join(', ')}`);
      const twoFactorPath = f.optString('2fa');
      const notForType = twoFactorRefusal('changePswd', type, twoFactorPath);
      if (notForType) return notForType;
      const password = await passwordOf(ctx, f.optString('password'));
      if (!(await confirm(ctx))) return succeeded('');
      const user = f.string('user');
      const own = ctx.session.identity?.username === user.toLowerCase();
      const before = [`Changing password for ${user.toLowerCase()}(${type}) on ${targetServers(ctx).length} nodes`];
      // 2FA (spec §7.2): -2fa registers or rotates the CO's key; without it a 2FA user loses 2FA.
      const hadTwoFactor = !twoFactorPath && role === 'admin' && (await userDirectory(ctx.session).then((d) => 'users' in d && d.users.some((u) => u.username === user.toLowerCase() && u.mfa)));
      const changed = own
        ? await cmuRequest(ctx, 'changePswd', 'user.change-own-password', { username: user, role, password, legacy: true, ...(hadTwoFactor ? { deregisterMfa: true } : {}) }, before)
        : await spendApproval(ctx, 'user', await cmuRequest(ctx, 'changePswd', 'user.change-password', { username: user, role, password, legacy: true, ...(hadTwoFactor ? { deregisterMfa: true } : {}), ...pendingApproval(ctx, 'user') }, before));
      if (changed.error_code !== 0 || !twoFactorPath || role !== 'admin') return changed;
      const registered = await registerTwoFactor(ctx, { username: user, role }, twoFactorPath);
      return registered.error_code === 0 ? changed : cmuFailure(ctx, 'changePswd', registered);
    },
  },
  {
    path: ['listUsers'],
    roles: { allOf: ['user.list'] },
    help: 'List the users on every HSM (no login needed)',
    flags: [],
    examples: [{ line: 'listUsers', answer: 'Users on server 0(10.0.0.1):\nNumber of users found:2' }],
    async run(_f, ctx) {
      // Each server answers with its own user table (a stopped one cannot answer).
      const result = await requestPerServer(ctx, 'user.list', { withIds: true });
      if (!result.servers.some((s) => s.outcome.outcome === 'answered')) return cmuFailure(ctx, 'listUsers', result.answer.error_code !== 0 ? result.answer : { error_code: 1, data: INTERNAL.text, reason: 'internal-error' });
      const head = `    ${'User Id'.padEnd(13)}${'User Type'.padEnd(13)}${'User Name'.padEnd(37)}${'MofnPubKey'.padEnd(13)}${'LoginFailureCnt'.padEnd(18)}2FA`;
      let allFine = true;
      const blocks = result.servers.map(({ server, outcome }) => {
        const dir = outcome.outcome === 'answered' ? usersOf(outcome.answer) : undefined;
        if (!dir) {
          allFine = false;
          return `listUsers failed: ${INTERNAL.cmuName} on ${serverName(server)}\n(${serverName(server)}: ${INTERNAL.text})`;
        }
        if ('error_code' in dir) {
          allFine = false;
          return `listUsers failed: ${codeForRefusal(dir, ctx.session.identity?.role).cmuName} on ${serverName(server)}\n(${String(dir.data)})`;
        }
        const rows = dir.users.map(
          (u) => `    ${String(u.id).padEnd(13)}${legacyUserType(u.role).padEnd(13)}${u.username.padEnd(37)}${(u.quorum ? 'YES' : 'NO').padEnd(13)}${(u.locked ? '5' : '0').padEnd(18)}${u.mfa ? 'YES' : 'NO'}`,
        );
        return [`Users on ${serverName(server)}:`, `Number of users found:${dir.users.length}`, '', head, ...rows].join('\n');
      });
      return { output: blocks.join('\n'), error_code: allFine ? 0 : 1 };
    },
  },
];

/** Login done on every live server; a stopped server could not be logged in on. */
function cmuRequestDone(ctx: CmuContext, command: string) {
  const lines = addressedServers(ctx).map((s) => (s.state === 'live' ? `${command} success on ${serverName(s)}` : `${command} failed: ${INTERNAL.cmuName} on ${serverName(s)}`));
  return succeeded(lines.join('\n'));
}
