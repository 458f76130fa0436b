/**
 * CMU quorum (M of N) and 2FA commands (spec §6.3, §7.2): registerQuorumPubKey, getToken,
 * approveToken, listTokens, getMValue, setMValue, delToken, and the `-2fa` login step. CMU's
 * model: the requester gets a token file (the raw approval data), approvers sign it with
 * `openssl dgst -sha256 -sign key.pem -out approver.sig token`, the requester hands the
 * signatures over with `approveToken <approval file>`, and the next quorum-protected command of
 * the session (createUser, deleteUser, changePswd of another user, setMValue) presents them —
 * the HSM judges them exactly as cloudhsm-cli's `--approval` (an `openssl dgst -sha256` signature
 * of the file is the token-sign approval of its SHA-256).
 * @module
 */
import { fromBase64, fromUtf8, toBase64, toHex, utf8 } from '../../crypto/bytes.ts';
import { digest } from '../../crypto/hash.ts';
import { fromPem } from '../../crypto/keys-encoding.ts';
import { MFA_REQUIRED } from '../../hsm/quorum/mfa-messages.ts';
import type { ApprovalArg, QuorumService, SignedChallenge } from '../../hsm/requests.ts';
import { positional, succeeded, type LegacyCommand } from '../legacy/command.ts';
import { serverName, type LegacyResult } from '../legacy/context.ts';
import { readFileOrFail } from '../cloudhsm-cli/command.ts';
import { cmuArgumentError, cmuFailure, cmuRequest, cmuSuccessLines, confirm, targetServers, type CmuContext } from './run.ts';

/** CMU service numbers (spec §6.3). */
export const CMU_SERVICES: Readonly<Record<string, { readonly name: string; readonly service: QuorumService }>> = {
  '3': { name: 'USER_MGMT', service: 'user' },
  '4': { name: 'MISC_CO', service: 'quorum' },
};

/** Asked after the unsigned authdata file was written ([SIM] wording). */
export const SIGNED_AUTHDATA_PROMPT = 'Enter the signed authdata file path (press enter if same as the unsigned file):';

/**
 * What a CMU session remembers between lines: its tokens' services and the approvals handed
 * over, by service (`any` when the service of the token could not be told: the next protected
 * command of any service presents it).
 */
interface QuorumMemory {
  readonly services: Map<string, QuorumService>;
  readonly approved: Map<QuorumService | 'any', ApprovalArg>;
}
const memories = new WeakMap<object, QuorumMemory>();

function memoryOf(ctx: CmuContext): QuorumMemory {
  let memory = memories.get(ctx.state);
  if (!memory) {
    memory = { services: new Map(), approved: new Map() };
    memories.set(ctx.state, memory);
  }
  return memory;
}

/** `{ approval }` for the next protected command of `service`, when approveToken handed one over. */
export function pendingApproval(ctx: CmuContext, service: QuorumService): { approval?: ApprovalArg } {
  const approved = memoryOf(ctx).approved;
  const approval = approved.get(service) ?? approved.get('any');
  return approval ? { approval } : {};
}

/** After a protected command succeeded: its token is spent, on every HSM. */
export async function spendApproval(ctx: CmuContext, service: QuorumService, result: LegacyResult): Promise<LegacyResult> {
  const memory = memoryOf(ctx);
  const key = memory.approved.has(service) ? service : 'any';
  const approval = memory.approved.get(key);
  if (result.error_code === 0 && approval) {
    memory.approved.delete(key);
    await ctx.session.request('quorum.token-discard', { token: approval.token });
  }
  return result;
}

function serviceArg(command: string, raw: string): { name: string; service: QuorumService } | LegacyResult {
  const known = CMU_SERVICES[raw];
  return known ?? cmuArgumentError(command, `invalid service '${raw}': expected 3 (USER_MGMT) or 4 (MISC_CO)`);
}

/** Reads `Key = value;` lines of a CMU token approval file, in order (`#` starts a comment). */
export function parseApprovalText(text: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*$/, '');
    for (const part of line.split(';')) {
      const eq = part.indexOf('=');
      if (eq < 0) continue;
      pairs.push([part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim()]);
    }
  }
  return pairs;
}

/** A signature file as openssl writes it (raw bytes), or base64 text of one. */
function signatureBytes(bytes: Uint8Array): Uint8Array {
  if (bytes.length === 256) return bytes;
  try {
    const decoded = fromBase64(fromUtf8(bytes).trim());
    if (decoded.length === 256) return decoded;
  } catch {
    // not base64: fall through
  }
  return bytes;
}

/** The 2FA authdata file (spec §7.2): one Data entry per HSM. */
function authdataFile(challenges: readonly { hsm: number; unsigned: Uint8Array }[]): Uint8Array {
  const file = { Version: '1.0', PublicKey: '', Data: challenges.map((c) => ({ HsmId: `hsm-${c.hsm}`, Digest: toBase64(c.unsigned), Signature: '' })) };
  return utf8(`${JSON.stringify(file, null, 2)}\n`);
}

function parseAuthdata(bytes: Uint8Array, path: string): { publicKey?: Uint8Array; signed: SignedChallenge[] } {
  let file: { PublicKey?: unknown; Data?: unknown };
  try {
    file = JSON.parse(fromUtf8(bytes)) as typeof file;
  } catch (e) {
    throw new Error(`Authdata file '${path}' is not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(file.Data) || file.Data.length === 0) throw new Error(`Authdata file '${path}': Data must list one entry per HSM`);
  const signed = (file.Data as { Digest?: unknown; Signature?: unknown }[]).map((d, i) => {
    if (typeof d.Digest !== 'string' || typeof d.Signature !== 'string' || d.Signature === '') {
      throw new Error(`Authdata file '${path}': Data[${i}] needs its Digest signed (fill in "Signature")`);
    }
    return { unsigned: fromBase64(d.Digest), signed: fromBase64(d.Signature) };
  });
  const pem = typeof file.PublicKey === 'string' && file.PublicKey.trim() !== '' ? file.PublicKey : undefined;
  return { signed, ...(pem ? { publicKey: fromPem(pem).der } : {}) };
}

/** Write the unsigned authdata file for these challenges and ask for the signed one; its path. */
async function askForSignedAuthdata(ctx: CmuContext, path: string, challenges: readonly { hsm: number; unsigned: Uint8Array }[]): Promise<string> {
  await ctx.io.writeFile(path, authdataFile(challenges));
  const answer = (await ctx.io.prompt(SIGNED_AUTHDATA_PROMPT, { secret: false })).trim();
  return answer === '' ? path : answer;
}

/** Write the unsigned authdata file for these challenges, ask for the signed one, read it back. */
async function signedAuthdata(ctx: CmuContext, path: string, challenges: readonly { hsm: number; unsigned: Uint8Array }[]) {
  const signedPath = await askForSignedAuthdata(ctx, path, challenges);
  return parseAuthdata(await readFileOrFail(ctx.io, signedPath), signedPath);
}

function challengeList(data: unknown): { hsm: number; unsigned: Uint8Array }[] {
  return [...((data as { hsms?: { hsm: number; unsigned: Uint8Array }[] }).hsms ?? [])].sort((a, b) => a.hsm - b.hsm);
}

/**
 * `loginHSM CO <user> <pw> -2fa <path>` (spec §7.2): the login with one signed digest per HSM.
 * For a user without 2FA the prompts appear but the second factor is ignored, so an unsigned or
 * unreadable signed file only matters when the HSM says the user needs it.
 */
export async function loginWithTwoFactor(ctx: CmuContext, who: { username: string; role: 'admin' | 'crypto-user' | 'appliance' }, password: string, path: string) {
  const challenge = await ctx.session.request('session.mfa-challenge', { username: who.username, role: who.role });
  if (challenge.error_code !== 0) return challenge;
  const signedPath = await askForSignedAuthdata(ctx, path, challengeList(challenge.data));
  let signed: SignedChallenge[] | undefined;
  let problem: unknown;
  try {
    signed = parseAuthdata(await readFileOrFail(ctx.io, signedPath), signedPath).signed;
  } catch (e) {
    problem = e;
  }
  const answer = await ctx.session.request('session.login', { ...who, password, ...(signed ? { mfaTokens: signed } : {}) });
  if (problem !== undefined && answer.error_code !== 0 && answer.data === MFA_REQUIRED) throw problem;
  return answer;
}

/**
 * `createUser CO … -2fa <path>` / `changePswd CO … -2fa <path>` (spec §7.2): register (or rotate)
 * the user's 2FA key from a signed authdata file carrying the PublicKey.
 */
export async function registerTwoFactor(ctx: CmuContext, who: { username: string; role: 'admin' | 'crypto-user' }, path: string) {
  const challenge = await ctx.session.request('user.mfa-challenge', who);
  if (challenge.error_code !== 0) return challenge;
  const { signed, publicKey } = await signedAuthdata(ctx, path, challengeList(challenge.data));
  if (!publicKey) throw new Error(`Authdata file '${path}': fill in PublicKey with your public key PEM`);
  return ctx.session.request('user.change-mfa', { ...who, publicKey, signedTokens: signed });
}

export const CMU_QUORUM_COMMANDS: readonly LegacyCommand<CmuContext>[] = [
  {
    path: ['registerQuorumPubKey'],
    roles: { allOf: ['user.register-quorum-key'] },
    help: 'Register your quorum public key: registerQuorumPubKey CO <user> <token file> <signature file> <public key PEM>',
    details: 'Sign any token file of yours with: openssl dgst -sha256 -sign officer.key -out officer.token.sig officer.token',
    flags: [
      positional('type', 'User type (CO)'),
      positional('user', 'Your user name'),
      positional('token', 'The token file you signed'),
      positional('signature', 'Its signature (openssl dgst -sha256 -sign)'),
      positional('pubkey', 'Your RSA-2048 public key PEM'),
    ],
    examples: [{ line: 'registerQuorumPubKey CO officer1 officer1.token officer1.token.sig officer1.pub', answer: 'registerQuorumPubKey success on server 0(10.0.0.1)' }],
    async run(f, ctx) {
      if (f.string('type') !== 'CO') return cmuArgumentError('registerQuorumPubKey', `only crypto officers (CO) register quorum keys, got '${f.string('type')}'`);
      const me = ctx.session.identity?.username;
      if (me !== undefined && f.string('user').toLowerCase() !== me) return cmuArgumentError('registerQuorumPubKey', `you are logged in as ${me}: register your own key`);
      const signedData = await readFileOrFail(ctx.io, f.string('token'));
      const signature = signatureBytes(await readFileOrFail(ctx.io, f.string('signature')));
      const pemText = fromUtf8(await readFileOrFail(ctx.io, f.string('pubkey')));
      let publicKey: Uint8Array;
      try {
        publicKey = fromPem(pemText).der;
      } catch (e) {
        return cmuArgumentError('registerQuorumPubKey', `'${f.string('pubkey')}' is not a PEM public key: ${(e as Error).message}`);
      }
      if (!(await confirm(ctx))) return succeeded('');
      return cmuRequest(ctx, 'registerQuorumPubKey', 'user.register-quorum-key', { publicKey, signature, signedData });
    },
  },
  {
    path: ['getToken'],
    roles: { allOf: ['quorum.draw-approval-data', 'quorum.token-generate'] },
    help: 'Get a quorum token for a service and write it to a file: getToken <service 3|4> <user> <file>',
    details: 'Approvers sign the file with: openssl dgst -sha256 -sign approver.key -out approver.sig <file>',
    flags: [positional('service', 'Service: 3 (USER_MGMT) or 4 (MISC_CO)'), positional('user', 'Your user name'), positional('file', 'File to write the token to')],
    examples: [{ line: 'getToken 3 officer1 officer1.token', answer: 'getToken success on server 0(10.0.0.1)' }],
    async run(f, ctx) {
      const svc = serviceArg('getToken', f.string('service'));
      if ('output' in svc) return svc;
      const me = ctx.session.identity?.username;
      if (me !== undefined && f.string('user').toLowerCase() !== me) return cmuArgumentError('getToken', `you are logged in as ${me}: get a token of your own`);
      const drawn = await ctx.session.request('quorum.draw-approval-data', {});
      if (drawn.error_code !== 0) return cmuFailure(ctx, 'getToken', drawn);
      const approvalData = (drawn.data as { 'approval-data': Uint8Array })['approval-data'];
      // The file first: if it cannot be written, no token is made (nor replaces the user's last one).
      try {
        await ctx.io.writeFile(f.string('file'), approvalData);
      } catch (e) {
        return cmuArgumentError('getToken', `could not write the token file: ${e instanceof Error ? e.message : String(e)}`);
      }
      const made = await ctx.session.request('quorum.token-generate', { service: svc.service, approvalData });
      if (made.error_code !== 0) return cmuFailure(ctx, 'getToken', made);
      memoryOf(ctx).services.set(toHex(digest('sha256', approvalData)), svc.service);
      return cmuSuccessLines(ctx, 'getToken');
    },
  },
  {
    path: ['approveToken'],
    // It checks the session's live tokens (quorum.token-list) to tell the token's service.
    roles: { allOf: ['quorum.token-list'] },
    help: "Hand over the approvers' signatures of your token: approveToken <token approval file>",
    details:
      'The approval file lists "Token File Path = …;" then, per approver, "Approver Type = 2; Approver Name = …; Approval File = …;". ' +
      'The next quorum-protected command of this session presents them.',
    flags: [positional('file', 'Token approval file')],
    examples: [{ line: 'approveToken officer1.approval', answer: 'approveToken success on server 0(10.0.0.1)' }],
    async run(f, ctx) {
      const path = f.string('file');
      const pairs = parseApprovalText(fromUtf8(await readFileOrFail(ctx.io, path)));
      const tokenPath = pairs.find(([k, v]) => k === 'token file path' && v !== '')?.[1];
      if (!tokenPath) return cmuArgumentError('approveToken', `'${path}' names no "Token File Path"`);
      const token = digest('sha256', await readFileOrFail(ctx.io, tokenPath));
      const listed = await ctx.session.request('quorum.token-list', {});
      if (listed.error_code !== 0) return cmuFailure(ctx, 'approveToken', listed);
      const mine = (listed.data as { tokens: { username: string; service: string }[] }).tokens.filter((t) => t.username === ctx.session.identity?.username);
      const services = [...new Set(mine.map((t) => t.service))].filter((s): s is QuorumService => s === 'user' || s === 'quorum');
      const service = memoryOf(ctx).services.get(toHex(token)) ?? (services.length === 1 ? services[0]! : 'any');
      const names = pairs.filter(([k]) => k === 'approver name').map(([, v]) => v);
      const files = pairs.filter(([k]) => k === 'approval file').map(([, v]) => v);
      if (names.length === 0 || names.length !== files.length) {
        return cmuArgumentError('approveToken', `'${path}' must give an "Approval File" for each of its ${names.length} "Approver Name" entries`);
      }
      const signatures = await Promise.all(names.map(async (username, i) => ({ username, signature: signatureBytes(await readFileOrFail(ctx.io, files[i]!)) })));
      memoryOf(ctx).approved.set(service, { token, signatures });
      return cmuSuccessLines(ctx, 'approveToken');
    },
  },
  {
    path: ['listTokens'],
    roles: { allOf: ['quorum.token-list'] },
    help: 'List the live quorum tokens',
    flags: [],
    examples: [{ line: 'listTokens', answer: 'Listing Tokens on server 0(10.0.0.1)\n  Token 1:\n    Service : 3\n    User : officer1\n    Token Validity: 597 sec\n    Required num of approvers : 2\n    Current num of approvals : 0' }],
    async run(_f, ctx) {
      const answer = await ctx.session.request('quorum.token-list', {});
      if (answer.error_code !== 0) return cmuFailure(ctx, 'listTokens', answer);
      const tokens = (answer.data as { tokens: { username: string; service: string; 'approvals-required': number; 'number-of-approvals': number; 'token-timeout-seconds': number }[] }).tokens;
      const number = (service: string) => Object.entries(CMU_SERVICES).find(([, s]) => s.service === service)?.[0] ?? service;
      const handed = memoryOf(ctx).approved;
      const lines = tokens.map((t, i) => {
        const local = handed.get(t.service as QuorumService)?.signatures.length ?? 0;
        return [
          `  Token ${i + 1}:`,
          `    Service : ${number(t.service)}`,
          `    User : ${t.username}`,
          `    Token Validity: ${t['token-timeout-seconds']} sec`,
          `    Required num of approvers : ${t['approvals-required']}`,
          `    Current num of approvals : ${Math.max(local, t['number-of-approvals'])}`,
        ].join('\n');
      });
      const blocks = targetServers(ctx).map((s) => [`Listing Tokens on ${serverName(s)}`, ...(lines.length ? lines : ['  No tokens'])].join('\n'));
      return succeeded(blocks.join('\n'));
    },
  },
  {
    path: ['getMValue'],
    roles: { allOf: ['quorum.list-values'] },
    help: 'Show the M value (approvals needed) of a service: getMValue <service 3|4>',
    flags: [positional('service', 'Service: 3 (USER_MGMT) or 4 (MISC_CO)')],
    examples: [{ line: 'getMValue 3', answer: 'MValue of service 3[USER_MGMT] on server 0 : [2]' }],
    async run(f, ctx) {
      const raw = f.string('service');
      const svc = serviceArg('getMValue', raw);
      if ('output' in svc) return svc;
      const answer = await ctx.session.request('quorum.list-values', {});
      if (answer.error_code !== 0) return cmuFailure(ctx, 'getMValue', answer);
      const value = (answer.data as Record<string, number>)[svc.service];
      return succeeded(targetServers(ctx).map((s) => `MValue of service ${raw}[${svc.name}] on server ${s.index} : [${value}]`).join('\n'));
    },
  },
  {
    path: ['setMValue'],
    roles: { allOf: ['quorum.set-value'] },
    help: 'Set the M value of a service: setMValue <service 3|4> <m 1..8>',
    flags: [positional('service', 'Service: 3 (USER_MGMT) or 4 (MISC_CO)'), positional('m', 'Approvals needed (1 to 8)', 'int')],
    examples: [{ line: 'setMValue 3 2', answer: 'Setting M Value(2) for 3 on 2 nodes\nsetMValue success on server 0(10.0.0.1)' }],
    async run(f, ctx) {
      const raw = f.string('service');
      const svc = serviceArg('setMValue', raw);
      if ('output' in svc) return svc;
      const m = f.int('m');
      if (!(await confirm(ctx))) return succeeded('');
      const result = await cmuRequest(ctx, 'setMValue', 'quorum.set-value', { service: svc.service, value: m, ...pendingApproval(ctx, 'quorum') }, [
        `Setting M Value(${m}) for ${raw} on ${targetServers(ctx).length} nodes`,
      ]);
      return spendApproval(ctx, 'quorum', result);
    },
  },
  {
    path: ['delToken'],
    roles: { allOf: ['quorum.token-delete'] },
    help: 'Delete your quorum tokens (and the approvals handed over for them)',
    flags: [],
    examples: [{ line: 'delToken', answer: 'delToken success on server 0(10.0.0.1)' }],
    async run(_f, ctx) {
      if (!(await confirm(ctx))) return succeeded('');
      const result = await cmuRequest(ctx, 'delToken', 'quorum.token-delete', { scope: 'user' });
      if (result.error_code === 0) {
        memoryOf(ctx).approved.clear();
        memoryOf(ctx).services.clear();
      }
      return result;
    },
  },
];
