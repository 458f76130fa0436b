/**
 * The validated flags of one parsed command, with typed getters for the table's `toArgs`
 * functions. The parser has already checked types, so a getter that finds the wrong type means
 * the table disagrees with itself; it throws a TypeError naming the flag (the table tests catch
 * that before anyone runs the command).
 * @module
 */
import type { FlagValue } from './spec.ts';

export class ParsedFlags {
  readonly #values: ReadonlyMap<string, FlagValue>;

  constructor(values: ReadonlyMap<string, FlagValue>) {
    this.#values = values;
  }

  has(name: string): boolean {
    return this.#values.has(name);
  }

  /** Flag names given (or defaulted), in table order. */
  names(): string[] {
    return [...this.#values.keys()];
  }

  raw(name: string): FlagValue | undefined {
    return this.#values.get(name);
  }

  /** A copy with `name` set (used to fill in prompted values). */
  with(name: string, value: FlagValue): ParsedFlags {
    const next = new Map(this.#values);
    next.set(name, value);
    return new ParsedFlags(next);
  }

  string(name: string): string {
    const v = this.optString(name);
    if (v === undefined) throw new TypeError(`flag --${name} is missing`);
    return v;
  }

  optString(name: string): string | undefined {
    const v = this.#values.get(name);
    if (v === undefined || typeof v === 'string') return v;
    throw new TypeError(`flag --${name} is not a string`);
  }

  int(name: string): number {
    const v = this.optInt(name);
    if (v === undefined) throw new TypeError(`flag --${name} is missing`);
    return v;
  }

  optInt(name: string): number | undefined {
    const v = this.#values.get(name);
    if (v === undefined || typeof v === 'number') return v;
    throw new TypeError(`flag --${name} is not a number`);
  }

  bool(name: string): boolean {
    const v = this.#values.get(name);
    if (v === undefined) return false;
    if (typeof v === 'boolean') return v;
    throw new TypeError(`flag --${name} is not a boolean`);
  }

  bytes(name: string): Uint8Array {
    const v = this.optBytes(name);
    if (v === undefined) throw new TypeError(`flag --${name} is missing`);
    return v;
  }

  optBytes(name: string): Uint8Array | undefined {
    const v = this.#values.get(name);
    if (v === undefined || v instanceof Uint8Array) return v;
    throw new TypeError(`flag --${name} is not bytes`);
  }

  words(name: string): readonly string[] {
    const v = this.optWords(name);
    if (v === undefined) throw new TypeError(`flag --${name} is missing`);
    return v;
  }

  optWords(name: string): readonly string[] | undefined {
    const v = this.#values.get(name);
    if (v === undefined || Array.isArray(v)) return v as readonly string[] | undefined;
    throw new TypeError(`flag --${name} is not a word list`);
  }

  optPairs(name: string): Readonly<Record<string, string>> | undefined {
    const v = this.#values.get(name);
    if (v === undefined) return undefined;
    if (typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array)) return v as Readonly<Record<string, string>>;
    throw new TypeError(`flag --${name} is not a set of name=value pairs`);
  }
}
