/**
 * Reads and validates the value tokens of one flag according to its {@link FlagType}, with an
 * error message naming the flag and what was expected. Also the base64/hex codecs the tables use.
 * @module
 */
import { fromHex, toBase64 } from '../../crypto/bytes.ts';
import type { FlagSpec, FlagValue } from './spec.ts';

export type ValueResult = { readonly ok: true; readonly value: FlagValue } | { readonly ok: false; readonly error: string };

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const HEX = /^(?:0x)?((?:[0-9a-fA-F]{2})*)$/;
const INT = /^(?:0|[1-9][0-9]*)$/;
const FILTER_TERM = /^(?:key-reference=\S.*|attr\.[a-z0-9-]+=.*)$/;

/**
 * Standard base64 (with padding) → bytes, or undefined when malformed. Unlike `fromBase64` in
 * src/crypto/bytes.ts this accepts non-zero unused bits in the last character (as `atob` does),
 * so it keeps its own decoder.
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (!BASE64.test(text)) return undefined;
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export function encodeBase64(bytes: Uint8Array): string {
  return toBase64(bytes);
}

/** Hex with or without `0x`, even length → bytes, or undefined when malformed. */
export function decodeHex(text: string): Uint8Array | undefined {
  return HEX.test(text) ? fromHex(text) : undefined;
}

/**
 * Validates the words given after `--<flag.name>` (none for bool flags). `prefix` is how the
 * table writes flags (`-` for KMU); a positional argument is named `<NAME>` in messages.
 */
export function readFlagValue(flag: FlagSpec, words: readonly string[], prefix: '--' | '-' = '--'): ValueResult {
  const name = flag.positional ? `<${flag.valueName ?? flag.name}>` : `${prefix}${flag.name}`;
  const fail = (error: string): ValueResult => ({ ok: false, error });
  if (flag.type === 'bool') {
    return words.length === 0 ? { ok: true, value: true } : fail(`${name} takes no value, got '${words[0] ?? ''}'`);
  }
  if (words.length === 0) return fail(`${name} needs a value${expectation(flag)}`);
  switch (flag.type) {
    case 'filter': {
      const bad = words.find((w) => !FILTER_TERM.test(w));
      return bad === undefined
        ? { ok: true, value: words }
        : fail(`Invalid filter term '${bad}' for ${name}: expected key-reference=<handle> or attr.<attribute>=<value>`);
    }
    case 'attributes': {
      const pairs: Record<string, string> = {};
      for (const w of words) {
        const eq = w.indexOf('=');
        if (eq <= 0) return fail(`Invalid attribute '${w}' for ${name}: expected <attribute>=<value>`);
        const key = w.slice(0, eq);
        if (Object.prototype.hasOwnProperty.call(pairs, key)) return fail(`Attribute '${key}' given twice in ${name}`);
        pairs[key] = w.slice(eq + 1);
      }
      return { ok: true, value: pairs };
    }
    case 'list':
      return { ok: true, value: words };
    default:
      break;
  }
  if (words.length > 1) return fail(`${name} takes one value, got ${words.length}: ${words.map((w) => `'${w}'`).join(' ')}`);
  const word = words[0] ?? '';
  switch (flag.type) {
    case 'string':
      return word === '' ? fail(`${name} must not be empty`) : { ok: true, value: word };
    case 'enum': {
      const choices = flag.choices ?? [];
      return choices.includes(word) ? { ok: true, value: word } : fail(`Invalid value '${word}' for ${name}: expected one of ${choices.join(', ')}`);
    }
    case 'int': {
      if (!INT.test(word)) return fail(`Invalid value '${word}' for ${name}: expected a whole number${range(flag)}`);
      const n = Number(word);
      if (!Number.isSafeInteger(n) || (flag.min !== undefined && n < flag.min) || (flag.max !== undefined && n > flag.max)) {
        return fail(`Invalid value '${word}' for ${name}: expected a whole number${range(flag)}`);
      }
      return { ok: true, value: n };
    }
    case 'base64': {
      const bytes = decodeBase64(word);
      return bytes ? { ok: true, value: bytes } : fail(`Invalid value for ${name}: '${word}' is not standard base64`);
    }
    case 'hex': {
      const bytes = decodeHex(word);
      return bytes ? { ok: true, value: bytes } : fail(`Invalid value for ${name}: '${word}' is not hex (an even number of hex digits, optionally after 0x)`);
    }
  }
}

function range(flag: FlagSpec): string {
  if (flag.min !== undefined && flag.max !== undefined) return ` from ${flag.min} to ${flag.max}`;
  if (flag.min !== undefined) return ` of at least ${flag.min}`;
  if (flag.max !== undefined) return ` of at most ${flag.max}`;
  return '';
}

function expectation(flag: FlagSpec): string {
  if (flag.type === 'enum') return `: one of ${(flag.choices ?? []).join(', ')}`;
  if (flag.type === 'filter') return ': key-reference=<handle> or attr.<attribute>=<value> terms';
  if (flag.type === 'attributes') return ': <attribute>=<value> pairs';
  return '';
}
