import { describe, expect, it } from 'vitest';
import { commandOps } from '../../../src/cli/cloudhsm-cli/command.ts';
import { CLOUDHSM_CLI } from '../../../src/cli/cloudhsm-cli/table.ts';
import { parseLine } from '../../../src/cli/machinery/parser.ts';
import { QUICK_ACTIONS, SAMPLE_DATA, base64Text, loginRole, type ActionContext } from '../../../src/ui/quick-actions.ts';
import { publicHalf, type KeyView } from '../../../src/ui/session-view.ts';

const keys: KeyView[] = [
  { 'key-reference': '0x0000000000000010', attributes: { class: 'public-key', 'key-type': 'ec', label: 'p-pub', 'ec-point': '0x04aa' } },
  { 'key-reference': '0x0000000000000011', attributes: { class: 'private-key', 'key-type': 'ec', label: 'p-priv', 'ec-point': '0x04aa' } },
  { 'key-reference': '0x0000000000000012', attributes: { class: 'public-key', 'key-type': 'ec', label: 'other', 'ec-point': '0x04bb' } },
];

const answers: Record<string, string> = { 'Username:': 'alice', 'Role (admin, crypto-user or appliance):': 'crypto-user', 'New crypto user name:': 'bob' };
const ctx: ActionContext = {
  ask: async (q) => answers[q] ?? '',
  ecPrivateLabels: () => ['p-priv'],
  lastSignature: () => ({ privateLabel: 'p-priv', data: SAMPLE_DATA, signature: 'c2ln' }),
  publicKeyOf: (label) => publicHalf(keys, label),
  uniqueSuffix: () => 'x1',
};

describe('quick actions', () => {
  it('every action builds a valid cloudhsm-cli line whose command sends the op the button is gated on', async () => {
    for (const action of QUICK_ACTIONS) {
      const line = await action.build(ctx);
      expect(line, action.id).toBeDefined();
      const parsed = parseLine(CLOUDHSM_CLI, line as string);
      expect(parsed.kind, `${action.id}: ${line}`).toBe('command');
      if (parsed.kind === 'command') expect(commandOps(parsed.command), action.id).toContain(action.op);
    }
  });

  it('builds the lines a learner would type', async () => {
    const byId = (id: string) => QUICK_ACTIONS.find((a) => a.id === id)!.build(ctx);
    expect(await byId('login')).toBe('login --username alice --role crypto-user');
    expect(await byId('user-create')).toBe('user create --username bob --role crypto-user');
    expect(await byId('sign')).toBe(`crypto sign ecdsa --key-filter attr.label=p-priv --hash-function sha256 --data ${SAMPLE_DATA}`);
    expect(await byId('verify')).toBe(`crypto verify ecdsa --key-filter key-reference=0x0000000000000010 --hash-function sha256 --data ${SAMPLE_DATA} --signature c2ln`);
    expect(await byId('gen-ec')).toContain('--private-attributes sign=true');
  });

  it('gives up (undefined) when the user answers nonsense or nothing fits', async () => {
    const empty: ActionContext = { ...ctx, ask: async () => 'not a name!', ecPrivateLabels: () => [], lastSignature: () => undefined };
    for (const id of ['login', 'user-create', 'sign', 'verify']) {
      expect(await QUICK_ACTIONS.find((a) => a.id === id)!.build(empty), id).toBeUndefined();
    }
  });

  it('Log in takes the role as a learner types it (any case, CMU names) and builds the CLI value', async () => {
    for (const [typed, role] of [['Admin', 'admin'], ['CO', 'admin'], ['crypto user', 'crypto-user'], ['CU', 'crypto-user'], [' crypto_user ', 'crypto-user'], ['AU', 'appliance'], ['appliance-user', 'appliance']] as const) {
      expect(loginRole(typed), typed).toBe(role);
      const asked: ActionContext = { ...ctx, ask: async (q) => (q.startsWith('Role') ? typed : 'alice') };
      expect(await QUICK_ACTIONS.find((a) => a.id === 'login')!.build(asked), typed).toBe(`login --username alice --role ${role}`);
    }
    expect(loginRole('root')).toBeUndefined();
  });

  it('says what was wrong with an answer instead of a bare "Nothing to run."', async () => {
    const told: string[] = [];
    const build = (id: string, answer: (q: string) => string) =>
      QUICK_ACTIONS.find((a) => a.id === id)!.build({ ...ctx, ask: async (q) => answer(q), explain: (p) => told.push(p) });
    expect(await build('login', (q) => (q.startsWith('Role') ? 'superuser' : 'alice'))).toBeUndefined();
    expect(await build('login', () => 'alice smith')).toBeUndefined();
    expect(await build('user-create', () => '')).toBeUndefined();
    expect(told).toEqual([
      '"superuser" is not a role: answer admin (CO), crypto-user (CU) or appliance (AU). Nothing run.',
      '"alice smith" is not a user name (letters, digits, _ . and - only): nothing run.',
      'No user name given: nothing run.',
    ]);
  });

  it('finds the public half of a pair by its EC point', () => {
    expect(publicHalf(keys, 'p-priv')).toBe('0x0000000000000010');
    expect(publicHalf(keys, 'missing')).toBeUndefined();
  });

  it('encodes sample data as base64 of UTF-8', () => {
    expect(base64Text('Hello, HSM!')).toBe('SGVsbG8sIEhTTSE=');
  });
});
