/**
 * What a cloudhsm-cli command is, beyond the generic {@link CommandSpec}: the HSM request it
 * becomes (or the replication it asks for, or a local action), how its flags turn into that
 * request's arguments, how the answer is reshaped, and which roles may run it — derived from
 * the HSM's POLICY, never restated. Also the flag builders the command groups share.
 * @module
 */
import type { Envelope, Success } from '../../hsm/envelope.ts';
import { POLICY, ROLES, type Op, type Role } from '../../hsm/policy.ts';
import type { OpArgs } from '../../hsm/requests.ts';
import { HASH_NAMES, type HashName } from '../../crypto/hash-names.ts';
import type { Io } from '../machinery/io.ts';
import type { ParsedFlags } from '../machinery/parsed-flags.ts';
import type { CommandSpec, FlagGroup, FlagSpec } from '../machinery/spec.ts';
import type { ClusterSession, ReplicationPort } from '../session-port.ts';
import { parseApprovalFile } from '../../hsm/quorum/token-format.ts';
import type { ApprovalArg, CliRoleArg } from '../../hsm/requests.ts';

/** One HSM request, typed by its op. */
export type RequestPlan<O extends Op = Op> = { readonly op: O; readonly args: OpArgs[O] };
export type AnyRequestPlan = { [O in Op]: RequestPlan<O> }[Op];

/**
 * Which roles may run a command, as a rule over POLICY rows:
 * - `allOf`: the command needs every listed op (roles = intersection), e.g. `key replicate`
 *   finds a key (`key.list`) and extracts it masked (`object.extract-masked`);
 * - `anyOf`: the command becomes one of the ops depending on its flags (roles = union), e.g.
 *   `key set-attribute` is `key.set-trusted` for `--name trusted`;
 * - `everyone`: a local command that sends nothing to the HSM (`quit`).
 */
export type RoleRule = { readonly allOf: readonly Op[] } | { readonly anyOf: readonly Op[] } | 'everyone';

interface CliCommandBase extends CommandSpec {
  readonly roles: RoleRule;
}

export interface RequestCommand extends CliCommandBase {
  readonly kind: 'request';
  /** The op this command becomes (the usual one, when it depends on the flags). */
  readonly op: Op;
  /** Builds the request; may read files and reject with a message naming the file. */
  toRequest(flags: ParsedFlags, io: Io): Promise<AnyRequestPlan>;
  /** Reshapes a successful answer (e.g. writes `--path` and answers a message). */
  render?(answer: Success, flags: ParsedFlags, io: Io): Promise<Envelope>;
}

export interface ReplicationCommand extends CliCommandBase {
  readonly kind: 'replication';
  run(flags: ParsedFlags, port: ReplicationPort): Promise<Envelope>;
}

export interface LocalCommand extends CliCommandBase {
  readonly kind: 'local';
  readonly action: 'quit';
}

/**
 * A command that talks to the cluster in several steps and with the person at the keyboard in
 * between (quorum and MFA token files: write a file, ask for the signed one, send it).
 */
export interface FlowCommand extends CliCommandBase {
  readonly kind: 'flow';
  run(flags: ParsedFlags, session: ClusterSession, io: Io): Promise<Envelope>;
}

export type CliCommand = RequestCommand | ReplicationCommand | LocalCommand | FlowCommand;

/** The roles allowed to run a command, in {@link ROLES} order, read from POLICY. */
export function commandRoles(command: Pick<CliCommand, 'roles'>): Role[] {
  const rule = command.roles;
  if (rule === 'everyone') return [...ROLES];
  const sets = ('allOf' in rule ? rule.allOf : rule.anyOf).map((op) => POLICY[op].roles as readonly Role[]);
  return ROLES.filter((r) => ('allOf' in rule ? sets.every((s) => s.includes(r)) : sets.some((s) => s.includes(r))));
}

/** The ops a command may send (for tests and the page's permission view). */
export function commandOps(command: CliCommand): readonly Op[] {
  if (command.roles === 'everyone') return [];
  return 'allOf' in command.roles ? command.roles.allOf : command.roles.anyOf;
}

type RequestFields = Omit<RequestCommand, 'kind' | 'toRequest' | 'roles' | 'op'>;

/** A command that becomes exactly one op: `toArgs` builds its arguments. */
export function requestCommand<O extends Op>(
  fields: RequestFields & { readonly op: O; readonly roles?: RoleRule; toArgs(flags: ParsedFlags, io: Io): OpArgs[O] | Promise<OpArgs[O]> },
): RequestCommand {
  const { toArgs, roles, ...rest } = fields;
  return {
    ...rest,
    kind: 'request',
    roles: roles ?? { allOf: [fields.op] },
    async toRequest(flags, io) {
      return { op: fields.op, args: await toArgs(flags, io) } as AnyRequestPlan;
    },
  };
}

/* ---------- flag builders shared by the command groups ---------- */

export function stringFlag(name: string, help: string, required = true): FlagSpec {
  return { name, type: 'string', help, required };
}

export function filterFlag(name: string, help: string, required = true): FlagSpec {
  return { name, type: 'filter', help, required, valueName: 'FILTER' };
}

export function passwordFlag(confirm: boolean): FlagSpec {
  return {
    name: 'password',
    type: 'string',
    help: 'Password',
    prompt: confirm ? { text: 'Enter password:', confirm: 'Confirm password:', secret: true } : { text: 'Enter password:', secret: true },
  };
}

export function usernameFlag(help = 'Username (letters, digits, underscore; case-insensitive)'): FlagSpec {
  return { name: 'username', type: 'string', help, required: true };
}

export function roleFlag(choices: readonly string[], help = 'Role of the user'): FlagSpec {
  return { name: 'role', type: 'enum', help, required: true, choices };
}

/** The roles `--role` takes in the user and quorum commands that name a user. */
export const USER_ROLES = ['admin', 'crypto-user'] as const;

/** The value of a {@link roleFlag}, which the parser has already checked against its choices. */
export function roleOf(value: string): CliRoleArg {
  return value as CliRoleArg;
}

export const HASH_FLAG: FlagSpec = { name: 'hash-function', type: 'enum', help: 'Hash function', required: true, choices: HASH_NAMES };

export const MGF_CHOICES = HASH_NAMES.map((h) => `mgf1-${h}`);

/** `mgf1-sha256` → `sha256`. */
export function mgfHash(value: string): HashName {
  const hash = value.replace(/^mgf1-/, '');
  const found = HASH_NAMES.find((h) => h === hash);
  if (!found) throw new RangeError(`Invalid mask generation function '${value}': expected one of ${MGF_CHOICES.join(', ')}`);
  return found;
}

export function hashOf(flags: ParsedFlags, name = 'hash-function'): HashName {
  const value = flags.string(name);
  const found = HASH_NAMES.find((h) => h === value);
  if (!found) throw new RangeError(`Invalid hash function '${value}'`);
  return found;
}

/** `--<inline>` (base64) or `--<inline>-path` (file): exactly one is required. */
export function bytesFlags(inline: string, what: string): { flags: FlagSpec[]; group: FlagGroup } {
  return {
    flags: [
      { name: inline, type: 'base64', help: `${what} as base64`, valueName: 'B64' },
      { name: `${inline}-path`, type: 'string', help: `File holding the ${what.toLowerCase()} (raw bytes)`, valueName: 'PATH' },
    ],
    group: { flags: [inline, `${inline}-path`], required: true },
  };
}

/** Reads the bytes given by `--<inline>` or the file named by `--<inline>-path`. */
export async function bytesFrom(flags: ParsedFlags, io: Io, inline: string): Promise<Uint8Array> {
  const direct = flags.optBytes(inline);
  if (direct) return direct;
  return readFileOrFail(io, flags.string(`${inline}-path`));
}

/** Reads a file through the Io port, whose errors already name the path and the reason. */
export async function readFileOrFail(io: Io, path: string): Promise<Uint8Array> {
  try {
    return await io.readFile(path);
  } catch (e) {
    throw e instanceof Error ? e : new Error(`Cannot read file ${path}: ${String(e)}`);
  }
}

/** The creation flags of every key-creating command (spec §4.5). */
export function keyCreationFlags(quorumPrefix: 'key' | 'private-key'): FlagSpec[] {
  return [
    { name: 'session', type: 'bool', help: 'Create a session key (deleted at logout, not synchronised)' },
    { name: 'share-crypto-users', type: 'list', help: 'Crypto users to share the key with', valueName: 'USERNAME' },
    { name: `manage-${quorumPrefix}-quorum-value`, type: 'int', help: 'Approvals needed for key-management operations', min: 0, max: 8 },
    { name: `use-${quorumPrefix}-quorum-value`, type: 'int', help: 'Approvals needed for key-usage operations', min: 0, max: 8 },
  ];
}

/** The creation arguments common to key-creating ops, from {@link keyCreationFlags}. */
export function keyCreationArgs(flags: ParsedFlags, quorumPrefix: 'key' | 'private-key') {
  const manage = flags.optInt(`manage-${quorumPrefix}-quorum-value`);
  const use = flags.optInt(`use-${quorumPrefix}-quorum-value`);
  const share = flags.optWords('share-crypto-users');
  return {
    ...(flags.bool('session') ? { session: true } : {}),
    ...(share ? { shareCryptoUsers: share } : {}),
    ...(manage !== undefined ? { manageKeyQuorumValue: manage } : {}),
    ...(use !== undefined ? { useKeyQuorumValue: use } : {}),
  };
}

/** `--approval FILE` (or `--payload-approval`, `--wrapping-approval`): a signed quorum token file (spec §6.1). */
export function approvalFlag(name = 'approval', whose = 'the operation'): FlagSpec {
  return { name, type: 'string', help: `Signed quorum token file approving ${whose} (needed when its quorum value is above 1)`, valueName: 'FILE' };
}

/** The approval read from the token file named by `--<name>`, or undefined when the flag is left off. */
export async function approvalFrom(flags: ParsedFlags, io: Io, name = 'approval'): Promise<ApprovalArg | undefined> {
  const path = flags.optString(name);
  if (path === undefined) return undefined;
  return parseApprovalFile(await readFileOrFail(io, path), path);
}

/** `{ approval }` from `--approval FILE`, or `{}`: spread into a protected command's arguments. */
export async function approvalArgs(flags: ParsedFlags, io: Io): Promise<{ approval?: ApprovalArg }> {
  return optional('approval', await approvalFrom(flags, io));
}

/** `{ x: v }` when v is defined, `{}` otherwise (optional OpArgs fields stay absent, not undefined). */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
