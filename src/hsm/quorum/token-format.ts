/**
 * The JSON files of quorum and MFA (spec §6.1, §7.1), written by the CLI and signed by people:
 *
 * - an operation token (`quorum token-sign generate --service user|quorum|cluster|key-*`):
 *   `{"version":"2.0","approval_data":<b64>,"token":<b64 SHA-256(approval_data)>,"signatures":[]}`;
 *   approvers append `{"username":…,"signature":<b64>}` to `signatures`;
 * - a registration token (`--service registration`):
 *   `{"version":"2.0","tokens":[{"approval_data":<b64>,"unsigned":<b64>,"signed":""}]}`;
 * - an MFA token file (`login … mfa-token-sign`, `user change-mfa token-sign`), one entry per HSM:
 *   `{"version":"2.0","tokens":[{"unsigned":<b64>,"signed":""}, …]}`.
 *
 * Every signature follows ./signature.ts. Parsing checks everything and names what is wrong, with
 * the file's path, so a person fixing a hand-edited file knows where to look.
 * @module
 */
import { equalBytes, fromBase64, fromUtf8, toBase64, utf8 } from '../../crypto/bytes.ts';
import type { ApprovalArg, ApprovalSignature } from './approvals.ts';
import type { SignedChallenge } from './mfa.ts';

export const TOKEN_FILE_VERSION = '2.0';

/** A problem with a token file; the message names the file and the field. */
export class TokenFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenFileError';
  }
}

export interface OperationTokenFile {
  readonly version: string;
  readonly approval_data: string;
  readonly token: string;
  readonly signatures: { readonly username: string; readonly signature: string }[];
}

export interface TokenListFile {
  readonly version: string;
  readonly tokens: { readonly approval_data?: string; readonly unsigned: string; readonly signed: string }[];
}

function text(value: unknown): Uint8Array {
  return utf8(`${JSON.stringify(value, null, 2)}\n`);
}

/** The file `quorum token-sign generate` writes for an operation service. */
export function operationTokenFile(approvalData: Uint8Array, token: Uint8Array): Uint8Array {
  const file: OperationTokenFile = { version: TOKEN_FILE_VERSION, approval_data: toBase64(approvalData), token: toBase64(token), signatures: [] };
  return text(file);
}

/** The file `quorum token-sign generate --service registration` writes. */
export function registrationTokenFile(approvalData: Uint8Array, token: Uint8Array): Uint8Array {
  const file: TokenListFile = { version: TOKEN_FILE_VERSION, tokens: [{ approval_data: toBase64(approvalData), unsigned: toBase64(token), signed: '' }] };
  return text(file);
}

/** The MFA token file: one unsigned challenge per HSM. */
export function mfaTokenFile(challenges: readonly Uint8Array[]): Uint8Array {
  const file: TokenListFile = { version: TOKEN_FILE_VERSION, tokens: challenges.map((c) => ({ unsigned: toBase64(c), signed: '' })) };
  return text(file);
}

function parseJson(bytes: Uint8Array, path: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(fromUtf8(bytes));
  } catch (e) {
    throw new TokenFileError(`Token file '${path}' is not valid JSON: ${(e as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new TokenFileError(`Token file '${path}' must hold a JSON object`);
  const obj = value as Record<string, unknown>;
  if (obj['version'] !== TOKEN_FILE_VERSION) {
    throw new TokenFileError(`Token file '${path}' has version ${JSON.stringify(obj['version'])}; expected "${TOKEN_FILE_VERSION}"`);
  }
  return obj;
}

function base64Field(value: unknown, path: string, field: string): Uint8Array {
  if (typeof value !== 'string' || value === '') throw new TokenFileError(`Token file '${path}': ${field} must be a non-empty base64 string`);
  try {
    return fromBase64(value.trim());
  } catch {
    throw new TokenFileError(`Token file '${path}': ${field} is not valid base64`);
  }
}

/**
 * The token and approvals of an operation token file, as `--approval FILE` sends them. Checks that
 * the token is the SHA-256 of approval_data with the platform's WebCrypto digest, so that the page
 * and the command line carry no hash code of their own for it.
 */
export async function parseApprovalFile(bytes: Uint8Array, path: string): Promise<ApprovalArg> {
  const file = parseJson(bytes, path);
  const token = base64Field(file['token'], path, 'token');
  if (file['approval_data'] !== undefined) {
    const approvalData = base64Field(file['approval_data'], path, 'approval_data');
    if (!equalBytes(new Uint8Array(await crypto.subtle.digest('SHA-256', approvalData as Uint8Array<ArrayBuffer>)), token)) {
      throw new TokenFileError(`Token file '${path}': token is not the SHA-256 of approval_data (was the file edited?)`);
    }
  }
  const list = file['signatures'];
  if (!Array.isArray(list)) throw new TokenFileError(`Token file '${path}': signatures must be a list of {"username", "signature"}`);
  const signatures: ApprovalSignature[] = list.map((entry: unknown, i) => {
    const e = entry as Record<string, unknown> | null;
    if (!e || typeof e['username'] !== 'string' || e['username'] === '') {
      throw new TokenFileError(`Token file '${path}': signatures[${i}].username must be the approver's username`);
    }
    return { username: e['username'], signature: base64Field(e['signature'], path, `signatures[${i}].signature`) };
  });
  return { token, signatures };
}

/** The entries of a registration or MFA token file, all signed. */
export function parseSignedTokens(bytes: Uint8Array, path: string): SignedChallenge[] {
  const file = parseJson(bytes, path);
  const list = file['tokens'];
  if (!Array.isArray(list) || list.length === 0) throw new TokenFileError(`Token file '${path}': tokens must be a non-empty list`);
  return list.map((entry: unknown, i) => {
    const e = entry as Record<string, unknown> | null;
    if (!e) throw new TokenFileError(`Token file '${path}': tokens[${i}] must be an object`);
    if (e['signed'] === '' || e['signed'] === undefined) throw new TokenFileError(`Token file '${path}': tokens[${i}] is not signed yet (fill in "signed")`);
    return { unsigned: base64Field(e['unsigned'], path, `tokens[${i}].unsigned`), signed: base64Field(e['signed'], path, `tokens[${i}].signed`) };
  });
}

/** Sign every unsigned entry of a registration / MFA token file with `sign`; returns the new file. */
export function signTokenListFile(bytes: Uint8Array, path: string, sign: (token: Uint8Array) => Uint8Array): Uint8Array {
  const file = parseJson(bytes, path) as unknown as TokenListFile;
  if (!Array.isArray(file.tokens)) throw new TokenFileError(`Token file '${path}': tokens must be a list`);
  const tokens = file.tokens.map((t, i) => ({ ...t, signed: toBase64(sign(base64Field(t.unsigned, path, `tokens[${i}].unsigned`))) }));
  return text({ ...file, tokens });
}

/** Append `username`'s approval (signature of the token) to an operation token file. */
export async function approveOperationTokenFile(bytes: Uint8Array, path: string, username: string, sign: (token: Uint8Array) => Uint8Array): Promise<Uint8Array> {
  const file = parseJson(bytes, path) as unknown as OperationTokenFile;
  const current = await parseApprovalFile(bytes, path);
  const signatures = [...(file.signatures ?? []).filter((s) => s.username !== username), { username, signature: toBase64(sign(current.token)) }];
  return text({ ...file, signatures });
}

/** Which kind of token file these bytes are (for the keyring's one-click signing). */
export function tokenFileKind(bytes: Uint8Array, path: string): 'operation' | 'token-list' {
  const file = parseJson(bytes, path);
  if (Array.isArray(file['tokens'])) return 'token-list';
  if (typeof file['token'] === 'string') return 'operation';
  throw new TokenFileError(`Token file '${path}' is neither an operation token ("token") nor a token list ("tokens")`);
}
