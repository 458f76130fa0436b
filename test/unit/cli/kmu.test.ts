/**
 * key_mgmt_util: every command's documented output (spec §9) run as a crypto user, the refusals
 * per user type, the permission table (spec §2.2) generated from POLICY and each command's role
 * rule for PRECO, CO, CU, AU and no login, and completion with single-dash flags.
 * @module
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { completeKmu, executeKmu } from '../../../src/cli/kmu/execute.ts';
import { KMU } from '../../../src/cli/kmu/table.ts';
import { codeForFailure, formatCode, INVALID_USER_TYPE } from '../../../src/cli/legacy/error-catalogue.ts';
import { buildWorld, cmuContext, CU_PW, isPolicyRefusal, kmuContext, ROLES_UNDER_TEST, ruleAllows, sessionAs, type LegacyWorld } from './cmu-kmu-world.ts';
import { executeCmu } from '../../../src/cli/cmu/execute.ts';
import { quorumLines } from '../../../src/cli/kmu/key-commands.ts';

let world: LegacyWorld;
let fresh = 0;

/** A key alice owns and may lose (deleteKey). */
async function freshKey(): Promise<number> {
  const out = (await executeKmu(`genSymKey -t 31 -s 16 -l doomed${fresh++}`, world.alice)).output;
  return Number(/Key Handle: (\d+)/.exec(out)?.[1]);
}

interface Case {
  /** A valid line, made in the world. */
  line(): Promise<string> | string;
  /** Lines of the documented answer a crypto user gets (spec §9), each a RegExp over the whole output. */
  documented: readonly RegExp[];
}

const ok = (call: string) => new RegExp(`^\\tCfm3${call} returned: 0x00 : HSM Return: SUCCESS$`, 'm');
const k = () => world.keys;

const CASES: Record<string, Case> = {
  loginHSM: { line: () => `loginHSM -u CU -s bob -p ${CU_PW}`, documented: [ok('LoginHSM')] },
  logoutHSM: { line: () => 'logoutHSM', documented: [ok('LogoutHSM')] },
  listUsers: { line: () => 'listUsers', documented: [/^\tNumber Of Users found 5$/m, /^\t1\s+1\s+CO\s+admin\s+NO\s+0\s+NO$/m, /^\t5\s+5\s+CU\s+carol/m, ok('ListUsers')] },
  Error2String: { line: () => 'Error2String -r 0xdb', documented: [/^\tError Code db maps to HSM Error: Invalid User Type\.$/m] },
  exit: { line: () => 'exit', documented: [] },
  genSymKey: { line: () => 'genSymKey -t 31 -s 16 -l aes128', documented: [ok('GenerateSymmetricKey'), /^\tSymmetric Key Created\.  Key Handle: \d+$/m] },
  genECCKeyPair: { line: () => 'genECCKeyPair -i 16 -l k1', documented: [/^\tCfm3GenerateKeyPair:    public key handle: \d+    private key handle: \d+$/m] },
  genRSAKeyPair: { line: () => 'genRSAKeyPair -m 2048 -e 65537 -l rsa', documented: [/^\tCfm3GenerateKeyPair:    public key handle: \d+    private key handle: \d+$/m] },
  genPBEKey: { line: () => 'genPBEKey -l pbe -p secret', documented: [/^\tCfm3GeneratePBEKey returned: 0xb3 : HSM Error: This operation violates the current configured\/FIPS policies$/m] },
  findKey: { line: () => 'findKey -l payload', documented: [/^\tTotal number of keys present \d+$/m, /^\t number of keys matched from start index 0::0$/m, ok('FindKey')] },
  findSingleKey: { line: () => `findSingleKey -k ${k().aes}`, documented: [ok('FindSingleKey')] },
  getAttribute: { line: () => `getAttribute -o ${k().aes} -a 512 -out attrs.txt`, documented: [/^\tgot all attributes of size \d+ attr cnt \d+$/m, /^\tAttributes dumped into attrs\.txt file$/m] },
  setAttribute: { line: () => `setAttribute -o ${k().aes} -a 1`, documented: [ok('SetAttributeValue')] },
  getKeyInfo: { line: () => `getKeyInfo -k ${k().aes}`, documented: [/^\tToken Key,$/m, /^\tOwned by user 3$/m] },
  deleteKey: { line: async () => `deleteKey -k ${await freshKey()}`, documented: [ok('DeleteKey')] },
  sign: { line: () => `sign -f msg.txt -k ${k().priv} -m 17 -out sig.bin`, documented: [/^\tsignature is written to file sig\.bin$/m] },
  verify: { line: () => `verify -f msg.txt -s msg.sig -k ${k().pub} -m 17`, documented: [/^\tSignature verification successful$/m] },
  wrapKey: { line: () => `wrapKey -k ${k().payload} -w ${k().aes} -m 4 -out w.key`, documented: [/^\tKey Wrapped\.$/m, /^\tWrapped Key written to file "w\.key" length \d+$/m] },
  unWrapKey: { line: () => `unWrapKey -f wrapped.key -w ${k().aes} -m 4`, documented: [/^\tKey Unwrapped\.  Key Handle: \d+$/m] },
  exSymKey: { line: () => `exSymKey -k ${k().payload} -w ${k().aes} -out ex.key`, documented: [ok('WrapKey'), /^Wrapped Symmetric Key written to file "ex\.key"$/m] },
  imSymKey: { line: () => `imSymKey -f payload.key -w ${k().aes} -t 31 -l imported`, documented: [ok('UnWrapKey'), /^\tSymmetric Key Unwrapped\.  Key Handle: \d+$/m] },
  exportPubKey: { line: () => `exportPubKey -k ${k().pub} -out p.pem`, documented: [/^\tPEM formatted public key is written to p\.pem$/m] },
  importPubKey: { line: () => 'importPubKey -l imp -f pub.pem', documented: [/^\tPublic Key Handle: \d+$/m] },
  aesWrapUnwrap: { line: () => `aesWrapUnwrap -m 1 -f kw.bin -w ${k().aes}`, documented: [/^\tWarning: IV \(-i\) is missing\.$/m, /^\t {9}0xA6A6A6A6A6A6A6A6 is considered as default IV$/m, /^result data:$/m, ok('WrapHostKey')] },
  extractMaskedObject: { line: () => `extractMaskedObject -o ${k().payload} -out m.obj`, documented: [/^\tObject was masked and written to file "m\.obj"$/m] },
  insertMaskedObject: { line: () => 'insertMaskedObject -f masked.obj', documented: [/^\tNew Key Handle: \d+$/m] },
};

/** Commands refused for everyone before any request (spec §9: genPBEKey is not supported). */
const NEVER_SENT = new Set(['genPBEKey']);

beforeAll(async () => {
  world = await buildWorld('kmu-tests');
}, 60_000);

describe('KMU command table', () => {
  it('has a documented case for every command', () => {
    expect(KMU.commands.map((c) => c.path.join(' ')).sort()).toEqual(Object.keys(CASES).sort());
  });

  it.each(Object.keys(CASES))('%s prints its documented lines for a crypto user', async (name) => {
    const c = CASES[name]!;
    const { cluster, session } = await sessionAs(world, name === 'loginHSM' ? 'unauthenticated' : 'crypto-user', `doc-${name}`);
    const ctx = kmuContext(world, cluster, session);
    const result = await executeKmu(await c.line(), ctx);
    for (const line of c.documented) expect(result.output, result.output).toMatch(line);
    if (name !== 'genPBEKey') {
      expect(result.error_code, result.output).toBe(0);
      if (result.output.includes('Cfm3') && name !== 'Error2String') {
        for (const s of cluster.hsms) expect(result.output).toContain(`\tNode id ${s.index} and err state 0x00000000 : HSM Return: SUCCESS`);
      }
    }
  }, 30_000);
});

describe('KMU refusals per user type', () => {
  it.each(['CO', 'PCO', 'PRECO', 'AU', 'cu'])('loginHSM -u %s is refused with 0xdb', async (type) => {
    const ctx = kmuContext(world, world.cluster, world.cluster.openSession());
    const r = await executeKmu(`loginHSM -u ${type} -s admin -p password`, ctx);
    expect(r.error_code).toBe(1);
    expect(r.output).toContain(`\tCfm3LoginHSM returned: ${formatCode(INVALID_USER_TYPE.code)} : ${INVALID_USER_TYPE.text}`);
    expect(ctx.session.identity).toBeUndefined();
  });

  it('reports the catalogue code of each HSM refusal (0xa8 unknown handle, 0xaf not extractable, 0xa4 no login)', async () => {
    expect((await executeKmu('deleteKey -k 424242', world.alice)).output).toContain(`returned: 0xa8 : ${codeForFailure({ reason: 'key-not-found' }).text}`);
    const nex = Number(/Key Handle: (\d+)/.exec((await executeKmu('genSymKey -t 31 -s 16 -l nex -nex', world.alice)).output)?.[1]);
    expect((await executeKmu(`exSymKey -k ${nex} -w ${world.keys.aes} -out x.key`, world.alice)).output).toContain('Cfm3WrapKey returned: 0xaf : HSM Error: Key is not extractable');
    const none = kmuContext(world, world.cluster, world.cluster.openSession());
    expect((await executeKmu('findKey', none)).output).toContain('returned: 0xa4 : HSM Error: User is not logged in');
  });

  it('a second loginHSM in a logged-in session is 0xa2 "already logged in", not 0xc6 (which is about a key)', async () => {
    const r = await executeKmu(`loginHSM -u CU -s alice -p ${CU_PW}`, world.alice);
    expect(r.error_code).toBe(1);
    expect(r.output).toContain('\tCfm3LoginHSM returned: 0xa2 : HSM Error: User is already logged in');
    expect(r.output).not.toContain('0xc6');
    expect(world.alice.session.identity?.username).toBe('alice');
  });

  it('exSymKey and imSymKey carry the same key bytes, and aesWrapUnwrap round-trips with a caller IV', async () => {
    const bytes = world.files.read('payload.key')!;
    expect(bytes.length).toBe(16);
    const imported = Number(/Key Handle: (\d+)/.exec((await executeKmu(`imSymKey -f payload.key -w ${world.keys.aes} -t 31 -l copy`, world.alice)).output)?.[1]);
    const kcv = async (h: number) => {
      await executeKmu(`getAttribute -o ${h} -a 371 -out kcv.txt`, world.alice);
      return world.files.readText('kcv.txt');
    };
    expect(await kcv(imported)).toBe(await kcv(world.keys.payload));
    const wrapped = await executeKmu(`aesWrapUnwrap -m 1 -f kw.bin -w ${world.keys.aes} -i 0102030405060708 -out kw.wrapped`, world.alice);
    expect(wrapped.output).not.toContain('Warning');
    expect(wrapped.output).toContain('result written to file kw.wrapped');
    expect(world.files.read('kw.wrapped')!.length).toBe(32);
    const back = await executeKmu(`aesWrapUnwrap -m 0 -f kw.wrapped -w ${world.keys.aes} -i 0102030405060708 -out kw.back`, world.alice);
    expect(back.output).toContain('Cfm3UnWrapHostKey returned: 0x00');
    expect([...world.files.read('kw.back')!]).toEqual([...world.files.read('kw.bin')!]);
    const wrongIv = await executeKmu(`aesWrapUnwrap -m 0 -f kw.wrapped -w ${world.keys.aes}`, world.alice);
    expect(wrongIv.error_code).toBe(1);
    expect((await executeKmu(`imSymKey -f payload.key -w ${world.keys.aes} -t 21 -l des`, world.alice)).output).toContain('returned: 0xb3');
    expect((await executeKmu(`exSymKey -k ${world.keys.payload} -w ${world.keys.aes} -m 5 -out y.key`, world.alice)).error_code).toBe(1);
  });
});

describe('KMU permission table (generated from POLICY and the command rules)', () => {
  const pairs = KMU.commands
    .filter((c) => c.roles !== 'everyone' && !NEVER_SENT.has(c.path.join(' ')))
    .flatMap((c) => ROLES_UNDER_TEST.map((role) => [c.path.join(' '), role] as const));

  it.each(pairs)('%s as %s', async (name, role) => {
    const command = KMU.commands.find((c) => c.path.join(' ') === name)!;
    const { cluster, session } = await sessionAs(world, role, `perm-${name}-${role}`);
    const line = await CASES[name]!.line();
    const result = await executeKmu(line, kmuContext(world, cluster, session));
    expect(isPolicyRefusal(result.output), `${line}\n${result.output}`).toBe(!ruleAllows(command.roles, role));
    if (cluster !== world.cluster) cluster.dispose();
  }, 30_000);
});

describe('KMU completion (single-dash flags)', () => {
  it('completes command names, then the flags not yet given, with -h', () => {
    expect(completeKmu('gen').candidates).toEqual(['genECCKeyPair', 'genPBEKey', 'genRSAKeyPair', 'genSymKey']);
    expect(completeKmu('exS')).toEqual({ start: 0, candidates: ['exSymKey'] });
    expect(completeKmu('exSymKey -').candidates).toEqual(['-h', '-k', '-m', '-out', '-w']);
    expect(completeKmu('exSymKey -k 6 -').candidates).toEqual(['-h', '-m', '-out', '-w']);
    expect(completeKmu('imSymKey -s').candidates).toEqual(['-sess']);
  });
  it('offers nothing while a flag value is typed, and flags again after it', () => {
    expect(completeKmu('genSymKey -l ').candidates).toEqual([]);
    expect(completeKmu('genSymKey -t 31 -s 16 -l x ').candidates).toContain('-nex');
    expect(completeKmu('genSymKey -t 31 -s 16 -l x ').candidates).not.toContain('-t');
  });
});

describe('KMU -m_value (spec §6.3: per-key quorum for use, share and unshare)', () => {
  const quorumOf = async (label: string) => {
    const listed = await world.alice.session.request('key.list', { filter: [`attr.label=${label}`], verbose: true });
    const keys = (listed.data as { matched_keys: { 'key-info': { 'key-quorum-values': unknown } }[] }).matched_keys;
    return keys.map((k) => k['key-info']['key-quorum-values']);
  };

  it('sets both key quorum values, and getKeyInfo (KMU and CMU) says how many users must approve', async () => {
    const made = await executeKmu('genSymKey -t 31 -s 16 -l quorum-key -m_value 2 -u 4', world.alice);
    expect(made.error_code, made.output).toBe(0);
    const handle = Number(/Key Handle: (\d+)/.exec(made.output)?.[1]);
    expect(await quorumOf('quorum-key')).toEqual([{ 'manage-key-quorum-value': 2, 'use-key-quorum-value': 2 }]);
    const kmuInfo = await executeKmu(`getKeyInfo -k ${handle}`, world.alice);
    expect(kmuInfo.output).toMatch(/^\t2 Users need to approve to use\/manage this key$/m);
    const { cluster, session } = await sessionAs(world, 'crypto-user', 'm-value-cmu');
    const cmuInfo = await executeCmu(`getKeyInfo -k ${handle}`, cmuContext(world, cluster, session));
    expect(cmuInfo.output).toMatch(/^\t2 Users need to approve to use\/manage this key$/m);
    // A key without -m_value says nothing about approvals.
    expect((await executeKmu(`getKeyInfo -k ${world.keys.aes}`, world.alice)).output).not.toContain('Users need to approve');
  });

  it('refuses a value above the owner plus the shared users, creating nothing', async () => {
    const refused = await executeKmu('genSymKey -t 31 -s 16 -l too-many -m_value 3 -u 4', world.alice);
    expect(refused.error_code).toBe(1);
    expect(refused.output).toContain('Cfm3GenerateSymmetricKey returned: 0x');
    expect(refused.output).not.toContain('returned: 0x00');
    expect(await quorumOf('too-many')).toEqual([]);
    expect((await executeKmu('genSymKey -t 31 -s 16 -l nine -m_value 9', world.alice)).error_code).toBe(1);
  });

  it('unWrapKey takes -m_value and -u too', async () => {
    const r = await executeKmu(`unWrapKey -f wrapped.key -w ${world.keys.aes} -m 4 -l unwrapped-quorum -m_value 2 -u 4`, world.alice);
    expect(r.error_code, r.output).toBe(0);
    expect(await quorumOf('unwrapped-quorum')).toEqual([{ 'manage-key-quorum-value': 2, 'use-key-quorum-value': 2 }]);
  });
});

describe('getKeyInfo quorum lines', () => {
  it('prints one use/manage line when the values agree, one line each when they differ, nothing at 0', () => {
    expect(quorumLines({ 'use-key-quorum-value': 2, 'manage-key-quorum-value': 2 })).toEqual(['2 Users need to approve to use/manage this key']);
    expect(quorumLines({ 'use-key-quorum-value': 0, 'manage-key-quorum-value': 3 })).toEqual(['3 Users need to approve to manage this key']);
    expect(quorumLines({ 'use-key-quorum-value': 1, 'manage-key-quorum-value': 2 })).toEqual(['1 Users need to approve to use this key', '2 Users need to approve to manage this key']);
    expect(quorumLines({ 'use-key-quorum-value': 0, 'manage-key-quorum-value': 0 })).toEqual([]);
  });
});
