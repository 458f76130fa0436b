/**
 * Key filters (spec §3.3): `key-reference=<hex|decimal>` and `attr.<name>=<value>` terms, ANDed,
 * applied within the caller's scope — the keys a crypto user owns or that are shared with them,
 * plus every public key; an admin sees every key. Single-key operations refuse zero matches
 * ("Key not found") and several ("Key selection criteria matched N keys. …").
 * @module
 */
import { HsmError } from '../envelope.ts';
import type { Role } from '../policy.ts';
import type { KeyFilter } from '../requests.ts';
import type { KeyRecord } from '../state.ts';
import { BOOLEAN_ATTRIBUTES, isAttributeName, type AttributeName } from './attributes.ts';

export type FilterTerm =
  | { readonly kind: 'reference'; readonly handle: number }
  | { readonly kind: 'attribute'; readonly name: AttributeName; readonly value: string };

/** Who is asking: the part of the request context a filter needs. */
export interface KeyScope {
  readonly session: { readonly id: string; readonly username: string; readonly role: Role } | undefined;
  readonly state: { readonly keys: readonly KeyRecord[] };
}

/** Parse a handle written in hex (`0x2e06bf`) or decimal (`3016383`). */
export function parseKeyReference(text: string): number {
  const hex = /^0x([0-9a-f]{1,16})$/i.exec(text);
  const value = hex ? Number.parseInt(hex[1] ?? '', 16) : /^[0-9]{1,16}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value)) {
    const wellFormed = /^0x[0-9a-f]+$/i.test(text) || /^[0-9]+$/.test(text);
    throw new HsmError(
      'bad-request',
      wellFormed
        ? `Invalid key reference "${text}": too large, no key reference is above 0x${Number.MAX_SAFE_INTEGER.toString(16).padStart(16, '0')}`
        : `Invalid key reference "${text}": expected 0x followed by hex digits, or a decimal number`,
    );
  }
  return value;
}

/** Parse every term of a filter; throws on the first malformed one, naming it. */
export function parseFilter(filter: KeyFilter): FilterTerm[] {
  return filter.map((term): FilterTerm => {
    const eq = term.indexOf('=');
    const name = eq < 0 ? term : term.slice(0, eq);
    const value = eq < 0 ? '' : term.slice(eq + 1);
    if (eq < 0) {
      throw new HsmError('bad-request', `Invalid filter "${term}": expected key-reference=<value> or attr.<name>=<value>`);
    }
    if (name === 'key-reference') return { kind: 'reference', handle: parseKeyReference(value) };
    if (name.startsWith('attr.')) {
      const attr = name.slice('attr.'.length);
      if (!isAttributeName(attr)) throw new HsmError('bad-request', `Invalid filter "${term}": unknown attribute "${attr}"`);
      if (BOOLEAN_ATTRIBUTES.has(attr) && !/^(true|false)$/i.test(value)) {
        throw new HsmError('bad-request', `Invalid filter "${term}": "${attr}" is true or false, got "${value}"`);
      }
      return { kind: 'attribute', name: attr, value };
    }
    throw new HsmError('bad-request', `Invalid filter "${term}": expected key-reference=<value> or attr.<name>=<value>`);
  });
}

/** Does a stored attribute value equal the text of a filter term? Booleans and hex ignore case. */
function attributeEquals(stored: string | number | boolean | undefined, text: string): boolean {
  if (stored === undefined) return false;
  if (typeof stored === 'boolean') return text.toLowerCase() === String(stored);
  if (typeof stored === 'number') return text === String(stored);
  if (/^0x[0-9a-f]*$/i.test(stored)) return stored.toLowerCase() === text.toLowerCase();
  return stored === text;
}

export function matchesFilter(key: KeyRecord, terms: readonly FilterTerm[]): boolean {
  return terms.every((t) =>
    t.kind === 'reference' ? key.handle === t.handle : attributeEquals(key.attributes[t.name], t.value),
  );
}

/**
 * The keys a caller may see, in handle order. Crypto users: owned, shared with them, and every public
 * key; admins: every key. Session keys are visible only inside the session that made them.
 */
export function keysInScope(scope: KeyScope): KeyRecord[] {
  const s = scope.session;
  if (!s) return [];
  const visible = scope.state.keys.filter((k) => {
    if (k.sessionId !== undefined && k.sessionId !== s.id) return false;
    if (s.role === 'admin') return true;
    if (s.role !== 'crypto-user') return false;
    return k.owner === s.username || k.shared.includes(s.username) || k.attributes.class === 'public-key';
  });
  return visible.sort((a, b) => a.handle - b.handle);
}

/** Every key in scope matching the filter. */
export function findKeys(scope: KeyScope, filter: KeyFilter | undefined): KeyRecord[] {
  const terms = parseFilter(filter ?? []);
  return keysInScope(scope).filter((k) => matchesFilter(k, terms));
}

/** The one key in scope matching the filter; refuses zero or several matches. */
export function findOneKey(scope: KeyScope, filter: KeyFilter | undefined): KeyRecord {
  const matches = findKeys(scope, filter);
  if (matches.length === 0) throw new HsmError('key-not-found', 'Key not found');
  if (matches.length > 1) {
    throw new HsmError(
      'key-ambiguous',
      `Key selection criteria matched ${matches.length} keys. Refine selection criteria to select a single key.`,
    );
  }
  return matches[0] as KeyRecord;
}
