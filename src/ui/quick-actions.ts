/**
 * The quick-action buttons: common operations a learner can click instead of typing. Each one
 * names the op it sends (so the button is gated by the policy value, with the reason shown when
 * the session's role may not run it) and builds the cloudhsm-cli line it runs in the session's
 * terminal — so the learner sees the real command and its answer. Values a command needs are
 * asked through the terminal's prompt; passwords are left to the CLI's own hidden prompt.
 * @module
 */
import type { Op } from '../hsm/policy.ts';

/** What an action may know about the session when it builds its line. */
export interface ActionContext {
  /** Ask the user for a value through the terminal (not secret). */
  ask(question: string): Promise<string>;
  /** Labels of the EC private keys this session can see, newest last. */
  ecPrivateLabels(): readonly string[];
  /** The last signature this session printed, with the label of the key and the data it signed. */
  lastSignature(): { readonly privateLabel: string; readonly data: string; readonly signature: string } | undefined;
  /** The key reference of the public half of the EC pair whose private key has this label. */
  publicKeyOf(privateLabel: string): string | undefined;
  /** A short suffix no other label of this page uses (labels must pick out one key in filters). */
  uniqueSuffix(): string;
  /** Told why nothing will run when an answer was not usable (printed instead of a bare "Nothing to run."). */
  explain?(problem: string): void;
}

export interface QuickAction {
  readonly id: string;
  readonly label: string;
  readonly op: Op;
  /** The command line to run, or undefined when the user cancelled or nothing fits. */
  build(ctx: ActionContext): Promise<string | undefined>;
}

/** base64 of a short UTF-8 text (the sample data signed by "Sign"). */
export function base64Text(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

export const SAMPLE_DATA = base64Text('Hello, HSM!');

function word(value: string): string | undefined {
  const v = value.trim();
  return /^[A-Za-z0-9_.-]+$/.test(v) ? v : undefined;
}

/** A user name from a prompt's answer, or undefined after telling the learner what was wrong. */
function userName(ctx: ActionContext, answer: string): string | undefined {
  const name = word(answer);
  if (!name) ctx.explain?.(answer.trim() === '' ? 'No user name given: nothing run.' : `"${answer.trim()}" is not a user name (letters, digits, _ . and - only): nothing run.`);
  return name;
}

/**
 * The cloudhsm-cli `--role` value for what a learner types at the "Role" prompt: the CLI names,
 * in any case, and the CMU/KMU names beside them (CO, CU, AU), with a space or _ for the dash.
 */
export function loginRole(answer: string): 'admin' | 'crypto-user' | 'appliance' | undefined {
  const v = answer.trim().toLowerCase().replace(/[\s_]+/g, '-');
  if (v === 'admin' || v === 'co') return 'admin';
  if (v === 'crypto-user' || v === 'cu') return 'crypto-user';
  if (v === 'appliance' || v === 'appliance-user' || v === 'au') return 'appliance';
  return undefined;
}

export const QUICK_ACTIONS: readonly QuickAction[] = [
  { id: 'activate', label: 'Activate cluster', op: 'cluster.activate', build: async () => 'cluster activate' },
  {
    id: 'login',
    label: 'Log in',
    op: 'session.login',
    build: async (ctx) => {
      const username = userName(ctx, await ctx.ask('Username:'));
      if (!username) return undefined;
      const answer = await ctx.ask('Role (admin, crypto-user or appliance):');
      const role = loginRole(answer);
      if (!role) ctx.explain?.(`"${answer.trim()}" is not a role: answer admin (CO), crypto-user (CU) or appliance (AU). Nothing run.`);
      return role && `login --username ${username} --role ${role}`;
    },
  },
  { id: 'logout', label: 'Log out', op: 'session.logout', build: async () => 'logout' },
  { id: 'user-list', label: 'List users', op: 'user.list', build: async () => 'user list' },
  {
    id: 'user-create',
    label: 'Create user',
    op: 'user.create',
    build: async (ctx) => {
      const username = userName(ctx, await ctx.ask('New crypto user name:'));
      return username ? `user create --username ${username} --role crypto-user` : undefined;
    },
  },
  {
    id: 'gen-aes',
    label: 'Generate AES key',
    op: 'key.generate-symmetric',
    build: async (ctx) => `key generate-symmetric aes --label aes-${ctx.uniqueSuffix()} --key-length-bytes 32`,
  },
  {
    id: 'gen-ec',
    label: 'Generate EC key',
    op: 'key.generate-asymmetric-pair',
    build: async (ctx) => {
      const n = ctx.uniqueSuffix();
      return `key generate-asymmetric-pair ec --curve prime256v1 --public-label ec-${n}-public --private-label ec-${n}-private --public-attributes verify=true --private-attributes sign=true`;
    },
  },
  { id: 'key-list', label: 'List keys', op: 'key.list', build: async () => 'key list --verbose' },
  {
    id: 'sign',
    label: 'Sign',
    op: 'crypto.sign',
    build: async (ctx) => {
      const label = ctx.ecPrivateLabels().at(-1);
      if (!label) return undefined;
      return `crypto sign ecdsa --key-filter attr.label=${label} --hash-function sha256 --data ${SAMPLE_DATA}`;
    },
  },
  {
    id: 'verify',
    label: 'Verify',
    op: 'crypto.verify',
    build: async (ctx) => {
      const last = ctx.lastSignature();
      const publicKey = last && ctx.publicKeyOf(last.privateLabel);
      if (!last || !publicKey) return undefined;
      return `crypto verify ecdsa --key-filter key-reference=${publicKey} --hash-function sha256 --data ${last.data} --signature ${last.signature}`;
    },
  },
];
