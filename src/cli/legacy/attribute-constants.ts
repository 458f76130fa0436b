/**
 * The attribute constants of KMU and CMU (spec §5.3): `OBJ_ATTR_…` numbers, their names, the
 * cloudhsm-cli attribute each one reads (so all three tools show the same key), how a value is
 * printed (`0x00000001`, a label, hex bytes) and which constants `setAttribute` may change.
 * @module
 */
import type { KeyAttributes } from '../../hsm/state.ts';

export interface AttributeConstant {
  readonly id: number;
  readonly name: string;
  /** The cloudhsm-cli attribute (spec §5.1) it reads, or undefined for a selector/template. */
  readonly cliName?: string;
  /** How the value is printed. */
  readonly kind: 'boolean' | 'class' | 'key-type' | 'text' | 'number' | 'hex' | 'selector' | 'template';
}

function attr(id: number, name: string, kind: AttributeConstant['kind'], cliName?: string): AttributeConstant {
  return cliName === undefined ? { id, name, kind } : { id, name, kind, cliName };
}

/** In constant order, as `listAttributes` prints them. */
export const ATTRIBUTE_CONSTANTS: readonly AttributeConstant[] = [
  attr(0, 'OBJ_ATTR_CLASS', 'class', 'class'),
  attr(1, 'OBJ_ATTR_TOKEN', 'boolean', 'token'),
  attr(2, 'OBJ_ATTR_PRIVATE', 'boolean', 'private'),
  attr(3, 'OBJ_ATTR_LABEL', 'text', 'label'),
  attr(134, 'OBJ_ATTR_TRUSTED', 'boolean', 'trusted'),
  attr(256, 'OBJ_ATTR_KEY_TYPE', 'key-type', 'key-type'),
  attr(258, 'OBJ_ATTR_ID', 'text', 'id'),
  attr(259, 'OBJ_ATTR_SENSITIVE', 'boolean', 'sensitive'),
  attr(260, 'OBJ_ATTR_ENCRYPT', 'boolean', 'encrypt'),
  attr(261, 'OBJ_ATTR_DECRYPT', 'boolean', 'decrypt'),
  attr(262, 'OBJ_ATTR_WRAP', 'boolean', 'wrap'),
  attr(263, 'OBJ_ATTR_UNWRAP', 'boolean', 'unwrap'),
  attr(264, 'OBJ_ATTR_SIGN', 'boolean', 'sign'),
  attr(266, 'OBJ_ATTR_VERIFY', 'boolean', 'verify'),
  attr(268, 'OBJ_ATTR_DERIVE', 'boolean', 'derive'),
  attr(288, 'OBJ_ATTR_MODULUS', 'hex', 'modulus'),
  attr(289, 'OBJ_ATTR_MODULUS_BITS', 'number', 'modulus-size-bits'),
  attr(290, 'OBJ_ATTR_PUBLIC_EXPONENT', 'hex', 'public-exponent'),
  attr(353, 'OBJ_ATTR_VALUE_LEN', 'number', 'key-length-bytes'),
  attr(354, 'OBJ_ATTR_EXTRACTABLE', 'boolean', 'extractable'),
  attr(355, 'OBJ_ATTR_LOCAL', 'boolean', 'local'),
  attr(356, 'OBJ_ATTR_NEVER_EXTRACTABLE', 'boolean', 'never-extractable'),
  attr(357, 'OBJ_ATTR_ALWAYS_SENSITIVE', 'boolean', 'always-sensitive'),
  attr(370, 'OBJ_ATTR_DESTROYABLE', 'boolean', 'destroyable'),
  attr(371, 'OBJ_ATTR_KCV', 'hex', 'check-value'),
  attr(512, 'OBJ_ATTR_ALL', 'selector'),
  attr(528, 'OBJ_ATTR_WRAP_WITH_TRUSTED', 'boolean', 'wrap-with-trusted'),
  attr(1073742353, 'OBJ_ATTR_WRAP_TEMPLATE', 'template'),
  attr(1073742354, 'OBJ_ATTR_UNWRAP_TEMPLATE', 'template'),
];

export const OBJ_ATTR_ALL = 512;
export const OBJ_ATTR_TOKEN = 1;
export const OBJ_ATTR_TRUSTED = 134;

/** Constants CMU `setAttribute` may change (spec §5.3); templates are not modelled by the HSM. */
export const CMU_SETTABLE: ReadonlySet<number> = new Set([3, 134, 260, 261, 262, 263, 264, 266, 268, 370, 528]);
/** KMU `setAttribute` may only make a session key persistent (token 0 → 1). */
export const KMU_SETTABLE: ReadonlySet<number> = new Set([OBJ_ATTR_TOKEN]);

const CLASS_CODES: Readonly<Record<string, number>> = { 'public-key': 2, 'private-key': 3, 'secret-key': 4 };
const KEY_TYPE_CODES: Readonly<Record<string, number>> = { rsa: 0, dsa: 1, ec: 3, 'generic-secret': 16, rc4: 18, des3: 21, aes: 31 };

export function findAttributeConstant(id: number): AttributeConstant | undefined {
  return ATTRIBUTE_CONSTANTS.find((a) => a.id === id);
}

/** KMU `-c` class code → cloudhsm-cli class, e.g. 4 → `secret-key`. */
export function classFromCode(code: number): string | undefined {
  return Object.entries(CLASS_CODES).find(([, c]) => c === code)?.[0];
}

/** KMU `-t` / OBJ_ATTR_KEY_TYPE code → cloudhsm-cli key type, e.g. 31 → `aes`. */
export function keyTypeFromCode(code: number): string | undefined {
  return Object.entries(KEY_TYPE_CODES).find(([, c]) => c === code)?.[0];
}

/** `0x00000001`: how KMU and CMU print a 32-bit number. */
export function formatWord(value: number): string {
  return `0x${(value >>> 0).toString(16).padStart(8, '0')}`;
}

/**
 * How one attribute of a key is printed, or undefined when the key has no such attribute
 * (KMU then reports an error: "nonexistent attribute for type", spec §9).
 */
export function formatAttributeValue(constant: AttributeConstant, attributes: KeyAttributes): string | undefined {
  if (constant.cliName === undefined) return undefined;
  const value = attributes[constant.cliName];
  if (value === undefined) return undefined;
  switch (constant.kind) {
    case 'boolean':
      return formatWord(value === true ? 1 : 0);
    case 'class':
      return formatWord(CLASS_CODES[String(value)] ?? 0);
    case 'key-type':
      return formatWord(KEY_TYPE_CODES[String(value)] ?? 0);
    case 'number':
      return formatWord(Number(value));
    case 'text':
      return String(value);
    case 'hex':
      return String(value).replace(/^0x/, '');
    default:
      return undefined;
  }
}

/** The `OBJ_ATTR_X` / value line pairs of every attribute a key has (KMU `getAttribute -a 512`). */
export function attributeDump(attributes: KeyAttributes): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const constant of ATTRIBUTE_CONSTANTS) {
    const value = formatAttributeValue(constant, attributes);
    if (value !== undefined) out.push({ name: constant.name, value });
  }
  return out;
}

/**
 * A `setAttribute` value as the cloudhsm-cli `key set-attribute --value` text: `0`/`1` for
 * booleans, the text for a label. Throws a RangeError naming the attribute for anything else.
 */
export function attributeValueText(constant: AttributeConstant, raw: string): string {
  if (constant.kind === 'boolean') {
    if (raw === '0' || raw === '1') return raw === '1' ? 'true' : 'false';
    throw new RangeError(`Invalid value '${raw}' for ${constant.name}: expected 0 or 1`);
  }
  if (constant.kind === 'text') return raw;
  throw new RangeError(`${constant.name} cannot be set`);
}

/** The `listAttributes` text: one `NAME = id` line per constant (spec §5.3). */
export function listAttributesText(): string {
  const width = Math.max(...ATTRIBUTE_CONSTANTS.map((a) => a.name.length)) + 4;
  const lines = ATTRIBUTE_CONSTANTS.map((a) => `${a.name.padEnd(width)}= ${a.id}`);
  return ['Following are the possible attribute values for getAttribute:', '', ...lines].join('\n');
}
