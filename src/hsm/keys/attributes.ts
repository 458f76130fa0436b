/**
 * Key attributes (spec §5.1): their names and documentation order, the defaults of each kind of
 * key, which ones a caller may set when a key is created, and which ones `key set-attribute` may
 * change afterwards (and in which direction). Pure functions over plain data; every refusal is an
 * {@link HsmError} naming the attribute and why.
 * @module
 */
import { HsmError } from '../envelope.ts';
import type { AttributeInput } from '../requests.ts';
import type { HsmModel, KeyAttributes, KeyRecord } from '../state.ts';

export type KeyClass = 'secret-key' | 'public-key' | 'private-key';
export type KeyType = 'aes' | 'generic-secret' | 'ec' | 'rsa';

/** Every attribute a key object can show, in the order cloudhsm-cli prints them (spec §3.4). */
export const ATTRIBUTE_ORDER = [
  'key-type',
  'label',
  'id',
  'check-value',
  'class',
  'encrypt',
  'decrypt',
  'token',
  'always-sensitive',
  'derive',
  'destroyable',
  'extractable',
  'local',
  'modifiable',
  'never-extractable',
  'private',
  'sensitive',
  'sign',
  'trusted',
  'unwrap',
  'verify',
  'wrap',
  'wrap-with-trusted',
  'key-length-bytes',
  'public-exponent',
  'modulus',
  'modulus-size-bits',
  'ec-point',
  'curve',
] as const;
export type AttributeName = (typeof ATTRIBUTE_ORDER)[number];

export const BOOLEAN_ATTRIBUTES: ReadonlySet<AttributeName> = new Set<AttributeName>([
  'encrypt',
  'decrypt',
  'token',
  'always-sensitive',
  'derive',
  'destroyable',
  'extractable',
  'local',
  'modifiable',
  'never-extractable',
  'private',
  'sensitive',
  'sign',
  'trusted',
  'unwrap',
  'verify',
  'wrap',
  'wrap-with-trusted',
]);

export function isAttributeName(name: string): name is AttributeName {
  return (ATTRIBUTE_ORDER as readonly string[]).includes(name);
}

/** Attributes a caller may give in `--attributes` when creating a key (spec §5.1 "settable at creation"). */
const SETTABLE_AT_CREATION: ReadonlySet<AttributeName> = new Set<AttributeName>([
  'decrypt',
  'derive',
  'destroyable',
  'encrypt',
  'extractable',
  'id',
  'label',
  'modifiable',
  'private',
  'sensitive',
  'sign',
  'token',
  'unwrap',
  'verify',
  'wrap',
  'wrap-with-trusted',
]);

/** Attributes `key set-attribute` may change freely, in both directions. */
const FREELY_MODIFIABLE: ReadonlySet<AttributeName> = new Set<AttributeName>([
  'decrypt',
  'derive',
  'destroyable',
  'encrypt',
  'label',
  'sign',
  'unwrap',
  'verify',
  'wrap',
]);

/** Attributes that may only move one way with `key set-attribute`: [from, to]. */
const ONE_WAY: Readonly<Partial<Record<AttributeName, readonly [boolean, boolean]>>> = {
  token: [false, true],
  modifiable: [true, false],
  'wrap-with-trusted': [false, true],
};

/** Maximum key label length (SDK ≥ 5.11, spec §2.4). */
export const MAX_LABEL_LENGTH = 127;

/** Parse a command-line attribute value: `true`/`false` for booleans, the text itself for `label`/`id`. */
export function parseAttributeValue(name: string, value: string): string | boolean {
  if (!isAttributeName(name)) throw new HsmError('bad-request', `Unknown attribute "${name}"`);
  if (BOOLEAN_ATTRIBUTES.has(name)) {
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    throw new HsmError('bad-request', `Invalid value "${value}" for attribute "${name}": expected true or false`);
  }
  if (name === 'label' && value.length > MAX_LABEL_LENGTH) {
    throw new HsmError('bad-request', `Invalid label: at most ${MAX_LABEL_LENGTH} characters, got ${value.length}`);
  }
  return value;
}

/** The facts of a new key that decide its default attributes. */
export interface KeyDescription {
  readonly keyType: KeyType;
  readonly keyClass: KeyClass;
  readonly label: string;
  readonly checkValue: string;
  readonly keyLengthBytes: number;
  /** true when the HSM generated the key; false for imported and unwrapped keys. */
  readonly local: boolean;
  /** RSA / EC extras, already formatted (`public-exponent`, `modulus`, `modulus-size-bits`, `ec-point`, `curve`). */
  readonly extras?: Readonly<Partial<Record<AttributeName, string | number>>>;
}

/**
 * Validate `--attributes` for a key of class `keyClass`, returning typed values. Throws before
 * anything is created when an attribute is unknown, has a bad value or may not be set at creation.
 */
export function parseCreationAttributes(
  input: AttributeInput | undefined,
  keyClass: KeyClass,
  keyType: KeyType,
  which = 'key',
): Partial<Record<AttributeName, string | boolean>> {
  const out: Partial<Record<AttributeName, string | boolean>> = {};
  for (const [name, raw] of Object.entries(input ?? {})) {
    const value = parseAttributeValue(name, raw);
    const attr = name as AttributeName;
    if ((attr === 'class' && value === keyClass) || (attr === 'key-type' && value === keyType)) continue;
    if (!SETTABLE_AT_CREATION.has(attr)) {
      throw new HsmError('attribute-not-modifiable', `Attribute "${attr}" cannot be set when creating a ${which}`);
    }
    if (attr === 'sensitive' && keyClass !== 'private-key') {
      throw new HsmError('attribute-not-modifiable', `Attribute "sensitive" can only be set on private keys`);
    }
    out[attr] = value;
  }
  return out;
}

/**
 * The full attribute set of a new key: defaults for its kind (spec §5.1: secret keys may sign and
 * verify; RSA/EC keys may do nothing until asked), overridden by the caller's validated choices,
 * then the derived attributes (`always-sensitive`, `never-extractable`) computed from the result.
 */
export function buildAttributes(
  desc: KeyDescription,
  chosen: Partial<Record<AttributeName, string | boolean>>,
  options: { readonly token: boolean },
): KeyAttributes {
  const secret = desc.keyClass === 'secret-key';
  const isPublic = desc.keyClass === 'public-key';
  const values: Partial<Record<AttributeName, string | number | boolean>> = {
    'key-type': desc.keyType,
    label: desc.label,
    id: '',
    'check-value': desc.checkValue,
    class: desc.keyClass,
    encrypt: false,
    decrypt: false,
    token: options.token,
    derive: false,
    destroyable: true,
    extractable: true,
    local: desc.local,
    modifiable: true,
    private: true,
    sensitive: !isPublic,
    sign: secret,
    trusted: false,
    unwrap: false,
    verify: secret,
    wrap: false,
    'wrap-with-trusted': false,
    'key-length-bytes': desc.keyLengthBytes,
    ...desc.extras,
  };
  for (const [name, value] of Object.entries(chosen)) values[name as AttributeName] = value;
  values.token = options.token;
  // PKCS#11 §4.4: ALWAYS_SENSITIVE / NEVER_EXTRACTABLE are only true for keys that were born inside
  // the HSM with that property; imported and unwrapped keys get false.
  values['always-sensitive'] = !isPublic && desc.local && values.sensitive === true;
  values['never-extractable'] = !isPublic && desc.local && values.extractable === false;
  const ordered: KeyAttributes = {};
  for (const name of ATTRIBUTE_ORDER) {
    const v = values[name];
    if (v !== undefined) ordered[name] = v;
  }
  return ordered;
}

/**
 * Whether a new key is a token key: `--session` or `--attributes token=false` make a session key;
 * asking for both `--session` and `token=true` is a contradiction and refused.
 */
export function isTokenKey(session: boolean | undefined, chosen: Partial<Record<AttributeName, string | boolean>>): boolean {
  if (session === true && chosen.token === true) {
    throw new HsmError('bad-request', 'A session key (--session) cannot have token=true');
  }
  return session !== true && chosen.token !== false;
}

/** What {@link checkAttributeChange} needs to know about who asks and where. */
export interface AttributeChangeContext {
  readonly model: HsmModel;
}

/**
 * Validate `key set-attribute --name <name> --value <value>` on `key` (the caller's ownership is
 * checked by the handler). Returns the typed value to store. `trusted` is refused here: it is the
 * admin's `key.set-trusted`.
 */
export function checkAttributeChange(
  key: KeyRecord,
  name: string,
  rawValue: string,
  ctx: AttributeChangeContext,
): string | boolean {
  const value = parseAttributeValue(name, rawValue);
  const attr = name as AttributeName;
  if (attr === 'trusted') {
    throw new HsmError('permission-denied', 'Permission denied: only an admin may mark a key trusted', ['admin']);
  }
  if (key.attributes.modifiable === false) {
    throw new HsmError('attribute-not-modifiable', `Attribute is not modifiable: the key's "modifiable" attribute is false`);
  }
  if (FREELY_MODIFIABLE.has(attr)) {
    if (attr === 'derive' && ctx.model === 'hsm1.medium' && key.attributes['key-type'] === 'rsa') {
      throw new HsmError('attribute-not-modifiable', 'Attribute "derive" cannot be changed on RSA keys of an hsm1.medium');
    }
    return value;
  }
  if (attr === 'id') {
    if (ctx.model !== 'hsm2m.medium') {
      throw new HsmError('attribute-not-modifiable', 'Attribute "id" can only be changed on an hsm2m.medium');
    }
    return value;
  }
  const direction = ONE_WAY[attr];
  if (direction) {
    const [from, to] = direction;
    const current = key.attributes[attr];
    if (value === current) return value;
    if (current === from && value === to) return value;
    throw new HsmError(
      'attribute-not-modifiable',
      `Attribute "${attr}" can only be changed from ${from} to ${to}; it is ${String(current)}`,
    );
  }
  throw new HsmError('attribute-not-modifiable', `Attribute "${attr}" is not modifiable`);
}

/** The value of `trusted` for `key set-attribute --name trusted` run by an admin. */
export function checkTrustedChange(key: KeyRecord, rawValue: string): boolean {
  const value = parseAttributeValue('trusted', rawValue) as boolean;
  if (key.attributes.modifiable === false && key.attributes.trusted !== value) {
    throw new HsmError('attribute-not-modifiable', `Attribute is not modifiable: the key's "modifiable" attribute is false`);
  }
  return value;
}

/** Read a boolean attribute (absent = false). */
export function flag(key: KeyRecord, name: AttributeName): boolean {
  return key.attributes[name] === true;
}
