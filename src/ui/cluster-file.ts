/**
 * The exported cluster file: the HSMs' encrypted backups (opaque to the page, which only stores
 * them, as the cloud service does) plus the page's settings, with a SHA-256 checksum over the
 * rest. Nothing in it is key material or a password hash in clear: the backups are encrypted
 * inside the HSMs, and each HSM refuses a tampered backup on restore. The checksum lets the page
 * refuse an edited or damaged file up front, with a message saying what is wrong.
 * @module
 */
import type { HsmModel } from '../hsm/state.ts';
import { HSM_MODELS, parseSettings, type PageSettings } from './settings.ts';

export const FILE_FORMAT = 'hsm-playground-cluster';
export const FILE_VERSION = 1;

export interface HsmBackupEntry {
  readonly index: number;
  readonly ip: string;
  readonly model: HsmModel;
  /** The HSM's encrypted backup, exactly as the HSM produced it. */
  readonly backup: Uint8Array;
}

export interface ClusterFile {
  readonly settings: PageSettings;
  /** When the file was made (ISO 8601). */
  readonly exportedAt: string;
  /** The cluster's id (public: `cluster hsm-info` and every summary show it). */
  readonly clusterId: string;
  readonly hsms: readonly HsmBackupEntry[];
}

/** Refusal of a file, with the reason in the message. */
export class ClusterFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterFileError';
  }
}

function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

function fromBase64(text: string, what: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new ClusterFileError(`${what} is not valid base64`);
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The body the checksum covers, serialised the same way on export and import. */
function bodyText(body: object): string {
  return JSON.stringify(body);
}

/** The file's text (pretty JSON). */
export async function writeClusterFile(file: ClusterFile): Promise<string> {
  if (file.hsms.length === 0) throw new RangeError('a cluster file needs at least one HSM backup');
  const body = {
    format: FILE_FORMAT,
    version: FILE_VERSION,
    exportedAt: file.exportedAt,
    clusterId: file.clusterId,
    settings: parseSettings(file.settings),
    hsms: file.hsms.map((e) => ({ index: e.index, ip: e.ip, model: e.model, backup: toBase64(e.backup) })),
  };
  return JSON.stringify({ ...body, sha256: await sha256Hex(bodyText(body)) }, null, 2);
}

/** Reads and checks a file; throws {@link ClusterFileError} naming what is wrong. */
export async function readClusterFile(text: string): Promise<ClusterFile> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ClusterFileError('This is not a cluster file: it is not JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ClusterFileError('This is not a cluster file: expected a JSON object.');
  const { sha256, ...body } = parsed as Record<string, unknown>;
  if (body.format !== FILE_FORMAT) throw new ClusterFileError(`This is not a cluster file: "format" is ${JSON.stringify(body.format)}, expected "${FILE_FORMAT}".`);
  if (body.version !== FILE_VERSION) throw new ClusterFileError(`Unsupported cluster file version ${JSON.stringify(body.version)} (this page reads version ${FILE_VERSION}).`);
  if (typeof sha256 !== 'string') throw new ClusterFileError('The cluster file has no checksum ("sha256"): refusing it.');
  // Recompute over the body in the order it was written: JSON.parse keeps key order.
  const expected = await sha256Hex(bodyText(body));
  if (expected !== sha256) throw new ClusterFileError('The cluster file was modified or damaged after export (checksum mismatch): refusing to import it.');
  if (typeof body.clusterId !== 'string' || body.clusterId === '') throw new ClusterFileError('The cluster file names no cluster ("clusterId").');
  let settings: PageSettings;
  try {
    settings = parseSettings(body.settings);
  } catch (e) {
    throw new ClusterFileError(`The cluster file's settings are invalid: ${(e as Error).message}`);
  }
  if (!Array.isArray(body.hsms) || body.hsms.length === 0) throw new ClusterFileError('The cluster file holds no HSM backups.');
  const hsms = body.hsms.map((raw: unknown, i: number): HsmBackupEntry => {
    const e = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    if (typeof e.index !== 'number' || !Number.isInteger(e.index) || e.index < 0) throw new ClusterFileError(`HSM entry ${i}: "index" must be a non-negative integer.`);
    if (typeof e.ip !== 'string' || e.ip === '') throw new ClusterFileError(`HSM entry ${i}: "ip" must be a non-empty string.`);
    if (typeof e.model !== 'string' || !(HSM_MODELS as readonly string[]).includes(e.model)) throw new ClusterFileError(`HSM entry ${i}: unknown model ${JSON.stringify(e.model)}.`);
    if (typeof e.backup !== 'string' || e.backup === '') throw new ClusterFileError(`HSM entry ${i}: "backup" must be a base64 string.`);
    return { index: e.index, ip: e.ip, model: e.model as HsmModel, backup: fromBase64(e.backup, `HSM entry ${i}'s backup`) };
  });
  if (new Set(hsms.map((e) => e.index)).size !== hsms.length) throw new ClusterFileError('The cluster file lists the same HSM twice.');
  return { settings, exportedAt: typeof body.exportedAt === 'string' ? body.exportedAt : '', clusterId: body.clusterId, hsms };
}
