/**
 * Cluster coverage (spec §3.2, §3.4): rewriting the `cluster-coverage` / `key-coverage` fields of
 * answers from one HSM with what the cluster as a whole holds, and turning attribute values that
 * disagree between HSMs into the string "inconsistent". Pure functions over answer data; the
 * cluster supplies which HSMs hold which object digests.
 * @module
 */

export type Coverage = 'full' | 'partial';

/** A key object as printed by cloudhsm-cli (spec §3.4), loosely typed: fields are rewritten in place. */
export interface KeyObjectJson {
  'key-reference': string;
  'key-info'?: {
    'key-owners'?: { username: string; 'key-coverage'?: string }[];
    'shared-users'?: { username: string; 'key-coverage'?: string }[];
    'cluster-coverage'?: string;
    [field: string]: unknown;
  };
  attributes?: Record<string, unknown>;
  [field: string]: unknown;
}

function isKeyObject(value: unknown): value is KeyObjectJson {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { 'key-reference'?: unknown })['key-reference'] === 'string' &&
    typeof (value as { 'key-info'?: unknown })['key-info'] === 'object'
  );
}

/** Every key object inside an answer's data (generate, pair, list --verbose, unwrap, replicate). */
export function findKeyObjects(data: unknown, found: KeyObjectJson[] = [], depth = 0): KeyObjectJson[] {
  if (depth > 5 || data === null || typeof data !== 'object' || data instanceof Uint8Array) return found;
  if (isKeyObject(data)) {
    found.push(data);
    return found;
  }
  for (const item of Array.isArray(data) ? data : Object.values(data)) findKeyObjects(item, found, depth + 1);
  return found;
}

/** Every `key-reference` string in an answer (key objects or the brief `{ "key-reference": … }`). */
export function findKeyReferences(data: unknown, found: string[] = [], depth = 0): string[] {
  if (depth > 5 || data === null || typeof data !== 'object' || data instanceof Uint8Array) return found;
  const ref = (data as { 'key-reference'?: unknown })['key-reference'];
  if (typeof ref === 'string' && !found.includes(ref)) found.push(ref);
  for (const item of Array.isArray(data) ? data : Object.values(data)) findKeyReferences(item, found, depth + 1);
  return found;
}

/** `0x0000000000000007` → 7 (also accepts decimal). */
export function parseKeyReference(reference: string): number {
  const value = /^0x[0-9a-f]+$/i.test(reference) ? Number.parseInt(reference.slice(2), 16) : Number(reference);
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a key reference: ${JSON.stringify(reference)}`);
  return value;
}

/** The sync-status name of a key: `key:0x` + 16 hex digits. */
export function keyObjectName(reference: string | number): string {
  const handle = typeof reference === 'number' ? reference : parseKeyReference(reference);
  return `key:0x${handle.toString(16).padStart(16, '0')}`;
}

/** Set the cluster-wide coverage of one key object (and of each owner/shared user entry). */
export function setKeyCoverage(key: KeyObjectJson, coverage: Coverage): void {
  const info = key['key-info'];
  if (!info) return;
  info['cluster-coverage'] = coverage;
  for (const entry of [...(info['key-owners'] ?? []), ...(info['shared-users'] ?? [])]) entry['key-coverage'] = coverage;
}

/**
 * Compare the copy of a key one HSM answered with the copies other HSMs hold: attribute values
 * that differ become "inconsistent"; an owner or shared user not listed the same way everywhere
 * gets key-coverage "partial".
 */
export function markInconsistencies(key: KeyObjectJson, others: readonly KeyObjectJson[]): void {
  const attributes = key.attributes;
  if (attributes) {
    for (const name of Object.keys(attributes)) {
      if (others.some((other) => other.attributes?.[name] !== attributes[name])) attributes[name] = 'inconsistent';
    }
  }
  const info = key['key-info'];
  if (!info) return;
  for (const field of ['key-owners', 'shared-users'] as const) {
    for (const entry of info[field] ?? []) {
      const everywhere = others.every((other) => other['key-info']?.[field]?.some((e) => e.username === entry.username));
      if (!everywhere) entry['key-coverage'] = 'partial';
    }
  }
}

/** Where an object stands on one HSM of the cluster. */
export type Presence = { readonly live: true; readonly digest: string | undefined } | { readonly live: false; readonly missedWrite: boolean };

/**
 * "full" when every HSM of the cluster holds the same version of the object: live HSMs report the
 * reference digest, stopped HSMs missed no write to it since they stopped.
 */
export function coverageOf(reference: string, presences: readonly Presence[]): Coverage {
  for (const presence of presences) {
    if (presence.live ? presence.digest !== reference : presence.missedWrite) return 'partial';
  }
  return 'full';
}
