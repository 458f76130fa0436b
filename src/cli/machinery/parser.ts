/**
 * Turns a command line into a validated command of a {@link CommandTable}, a help request, or a
 * precise error that says what was wrong and suggests the closest command or flag. Generic: it
 * knows nothing about what commands do. Never throws.
 * @module
 */
import { closest } from './edit-distance.ts';
import { ParsedFlags } from './parsed-flags.ts';
import { commandName, flagPrefixOf, flagsOf, MULTI_VALUE_TYPES, type CommandSpec, type CommandTable, type FlagSpec, type FlagValue } from './spec.ts';
import { tokenize, type Token } from './tokenizer.ts';
import { readFlagValue } from './values.ts';

export type ParseResult<C extends CommandSpec> =
  | { readonly kind: 'empty' }
  | { readonly kind: 'command'; readonly command: C; readonly flags: ParsedFlags }
  /** `help`, `help <words>`, `<command> --help`: `path` is what help was asked about (empty = everything). */
  | { readonly kind: 'help'; readonly path: readonly string[]; readonly command?: C }
  | { readonly kind: 'error'; readonly message: string };

/** Where a list of command words leads in the table. */
export type Resolution<C extends CommandSpec> =
  | { readonly kind: 'command'; readonly command: C; readonly consumed: number }
  /** The words name a group of commands (`key`, `key generate-symmetric`). */
  | { readonly kind: 'group'; readonly path: readonly string[]; readonly children: readonly string[] }
  | { readonly kind: 'unknown'; readonly message: string };

export const HELP_WORD = 'help';

/** Does `text` name a flag in a table whose flags start with `prefix`? (`-h` always does.) */
function isFlagToken(text: string, prefix: '--' | '-' = '--'): boolean {
  if (text === '-h') return true;
  // `-2fa` is a flag (CMU, spec §7.2); `-1` is a value.
  if (prefix === '-') return /^--?[A-Za-z_]|^-[0-9]+[A-Za-z_]/.test(text);
  return text.startsWith('--');
}

/**
 * With `syntax.abbreviate`, the first word may be any unique prefix of a top-level command word
 * (CMU `listU` → `listUsers`); an exact word always wins. Other tables get `words` unchanged.
 */
export function expandAbbreviation(table: CommandTable, words: readonly string[]): readonly string[] {
  const first = words[0];
  if (!table.syntax?.abbreviate || first === undefined || first === HELP_WORD) return words;
  const children = childrenOf(table, []);
  if (children.includes(first)) return words;
  const matches = children.filter((c) => c.startsWith(first));
  return matches.length === 1 ? [matches[0] as string, ...words.slice(1)] : words;
}

/** The distinct next words after `prefix` among the table's command paths, in table order. */
export function childrenOf(table: CommandTable, prefix: readonly string[]): string[] {
  const out: string[] = [];
  for (const c of table.commands) {
    if (c.path.length > prefix.length && prefix.every((w, i) => c.path[i] === w)) {
      const next = c.path[prefix.length];
      if (next !== undefined && !out.includes(next)) out.push(next);
    }
  }
  return out;
}

/** Finds the command (longest path) named by the leading `words`. */
export function resolveCommand<C extends CommandSpec>(table: CommandTable<C>, given: readonly string[]): Resolution<C> {
  const words = expandAbbreviation(table, given);
  let best: C | undefined;
  for (const c of table.commands) {
    if (c.path.length <= words.length && c.path.every((w, i) => words[i] === w)) {
      if (!best || c.path.length > best.path.length) best = c;
    }
  }
  const prefix: string[] = [];
  for (let depth = 0; ; depth++) {
    const children = childrenOf(table, prefix);
    const word = words[depth];
    if (best && depth === best.path.length && (word === undefined || !children.includes(word))) {
      return { kind: 'command', command: best, consumed: depth };
    }
    if (word === undefined) return { kind: 'group', path: prefix, children };
    if (!children.includes(word)) {
      const attempted = [...prefix, word].join(' ');
      const candidates = depth === 0 ? [...children, HELP_WORD] : children;
      const ambiguous = depth === 0 && table.syntax?.abbreviate ? children.filter((c) => c.startsWith(word)) : [];
      if (ambiguous.length > 1) {
        return { kind: 'unknown', message: `Ambiguous command '${word}': it could be ${ambiguous.join(', ')}.` };
      }
      const guess = closest(word, candidates);
      const hint = guess !== undefined ? ` Did you mean '${[...prefix, guess].join(' ')}'?` : '';
      const where = prefix.length === 0 ? '' : ` Commands under '${prefix.join(' ')}': ${children.join(', ')}.`;
      return { kind: 'unknown', message: `Unknown command '${attempted}'.${hint}${where}` };
    }
    prefix.push(word);
  }
}

function leadingWords(tokens: readonly Token[]): string[] {
  const words: string[] = [];
  for (const t of tokens) {
    if (t.text.startsWith('-')) break;
    words.push(t.text);
  }
  return words;
}

export function parseLine<C extends CommandSpec>(table: CommandTable<C>, line: string): ParseResult<C> {
  try {
    return parseTokens(table, line);
  } catch (e) {
    // Defensive: the parser is total by construction; this keeps the "never throws" promise.
    return { kind: 'error', message: `Invalid command line: ${e instanceof Error ? e.message : String(e)}` };
  }
}

function parseTokens<C extends CommandSpec>(table: CommandTable<C>, line: string): ParseResult<C> {
  const tokenized = tokenize(line);
  if (!tokenized.ok) return { kind: 'error', message: tokenized.error };
  return parseTokenList(table, tokenized.tokens);
}

function parseTokenList<C extends CommandSpec>(table: CommandTable<C>, tokens: readonly Token[]): ParseResult<C> {
  if (tokens.length === 0) return { kind: 'empty' };
  const words = leadingWords(tokens);

  if (words[0] === HELP_WORD) return parseHelp(table, words.slice(1), tokens.length > words.length);
  if (words.length === 0) {
    const first = tokens[0]?.text ?? '';
    if (first === '-h' || first === '--help') return { kind: 'help', path: [] };
    return { kind: 'error', message: `Expected a command before '${first}'. Type 'help' to list commands.` };
  }

  const resolution = resolveCommand(table, words);
  const wantsHelp = tokens.some((t) => t.text === '-h' || t.text === '--help');
  if (resolution.kind === 'unknown') return { kind: 'error', message: resolution.message };
  if (resolution.kind === 'group') {
    if (wantsHelp) return { kind: 'help', path: resolution.path };
    const name = resolution.path.join(' ');
    return { kind: 'error', message: `'${name}' needs a subcommand: ${resolution.children.join(', ')}. Type 'help ${name}' for details.` };
  }
  const command = resolution.command;
  const moved = trailingSubcommand(table, command.path, tokens, resolution.consumed);
  if (moved) return parseTokenList(table, moved);
  if (wantsHelp) return { kind: 'help', path: command.path, command };
  return parseFlags(table, command, tokens.slice(resolution.consumed));
}

/**
 * `login --username u --role r mfa-token-sign --token f` (spec §4.2): a subcommand may follow its
 * parent command's flags. When the command at `path` has subcommands and one of them appears
 * after the command words as a bare word that is not a flag's value, answers its index in
 * `words` (the parser and the completer then read the line with that word moved into the path).
 */
export function trailingSubcommandIndex(table: CommandTable, path: readonly string[], words: readonly string[], consumed: number): number | undefined {
  const children = childrenOf(table, path);
  if (children.length === 0) return undefined;
  for (let i = consumed + 1; i < words.length; i++) {
    if (children.includes(words[i] as string) && !(words[i - 1] as string).startsWith('-')) return i;
  }
  return undefined;
}

/** `words` with the element at `from` moved to position `to` (`to` ≤ `from`). */
export function moveWord<T>(words: readonly T[], from: number, to: number): T[] {
  return [...words.slice(0, to), words[from] as T, ...words.slice(to, from), ...words.slice(from + 1)];
}

function trailingSubcommand(table: CommandTable, path: readonly string[], tokens: readonly Token[], consumed: number): Token[] | undefined {
  const index = trailingSubcommandIndex(table, path, tokens.map((t) => t.text), consumed);
  return index === undefined ? undefined : moveWord(tokens, index, consumed);
}

function parseHelp<C extends CommandSpec>(table: CommandTable<C>, words: readonly string[], hasFlags: boolean): ParseResult<C> {
  if (hasFlags) return { kind: 'error', message: "'help' takes command words only, e.g. 'help key list'" };
  if (words.length === 0) return { kind: 'help', path: [] };
  const resolution = resolveCommand(table, words);
  if (resolution.kind === 'unknown') return { kind: 'error', message: resolution.message };
  if (resolution.kind === 'group') return { kind: 'help', path: resolution.path };
  if (resolution.consumed < words.length) {
    return { kind: 'error', message: `Unknown command '${words.join(' ')}'. Did you mean '${commandName(resolution.command)}'?` };
  }
  return { kind: 'help', path: resolution.command.path, command: resolution.command };
}

function parseFlags<C extends CommandSpec>(table: CommandTable<C>, command: C, tokens: readonly Token[]): ParseResult<C> {
  const name = commandName(command);
  const prefix = flagPrefixOf(table);
  const specs = flagsOf(table, command);
  const byName = new Map(specs.filter((f) => !f.positional).map((f) => [f.name, f] as const));
  const positional = specs.filter((f) => f.positional);
  const given = new Map<string, string[]>();
  const error = (message: string): ParseResult<C> => ({ kind: 'error', message });

  let i = 0;
  let nextPositional = 0;
  while (i < tokens.length) {
    const text = tokens[i]?.text ?? '';
    if (!isFlagToken(text, prefix) || (prefix === '--' && !text.startsWith('--'))) {
      const slot = positional[nextPositional];
      if (slot) {
        given.set(slot.name, [text]);
        nextPositional++;
        i++;
        continue;
      }
      if (positional.length > 0) {
        return error(`Too many arguments for '${name}': unexpected '${text}'. Usage: ${name} ${positional.map((f) => `<${f.valueName ?? f.name}>`).join(' ')}`);
      }
      return error(`Unexpected argument '${text}' for '${name}'. Flags start with '${prefix}'; type '${name} ${prefix === '-' ? '-h' : '--help'}' for the list.`);
    }
    const bare = text.startsWith('--') ? text.slice(2) : text.slice(1);
    const eq = prefix === '--' ? bare.indexOf('=') : -1;
    const flagName = eq > 0 ? bare.slice(0, eq) : bare;
    const spec = byName.get(flagName);
    if (!spec) {
      const guess = closest(flagName, byName.keys());
      const hint = guess !== undefined ? ` Did you mean '${prefix}${guess}'?` : ` Type '${name} ${prefix === '-' ? '-h' : '--help'}' for the list of flags.`;
      return error(`Unknown flag '${prefix}${flagName}' for '${name}'.${hint}`);
    }
    const values: string[] = eq > 0 ? [bare.slice(eq + 1)] : [];
    i++;
    // A boolean flag takes no value, so bare words after it are positional arguments.
    const takesValues = spec.type !== 'bool' || positional.length === 0;
    while (takesValues && i < tokens.length && !isFlagToken(tokens[i]?.text ?? '', prefix)) {
      values.push(tokens[i]?.text ?? '');
      i++;
      if (prefix === '-' && !MULTI_VALUE_TYPES.has(spec.type)) break;
    }
    const previous = given.get(flagName);
    if (previous !== undefined) {
      if (!MULTI_VALUE_TYPES.has(spec.type)) return error(`Flag '${prefix}${flagName}' given more than once for '${name}'`);
      previous.push(...values);
    } else {
      given.set(flagName, values);
    }
  }

  const values = new Map<string, FlagValue>();
  for (const spec of specs) {
    const words = given.get(spec.name);
    if (words === undefined) {
      if (spec.default !== undefined) values.set(spec.name, spec.default);
      continue;
    }
    const read = readFlagValue(spec, words, prefix);
    if (!read.ok) return error(read.error);
    values.set(spec.name, read.value);
  }

  const missing = specs.filter((f) => f.required && !given.has(f.name));
  if (missing.length > 0) {
    const list = missing.map((f) => (f.positional ? `<${f.valueName ?? f.name}>` : `${prefix}${f.name}`)).join(', ');
    const what = missing.every((f) => f.positional) ? 'argument' : 'flag';
    return error(`Missing required ${what}${missing.length > 1 ? 's' : ''} ${list} for '${name}'. Type '${name} ${prefix === '-' ? '-h' : '--help'}' for usage.`);
  }
  for (const group of command.groups ?? []) {
    const present = group.flags.filter((f) => given.has(f));
    const options = group.flags.map((f) => `${prefix}${f}`);
    if (present.length > 1) return error(`Flags ${present.map((f) => `${prefix}${f}`).join(' and ')} cannot be used together for '${name}'`);
    if (present.length === 0 && group.required) return error(`'${name}' needs one of ${options.join(' or ')}`);
  }
  return { kind: 'command', command, flags: new ParsedFlags(values) };
}
