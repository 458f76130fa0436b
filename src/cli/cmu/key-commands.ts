/**
 * CMU key and information commands (spec §8): info, getHSMInfo, listAttributes, getKeyInfo,
 * getAttribute, setAttribute, shareKey, findAllKeys, syncKey, syncUser, and the server mode
 * commands `server <n>` / `exit`, plus `quit`.
 * @module
 */
import { digest } from '../../crypto/hash.ts';
import { toHex } from '../../crypto/bytes.ts';
import { attributeValueText, CMU_SETTABLE, findAttributeConstant, formatAttributeValue, listAttributesText, OBJ_ATTR_TRUSTED } from '../legacy/attribute-constants.ts';
import { positional, succeeded, switchFlag, type LegacyCommand } from '../legacy/command.ts';
import { serverName } from '../legacy/context.ts';
import { byHandle, handleOf, keyByHandle, listKeys, userDirectory } from '../legacy/lookups.ts';
import { keyInfoLines } from '../kmu/key-commands.ts';
import { cmuArgumentError, cmuFailure, cmuRequest, confirm, targetServers, type CmuContext } from './run.ts';

const handleArg = positional('handle', 'Key handle', 'int');

export const CMU_KEY_COMMANDS: readonly LegacyCommand<CmuContext>[] = [
  {
    path: ['info', 'server'],
    roles: 'everyone',
    help: 'Show one HSM connection: info server <id>',
    flags: [positional('id', 'Server id', 'int')],
    examples: [{ line: 'info server 0', answer: "Id\tName\tHostname\tPort\tState\tPartition\tLoginState\n0\t10.0.0.1\t10.0.0.1\t2225\tConnected\thsm-…\tNot logged in" }],
    async run(f, ctx) {
      const server = ctx.servers().find((s) => s.index === f.int('id'));
      if (!server) return cmuArgumentError('info', `no server with id ${f.int('id')}`);
      const who = ctx.session.identity;
      const login = who ? `Logged in as '${who.username}(${({ 'unactivated-admin': 'PRECO', admin: 'CO', 'crypto-user': 'CU', 'appliance-user': 'AU', unauthenticated: '-' } as const)[who.role]})'` : 'Not logged in';
      const state = server.state === 'live' ? 'Connected' : 'Disconnected';
      return succeeded(['Id\tName\tHostname\tPort\tState\tPartition\tLoginState', `${server.index}\t${server.ip}\t${server.ip}\t2225\t${state}\t${ctx.session.clusterId}\t${login}`].join('\n'));
    },
  },
  {
    path: ['getHSMInfo'],
    roles: { allOf: ['hsm.info'] },
    help: 'Show the hardware and firmware of every HSM',
    flags: [],
    examples: [{ line: 'getHSMInfo', answer: 'Getting HSM Info on 2 nodes\n\t\t*** Server 0 HSM Info ***' }],
    async run(_f, ctx) {
      const answer = await ctx.session.request('hsm.info', {});
      if (answer.error_code !== 0) return cmuFailure(ctx, 'getHSMInfo', answer);
      const hsms = (answer.data as { hsms: Record<string, string>[] }).hsms;
      const servers = targetServers(ctx);
      const out = [`Getting HSM Info on ${servers.length} nodes`];
      for (const s of servers) {
        const h = hsms.find((x) => x['ip'] === s.ip) ?? hsms[s.index];
        if (!h) continue;
        out.push(
          `\t\t*** Server ${s.index} HSM Info ***`,
          '',
          `\tLabel                :cavium`,
          `\tModel                :${h['model']}`,
          `\tSerial Number        :${h['serial-number']}`,
          `\tHSM Flags            :0`,
          `\tFIPS state           :${h['fips-state']}`,
          `\tDevice ID            :${h['device-id'] ?? ''}`,
          `\tHardware Major       :${h['hardware-version-major']}`,
          `\tHardware Minor       :${h['hardware-version-minor']}`,
          `\tFirmware Major       :${h['firmware-version-major']}`,
          `\tFirmware Minor       :${h['firmware-version-minor']}`,
          `\tFirmware Build Number:${h['firmware-build-number']}`,
          `\tFirmware ID          :${h['firmware-id']}`,
          '',
        );
      }
      return succeeded(out.join('\n'));
    },
  },
  {
    path: ['listAttributes'],
    roles: 'everyone',
    help: 'List the attribute constants getAttribute and setAttribute take',
    flags: [],
    examples: [{ line: 'listAttributes', answer: 'Following are the possible attribute values for getAttribute:' }],
    run: async () => succeeded(listAttributesText()),
  },
  {
    path: ['getKeyInfo'],
    roles: { allOf: ['key.list'] },
    help: 'Who owns a key, who it is shared with, and its quorum: getKeyInfo [-k] <handle>',
    flags: [switchFlag('k', 'The next argument is a key handle'), handleArg],
    examples: [{ line: 'getKeyInfo -k 6', answer: 'Key Info on server 0(10.0.0.1):\n\n\tToken Key,\n\tOwned by user 3' }],
    async run(f, ctx) {
      const found = await keyByHandle(ctx.session, f.int('handle'));
      if ('error_code' in found) return cmuFailure(ctx, 'getKeyInfo', found);
      const dir = await userDirectory(ctx.session);
      const ids = new Map('error_code' in dir ? [] : dir.users.map((u) => [u.username, u.id] as const));
      const body = keyInfoLines(found.key, ids).map((l) => (l === '' ? '' : `\t${l}`));
      return succeeded(targetServers(ctx).map((s) => [`Key Info on ${serverName(s)}:`, '', ...body, ''].join('\n')).join('\n'));
    },
  },
  {
    path: ['getAttribute'],
    roles: { allOf: ['key.list'] },
    help: 'Print one attribute of a key: getAttribute <handle> <attribute id>',
    flags: [handleArg, positional('attribute', 'Attribute constant (see listAttributes)', 'int')],
    examples: [{ line: 'getAttribute 6 261', answer: 'Attribute Value on server 0(10.0.0.1):\nOBJ_ATTR_DECRYPT\n0x00000001' }],
    async run(f, ctx) {
      const constant = findAttributeConstant(f.int('attribute'));
      if (!constant) return cmuArgumentError('getAttribute', `unknown attribute ${f.int('attribute')}`);
      const found = await keyByHandle(ctx.session, f.int('handle'));
      if ('error_code' in found) return cmuFailure(ctx, 'getAttribute', found);
      const value = formatAttributeValue(constant, found.key.attributes);
      if (value === undefined) return cmuArgumentError('getAttribute', `${constant.name} does not exist for this key`);
      return succeeded(targetServers(ctx).map((s) => `Attribute Value on ${serverName(s)}:\n${constant.name}\n${value}`).join('\n\n'));
    },
  },
  {
    path: ['setAttribute'],
    roles: { anyOf: ['key.set-attribute', 'key.set-trusted'] },
    help: 'Change an attribute of a key: setAttribute <handle> <attribute id> <value> (134 trusted: CO only)',
    flags: [handleArg, positional('attribute', 'Attribute constant', 'int'), positional('value', 'New value (0/1, or text for a label)')],
    examples: [{ line: 'setAttribute 6 260 1', answer: 'setAttribute success on server 0(10.0.0.1)' }],
    async run(f, ctx) {
      const id = f.int('attribute');
      const constant = findAttributeConstant(id);
      if (!constant || !CMU_SETTABLE.has(id)) return cmuArgumentError('setAttribute', `attribute ${id} cannot be changed with setAttribute`);
      let value: string;
      try {
        value = attributeValueText(constant, f.string('value'));
      } catch (e) {
        return cmuArgumentError('setAttribute', e instanceof Error ? e.message : String(e));
      }
      if (!(await confirm(ctx))) return succeeded('');
      const filter = byHandle(f.int('handle'));
      if (id === OBJ_ATTR_TRUSTED) return cmuRequest(ctx, 'setAttribute', 'key.set-trusted', { filter, value });
      return cmuRequest(ctx, 'setAttribute', 'key.set-attribute', { filter, name: constant.cliName ?? '', value });
    },
  },
  {
    path: ['shareKey'],
    roles: { anyOf: ['key.share', 'key.unshare'] },
    help: 'Share (1) or unshare (0) a key you own with a crypto user: shareKey <handle> <user id> <1|0>',
    flags: [handleArg, positional('userId', 'User id of the crypto user (see listUsers)', 'int'), { ...positional('share', '1 share, 0 unshare', 'int') }],
    examples: [{ line: 'shareKey 6 4 1', answer: 'shareKey success on server 0(10.0.0.1)' }],
    async run(f, ctx) {
      const share = f.int('share');
      if (share !== 0 && share !== 1) return cmuArgumentError('shareKey', `expected 1 (share) or 0 (unshare), got ${share}`);
      const dir = await userDirectory(ctx.session);
      if ('error_code' in dir) return cmuFailure(ctx, 'shareKey', dir);
      const user = dir.users.find((u) => u.id === f.int('userId'));
      if (!user) return cmuFailure(ctx, 'shareKey', { error_code: 1, data: `No user with id ${f.int('userId')}`, reason: 'user-not-found' });
      if (!(await confirm(ctx))) return succeeded('');
      const args = { filter: byHandle(f.int('handle')), username: user.username, role: 'crypto-user' as const };
      return share === 1 ? cmuRequest(ctx, 'shareKey', 'key.share', args) : cmuRequest(ctx, 'shareKey', 'key.unshare', args);
    },
  },
  {
    path: ['findAllKeys'],
    roles: { allOf: ['key.list'] },
    help: 'Keys a user owns (o) or shares (s), with the sync hash: findAllKeys <user id> <0|1>',
    flags: [positional('userId', 'User id', 'int'), positional('hash', '1 to print the key hash', 'int')],
    examples: [{ line: 'findAllKeys 3 0', answer: 'Keys on server 0(10.0.0.1):\nNumber of keys found 1\nnumber of keys matched from start index 0::1\n6(o)\nfindAllKeys success on server 0(10.0.0.1)' }],
    async run(f, ctx) {
      const dir = await userDirectory(ctx.session);
      if ('error_code' in dir) return cmuFailure(ctx, 'findAllKeys', dir);
      const user = dir.users.find((u) => u.id === f.int('userId'));
      if (!user) return cmuFailure(ctx, 'findAllKeys', { error_code: 1, data: `No user with id ${f.int('userId')}`, reason: 'user-not-found' });
      const all = await listKeys(ctx.session, []);
      if ('error_code' in all) return cmuFailure(ctx, 'findAllKeys', all);
      const marks: string[] = [];
      for (const key of all.keys) {
        const info = key['key-info'];
        if (info['key-owners'].some((o) => o.username === user.username)) marks.push(`${handleOf(key['key-reference'])}(o)`);
        else if (info['shared-users'].some((o) => o.username === user.username)) marks.push(`${handleOf(key['key-reference'])}(s)`);
      }
      let hashLine: string[] = [];
      if (f.int('hash') === 1 && marks.length > 0) {
        const status = await ctx.session.request('hsm.sync-status', {});
        if (status.error_code !== 0) return cmuFailure(ctx, 'findAllKeys', status);
        const objects = (status.data as { objects: Record<string, string> }).objects;
        const keyDigests = Object.keys(objects).filter((k) => k.startsWith('key:')).sort().map((k) => `${k}=${objects[k]}`).join('\n');
        hashLine = [`Key Hash:`, toHex(digest('sha256', new TextEncoder().encode(keyDigests)))];
      }
      const blocks = targetServers(ctx).map((s) =>
        [`Keys on ${serverName(s)}:`, `Number of keys found ${marks.length}`, `number of keys matched from start index 0::${marks.length}`, marks.join(','), ...hashLine, `findAllKeys success on ${serverName(s)}`].join('\n'),
      );
      return succeeded(blocks.join('\n\n'));
    },
  },
  {
    path: ['syncKey'],
    roles: { allOf: ['object.extract-masked'] },
    help: 'Server mode: copy a key to another HSM as a masked object: syncKey <handle> <dest server>',
    details: 'The simulated cluster already copies every token key to all HSMs; syncKey extracts the masked object on the current server and confirms the destination holds the key.',
    flags: [handleArg, positional('destination', 'Destination server id', 'int')],
    examples: [{ line: 'syncKey 6 1', answer: 'syncKey success' }],
    async run(f, ctx) {
      if (ctx.state.server === undefined) return cmuArgumentError('syncKey', "syncKey runs in server mode: enter 'server <n>' first");
      if (!ctx.servers().some((s) => s.index === f.int('destination') && s.state === 'live')) return cmuArgumentError('syncKey', `server ${f.int('destination')} is not connected`);
      const answer = await ctx.session.request('object.extract-masked', { filter: byHandle(f.int('handle')) });
      if (answer.error_code !== 0) return cmuFailure(ctx, 'syncKey', answer);
      return succeeded('ExtractMaskedObject: 0x0 !\nInsertMaskedObject: 0x0 !\nsyncKey success');
    },
  },
  {
    path: ['syncUser'],
    roles: { allOf: ['object.extract-masked', 'user.create'] },
    help: 'Server mode: copy a user to another HSM as a masked object: syncUser <user id> <dest server>',
    details: 'The simulated cluster copies users to every HSM as they are written; syncUser extracts the user as a masked object and confirms the destination holds it.',
    flags: [positional('userId', 'User id', 'int'), positional('destination', 'Destination server id', 'int')],
    examples: [{ line: 'syncUser 3 1', answer: 'ExtractMaskedObject: 0x0 !\nInsertMaskedObject: 0x0 !\nsyncUser success' }],
    async run(f, ctx) {
      if (ctx.state.server === undefined) return cmuArgumentError('syncUser', "syncUser runs in server mode: enter 'server <n>' first");
      if (!ctx.servers().some((s) => s.index === f.int('destination') && s.state === 'live')) return cmuArgumentError('syncUser', `server ${f.int('destination')} is not connected`);
      const dir = await userDirectory(ctx.session);
      if ('error_code' in dir) return cmuFailure(ctx, 'syncUser', dir);
      const user = dir.users.find((u) => u.id === f.int('userId'));
      if (!user) return cmuFailure(ctx, 'syncUser', { error_code: 1, data: `No user with id ${f.int('userId')}`, reason: 'user-not-found' });
      const answer = await ctx.session.request('object.extract-masked', { username: user.username });
      if (answer.error_code !== 0) return cmuFailure(ctx, 'syncUser', answer);
      return succeeded('ExtractMaskedObject: 0x0 !\nInsertMaskedObject: 0x0 !\nsyncUser success');
    },
  },
  {
    path: ['server'],
    roles: 'everyone',
    help: 'Enter server mode on one HSM: server <id> (leave with exit)',
    flags: [positional('id', 'Server id', 'int')],
    examples: [{ line: 'server 0', answer: "Server is in 'E2' mode..." }],
    async run(f, ctx) {
      const server = ctx.servers().find((s) => s.index === f.int('id'));
      if (!server || server.state !== 'live') return cmuArgumentError('server', `server ${f.int('id')} is not connected`);
      ctx.state.server = server.index;
      return succeeded("Server is in 'E2' mode...");
    },
  },
  {
    path: ['exit'],
    roles: 'everyone',
    help: 'Leave server mode (in global mode: leave the tool)',
    flags: [],
    examples: [{ line: 'exit', answer: '' }],
    async run(_f, ctx) {
      if (ctx.state.server === undefined) return { output: '', error_code: 0, exit: true };
      ctx.state.server = undefined;
      return succeeded('');
    },
  },
  {
    path: ['quit'],
    roles: 'everyone',
    help: 'Leave cloudhsm_mgmt_util',
    flags: [],
    examples: [{ line: 'quit', answer: '' }],
    run: async () => ({ output: '', error_code: 0, exit: true }),
  },
];

