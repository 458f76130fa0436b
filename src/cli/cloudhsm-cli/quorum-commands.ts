/**
 * cloudhsm-cli quorum and MFA commands (spec §4.2, §4.3, §4.4, §6, §7.1): `quorum token-sign …`,
 * `user change-quorum token-sign register`, `user change-mfa token-sign`, and
 * `login mfa-token-sign`. Token files are written and read through the Io port, and the signed
 * file path is asked for exactly as the real tool asks. Also the clean-up every protected command
 * needs after it succeeded: the token it spent is discarded on every HSM of the cluster.
 * @module
 */
import { fromPem } from '../../crypto/pem.ts';
import { fail, type Envelope } from '../../hsm/envelope.ts';
import { QUORUM_SERVICES, TOKEN_SERVICES } from '../../hsm/quorum/quorum-state.ts';
import { mfaTokenFile, operationTokenFile, parseSignedTokens, registrationTokenFile } from '../../hsm/quorum/token-format.ts';
import type { ApprovalArg, CliRoleArg, SignedChallenge, TokenService } from '../../hsm/requests.ts';
import type { Io } from '../machinery/io.ts';
import type { FlagSpec } from '../machinery/spec.ts';
import type { ParsedFlags } from '../machinery/parsed-flags.ts';
import type { ClusterSession } from '../session-port.ts';
import { success } from './example-answers.ts';
import { approvalArgs, approvalFlag, passwordFlag, readFileOrFail, requestCommand, roleFlag, roleOf, stringFlag, usernameFlag, USER_ROLES, type CliCommand, type FlowCommand } from './command.ts';

/** The real tool's prompt after it wrote an unsigned token file (spec §4.2). */
export const SIGNED_TOKEN_PROMPT = 'Enter signed token file path (press enter if same as the unsigned token file):';
/** Asked by `user change-mfa token-sign` (spec §4.3). */
export const PUBLIC_KEY_PROMPT = 'Enter public key PEM file path:';

/** Every token a protected request carried: `--approval`, `--payload-approval`, `--wrapping-approval`. */
function spentTokens(args: unknown): Uint8Array[] {
  const a = args as Record<string, ApprovalArg | undefined>;
  return [a['approval'], a['payloadApproval'], a['wrappingApproval']].flatMap((x) => (x && x.token instanceof Uint8Array ? [x.token] : []));
}

/**
 * After a protected command succeeded: discard its tokens on every HSM. Each HSM consumes the
 * token it judged, but a read (crypto sign) or a user write copied as a masked object runs on
 * one HSM only, and a token must not stay usable on the others.
 */
export async function discardSpentTokens(session: ClusterSession, args: unknown): Promise<void> {
  for (const token of spentTokens(args)) await session.request('quorum.token-discard', { token });
}

/** The per-HSM challenges of a challenge answer, in HSM order. */
function challengesOf(answer: Envelope): Uint8Array[] {
  const hsms = (answer.data as { hsms?: { hsm: number; unsigned: Uint8Array }[] }).hsms ?? [];
  return [...hsms].sort((a, b) => a.hsm - b.hsm).map((h) => h.unsigned);
}

/** Write the unsigned MFA file, ask for the signed one (Enter = the same path), read it back. */
async function signedChallenges(io: Io, path: string, challenges: readonly Uint8Array[]): Promise<SignedChallenge[]> {
  await io.writeFile(path, mfaTokenFile(challenges));
  const answer = (await io.prompt(SIGNED_TOKEN_PROMPT, { secret: false })).trim();
  const signedPath = answer === '' ? path : answer;
  return parseSignedTokens(await readFileOrFail(io, signedPath), signedPath);
}

async function publicKeyDer(io: Io, path: string): Promise<Uint8Array> {
  const text = new TextDecoder().decode(await readFileOrFail(io, path));
  try {
    return fromPem(text).der;
  } catch (e) {
    throw new Error(`Public key file '${path}' is not a PEM public key: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * `--change-password` of `user change-mfa token-sign` (spec §7.1): as in the real tool, the MFA
 * change sets the user's password too, and the password is asked for when left off.
 */
const CHANGE_PASSWORD_FLAG: FlagSpec = {
  name: 'change-password',
  type: 'string',
  help: "The user's new password (asked for when left off)",
  prompt: { text: 'Enter password:', confirm: 'Confirm password:', secret: true },
};

function flow(fields: Omit<FlowCommand, 'kind'>): FlowCommand {
  return { ...fields, kind: 'flow' };
}

export const QUORUM_COMMANDS: readonly CliCommand[] = [
  flow({
    path: ['quorum', 'token-sign', 'generate'],
    roles: { allOf: ['quorum.draw-approval-data', 'quorum.token-generate'] },
    help: 'Generate a quorum token for a service and write it to a file for approvers to sign',
    details:
      'Approvers sign the decoded "token" (operation services) or "unsigned" (registration) value: ' +
      'openssl pkeyutl -sign -pkeyopt digest:sha256 -inkey key.pem -in token.bin | base64. ' +
      'The token is valid only in this login session, once, until its timeout.',
    flags: [
      { name: 'service', type: 'enum', help: 'Service the token is for', required: true, choices: TOKEN_SERVICES },
      stringFlag('token', 'File to write the token to'),
    ],
    examples: [
      { line: 'quorum token-sign generate --service user --token /home/tfile', answer: success({ filepath: '/home/tfile' }) },
      { line: 'quorum token-sign generate --service registration --token /home/regfile', answer: success({ filepath: '/home/regfile' }) },
    ],
    async run(flags, session, io) {
      const service = flags.string('service') as TokenService;
      const path = flags.string('token');
      const drawn = await session.request('quorum.draw-approval-data', {});
      if (drawn.error_code !== 0) return drawn;
      const approvalData = (drawn.data as { 'approval-data': Uint8Array })['approval-data'];
      const made = await session.request('quorum.token-generate', { service, approvalData });
      if (made.error_code !== 0) return made;
      const token = (made.data as { token: Uint8Array }).token;
      await io.writeFile(path, service === 'registration' ? registrationTokenFile(approvalData, token) : operationTokenFile(approvalData, token));
      return success({ filepath: path });
    },
  }),
  requestCommand({
    path: ['quorum', 'token-sign', 'list'],
    op: 'quorum.token-list',
    help: 'List the live quorum tokens',
    flags: [],
    examples: [
      {
        line: 'quorum token-sign list',
        answer: success({
          tokens: [{ username: 'admin', service: 'user', 'approvals-required': 2, 'number-of-approvals': 0, 'token-timeout-seconds': 397, 'cluster-coverage': 'full' }],
        }),
      },
    ],
    toArgs: () => ({}),
  }),
  requestCommand({
    path: ['quorum', 'token-sign', 'list-quorum-values'],
    op: 'quorum.list-values',
    help: 'List the quorum value of each service (no login needed)',
    flags: [],
    examples: [{ line: 'quorum token-sign list-quorum-values', answer: success({ user: 1, quorum: 1, cluster: 1 }) }],
    toArgs: () => ({}),
  }),
  requestCommand({
    path: ['quorum', 'token-sign', 'list-timeouts'],
    op: 'quorum.list-timeouts',
    help: 'List the token timeouts in seconds',
    flags: [],
    examples: [{ line: 'quorum token-sign list-timeouts', answer: success({ generated: 600, approved: 600 }) }],
    toArgs: () => ({}),
  }),
  requestCommand({
    path: ['quorum', 'token-sign', 'set-quorum-value'],
    op: 'quorum.set-value',
    help: 'Set the number of approvals (1 to 8) a service needs',
    details: 'The value may not exceed the number of admins with a registered quorum key. When the quorum service value is above 1 this needs --approval with a quorum token.',
    flags: [
      { name: 'service', type: 'enum', help: 'Service', required: true, choices: QUORUM_SERVICES },
      { name: 'value', type: 'int', help: 'Approvals needed (1 to 8)', required: true },
      approvalFlag(),
    ],
    examples: [{ line: 'quorum token-sign set-quorum-value --service user --value 2', answer: success('Set quorum value successful') }],
    toArgs: async (f, io) => ({ service: f.string('service') as (typeof QUORUM_SERVICES)[number], value: f.int('value'), ...(await approvalArgs(f, io)) }),
  }),
  requestCommand({
    path: ['quorum', 'token-sign', 'set-timeout'],
    op: 'quorum.set-timeout',
    help: 'Set how long tokens live unapproved (--generated) and approved (--approved), in seconds',
    flags: [
      { name: 'generated', type: 'int', help: 'Seconds to collect approvals', min: 1, max: 86_400 },
      { name: 'approved', type: 'int', help: 'Seconds to use an approved token', min: 1, max: 86_400 },
    ],
    examples: [{ line: 'quorum token-sign set-timeout --generated 900 --approved 300', answer: success('Set token timeout successful') }],
    toArgs: (f) => {
      const generated = f.optInt('generated');
      const approved = f.optInt('approved');
      return { ...(generated !== undefined ? { generated } : {}), ...(approved !== undefined ? { approved } : {}) };
    },
  }),
  requestCommand({
    path: ['quorum', 'token-sign', 'delete'],
    op: 'quorum.token-delete',
    help: "Delete your quorum tokens (--scope user) or everyone's (--scope all)",
    flags: [{ name: 'scope', type: 'enum', help: 'Whose tokens', required: true, choices: ['user', 'all'] }],
    examples: [{ line: 'quorum token-sign delete --scope all', answer: success('Deletion of quorum token(s) successful') }],
    toArgs: (f) => ({ scope: f.string('scope') as 'user' | 'all' }),
  }),
  flow({
    path: ['user', 'change-quorum', 'token-sign', 'register'],
    roles: { allOf: ['user.register-quorum-key'] },
    help: 'Register your RSA-2048 public key for quorum approvals',
    details: 'Generate a registration token first (quorum token-sign generate --service registration), sign its "unsigned" value and fill in "signed".',
    flags: [stringFlag('public-key', 'PEM file of your RSA-2048 public key'), stringFlag('signed-token', 'The signed registration token file')],
    examples: [
      { line: 'user change-quorum token-sign register --public-key /home/mypub.pem --signed-token /home/regfile', answer: success({ username: 'admin', role: 'admin' }) },
    ],
    async run(flags, session, io) {
      const publicKey = await publicKeyDer(io, flags.string('public-key'));
      const path = flags.string('signed-token');
      const [entry] = parseSignedTokens(await readFileOrFail(io, path), path);
      if (!entry) return fail('bad-request', `Token file '${path}' holds no token`);
      return session.request('user.register-quorum-key', { publicKey, token: entry.unsigned, signature: entry.signed });
    },
  }),
  flow({
    path: ['user', 'change-mfa', 'token-sign'],
    roles: { allOf: ['user.mfa-challenge', 'user.change-mfa'] },
    help: "Register, rotate (--token) or remove (--deregister) a user's MFA key",
    details:
      'Sets the user\'s password too (--change-password, asked for when left off), then writes one unsigned token per HSM to --token ' +
      'and asks for the signed file and your public key PEM. The MFA key also becomes the quorum key if the user has none (or with ' +
      '--change-quorum); removing MFA removes the quorum registration too, and so does the new password of a user who already had MFA.',
    flags: [
      usernameFlag(),
      roleFlag(USER_ROLES),
      CHANGE_PASSWORD_FLAG,
      stringFlag('token', 'File to write the unsigned tokens to', false),
      { name: 'deregister', type: 'bool', help: 'Remove MFA' },
      { name: 'change-quorum', type: 'bool', help: 'Also make the new key the quorum key' },
      approvalFlag(),
    ],
    groups: [{ flags: ['token', 'deregister'], required: true }],
    examples: [
      { line: 'user change-mfa token-sign --username cu1 --role crypto-user --token /home/mfa-tokens.json', answer: success({ username: 'cu1', role: 'crypto-user' }) },
      {
        line: 'user change-mfa token-sign --username cu1 --role crypto-user --change-password N3wPassw0rd --token /home/mfa-tokens.json --change-quorum',
        answer: success({ username: 'cu1', role: 'crypto-user' }),
      },
      { line: 'user change-mfa token-sign --username cu1 --role crypto-user --deregister', answer: success({ username: 'cu1', role: 'crypto-user' }) },
    ],
    async run(flags, session, io) {
      const who = { username: flags.string('username'), role: roleOf(flags.string('role')), password: flags.string('change-password') };
      const approval = await approvalArgs(flags, io);
      const result = flags.bool('deregister')
        ? await session.request('user.change-mfa', { ...who, deregister: true, ...(flags.bool('change-quorum') ? { changeQuorum: true } : {}), ...approval })
        : await registerMfa(flags, session, io, who, approval);
      if (result.error_code === 0) await discardSpentTokens(session, approval);
      return result;
    },
  }),
  flow({
    path: ['login', 'mfa-token-sign'],
    roles: { allOf: ['session.mfa-challenge', 'session.login'] },
    help: 'Log in with MFA: sign the token file written to --token with your MFA key',
    flags: [usernameFlag(), roleFlag(USER_ROLES), passwordFlag(false), stringFlag('token', 'File to write the unsigned tokens to (one per HSM)')],
    examples: [{ line: 'login --username cu1 --role crypto-user mfa-token-sign --token /home/mfa-login.json', answer: success({ username: 'cu1', role: 'crypto-user' }) }],
    async run(flags, session, io) {
      const who = { username: flags.string('username'), role: roleOf(flags.string('role')) };
      const challenge = await session.request('session.mfa-challenge', who);
      if (challenge.error_code !== 0) return challenge;
      const mfaTokens = await signedChallenges(io, flags.string('token'), challengesOf(challenge));
      return session.request('session.login', { ...who, password: flags.string('password'), mfaTokens });
    },
  }),
];

async function registerMfa(
  flags: ParsedFlags,
  session: ClusterSession,
  io: Io,
  who: { username: string; role: CliRoleArg; password: string },
  approval: { approval?: ApprovalArg },
): Promise<Envelope> {
  const challenge = await session.request('user.mfa-challenge', { username: who.username, role: who.role });
  if (challenge.error_code !== 0) return challenge;
  const signedTokens = await signedChallenges(io, flags.string('token'), challengesOf(challenge));
  const keyPath = (await io.prompt(PUBLIC_KEY_PROMPT, { secret: false })).trim();
  const publicKey = await publicKeyDer(io, keyPath);
  return session.request('user.change-mfa', { ...who, publicKey, signedTokens, ...(flags.bool('change-quorum') ? { changeQuorum: true } : {}), ...approval });
}
