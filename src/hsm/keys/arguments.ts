/**
 * Checks on the arguments of key and crypto requests as they arrive (plain data from the CLI, the
 * page or a test): each check names the argument and what was expected, so a malformed request is
 * refused with 'bad-request' before anything runs.
 * @module
 */
import { HASH_NAMES, isHashName, type HashName } from '../../crypto/hash.ts';
import { HsmError } from '../envelope.ts';
import type { AttributeInput, KeyFilter } from '../requests.ts';

function bad(message: string): HsmError {
  return new HsmError('bad-request', message);
}

export function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string') throw bad(`Argument ${name} must be a string`);
  return value;
}

export function optionalString(value: unknown, name: string): string | undefined {
  return value === undefined ? undefined : requireString(value, name);
}

export function requireInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw bad(`Argument ${name} must be an integer`);
  return value;
}

export function optionalInteger(value: unknown, name: string): number | undefined {
  return value === undefined ? undefined : requireInteger(value, name);
}

export function optionalBoolean(value: unknown, name: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw bad(`Argument ${name} must be true or false`);
  return value;
}

export function requireBytes(value: unknown, name: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw bad(`Argument ${name} must be bytes (Uint8Array)`);
  return value;
}

export function optionalBytes(value: unknown, name: string): Uint8Array | undefined {
  return value === undefined ? undefined : requireBytes(value, name);
}

export function requireFilter(value: unknown, name: string): KeyFilter {
  if (!Array.isArray(value) || !value.every((t) => typeof t === 'string')) {
    throw bad(`Argument ${name} must be a list of filter terms (strings)`);
  }
  return value as string[];
}

export function optionalFilter(value: unknown, name: string): KeyFilter | undefined {
  return value === undefined ? undefined : requireFilter(value, name);
}

export function optionalStringList(value: unknown, name: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((t) => typeof t === 'string')) throw bad(`Argument ${name} must be a list of strings`);
  return value as string[];
}

export function optionalAttributes(value: unknown, name: string): AttributeInput | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) {
    throw bad(`Argument ${name} must be an object of attribute=value pairs`);
  }
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw bad(`Attribute ${k} in ${name} must be given as a string`);
  }
  return value as AttributeInput;
}

export function requireHash(value: unknown, name: string): HashName {
  if (!isHashName(value)) throw bad(`Argument ${name} must be one of ${HASH_NAMES.join(', ')}`);
  return value;
}

export function optionalHash(value: unknown, name: string): HashName | undefined {
  return value === undefined ? undefined : requireHash(value, name);
}

export function requireOneOf<T extends string>(value: unknown, name: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw bad(`Argument ${name} must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

/** Untyped view of request arguments: every field is checked before use. */
export type RawArgs = Readonly<Record<string, unknown>>;

/** The arguments of a request as untyped data (they arrive from outside and are checked field by field). */
export function rawArgs(args: unknown): RawArgs {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) throw bad('Request arguments must be an object');
  return args as RawArgs;
}
