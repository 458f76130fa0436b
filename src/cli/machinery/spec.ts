/**
 * The shape of a command table: commands as data (path, flags, help, examples). This is the
 * vocabulary the generic machinery (tokenizer, parser, help, completion) understands; a tool's
 * own table (cloudhsm-cli now, CMU and KMU later) extends {@link CommandSpec} with what its
 * commands become.
 * @module
 */

/** How a flag's value is read and validated. Multi-value types consume tokens until the next `--flag`. */
export type FlagType =
  | 'string'
  | 'int'
  | 'bool'
  | 'base64'
  | 'hex'
  | 'enum'
  /** key filter terms: `key-reference=0x…` or `attr.<name>=<value>` (multi-value) */
  | 'filter'
  /** `name=value` pairs (multi-value) */
  | 'attributes'
  /** plain words (multi-value) */
  | 'list';

export const MULTI_VALUE_TYPES: ReadonlySet<FlagType> = new Set(['filter', 'attributes', 'list']);

/** A validated flag value: string (string/enum), number (int), boolean (bool), bytes (base64/hex), words (filter/list), pairs (attributes). */
export type FlagValue = string | number | boolean | Uint8Array | readonly string[] | Readonly<Record<string, string>>;

/** Asked for interactively when the flag is left off (e.g. passwords). */
export interface FlagPrompt {
  readonly text: string;
  /** Asked a second time with this text; both answers must agree. */
  readonly confirm?: string;
  readonly secret: boolean;
}

export interface FlagSpec {
  /** Long name without the leading `--`. */
  readonly name: string;
  readonly type: FlagType;
  readonly help: string;
  readonly required?: boolean;
  readonly default?: FlagValue;
  /** The accepted values of an `enum` flag. */
  readonly choices?: readonly string[];
  /** Bounds of an `int` flag (inclusive). */
  readonly min?: number;
  readonly max?: number;
  /** Placeholder in usage lines; defaults to the name in upper snake case. */
  readonly valueName?: string;
  readonly prompt?: FlagPrompt;
  /**
   * Given as a bare word instead of a named flag (CMU: `loginHSM CO admin pw`). Positional flags
   * take the bare words after the command in table order; only string, int and enum types.
   */
  readonly positional?: boolean;
}

/** "Exactly one of" (`required`) or "at most one of" these flags. */
export interface FlagGroup {
  readonly flags: readonly string[];
  readonly required: boolean;
}

/** A real command line and the documented shape of its answer. */
export interface CommandExample {
  readonly line: string;
  /** What the tool prints: a JSON value for JSON tools, text for others. */
  readonly answer: unknown;
  readonly note?: string;
}

export interface CommandSpec {
  /** The words that name the command: `['key', 'generate-symmetric', 'aes']`. */
  readonly path: readonly string[];
  /** One line. */
  readonly help: string;
  /** Longer explanation shown by `help <command>` (optional). */
  readonly details?: string;
  readonly flags: readonly FlagSpec[];
  readonly groups?: readonly FlagGroup[];
  readonly examples: readonly CommandExample[];
  /** Not in the real tool: marked "(playground extension)" in help. */
  readonly extension?: boolean;
}

export interface CommandTable<C extends CommandSpec = CommandSpec> {
  /** The tool's name as shown in help (`cloudhsm-cli`). */
  readonly program: string;
  readonly commands: readonly C[];
  /** Flags every command accepts (e.g. `--cluster-id`). `-h/--help` is always accepted. */
  readonly commonFlags: readonly FlagSpec[];
  /** How the tool's command lines are written; cloudhsm-cli's `--flag` style when left off. */
  readonly syntax?: TableSyntax;
}

/** The spelling rules that differ between tools (cloudhsm-cli vs the legacy CMU and KMU). */
export interface TableSyntax {
  /** `--label x` (default) or `-l x` (KMU, CMU `-hpswd`). */
  readonly flagPrefix: '--' | '-';
  /** A command's single word may be shortened to any unique prefix (CMU `listU` = `listUsers`). */
  readonly abbreviate?: boolean;
}

/** The flag prefix of a table: `--` unless its syntax says otherwise. */
export function flagPrefixOf(table: Pick<CommandTable, 'syntax'>): '--' | '-' {
  return table.syntax?.flagPrefix ?? '--';
}

/** The full name of a command: `key generate-symmetric aes`. */
export function commandName(spec: Pick<CommandSpec, 'path'>): string {
  return spec.path.join(' ');
}

/** The flags a command accepts: its own, then the table's common ones. */
export function flagsOf(table: CommandTable, spec: CommandSpec): readonly FlagSpec[] {
  return [...spec.flags, ...table.commonFlags];
}

/** `--key-length-bytes` → `KEY_LENGTH_BYTES`. */
export function valueNameOf(flag: FlagSpec): string {
  return flag.valueName ?? flag.name.toUpperCase().replace(/-/g, '_');
}
