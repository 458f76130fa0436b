/**
 * Tab completion from a command table: next command words (also after a CMU-style unique prefix),
 * flag names not yet given in the table's own spelling (`--label` or KMU's `-l`), and the
 * choices of an enum flag. Returns where the word being completed starts so a terminal can
 * replace it.
 * @module
 */
import { childrenOf, HELP_WORD, moveWord, resolveCommand, trailingSubcommandIndex } from './parser.ts';
import { flagPrefixOf, flagsOf, MULTI_VALUE_TYPES, type CommandTable } from './spec.ts';
import { tokenize } from './tokenizer.ts';

export interface Completion {
  /** Offset in the line where the word being completed starts (== cursor for a fresh word). */
  readonly start: number;
  /** Whole words that may replace `line.slice(start, cursor)`, sorted. */
  readonly candidates: readonly string[];
}

export function complete(table: CommandTable, line: string, cursor: number = line.length): Completion {
  const before = line.slice(0, Math.max(0, Math.min(cursor, line.length)));
  const { tokens } = tokenize(before);
  const fresh = before.length === 0 || /\s$/.test(before);
  const last = tokens.at(-1);
  const current = fresh || !last ? '' : last.text;
  const start = fresh || !last ? before.length : last.start;
  let done = (fresh ? tokens : tokens.slice(0, -1)).map((t) => t.text);
  const pick = (options: Iterable<string>): Completion => ({
    start,
    candidates: [...new Set(options)].filter((o) => o.startsWith(current)).sort(),
  });

  let commandWords = leadingCommandWords(done);
  // `login --username u --role r mfa-token-sign …`: read the line with the subcommand moved into the path, as the parser does.
  for (let moved = true; moved; ) {
    moved = false;
    const resolved = resolveCommand(table, commandWords);
    if (resolved.kind !== 'command' || resolved.consumed !== commandWords.length) break;
    const index = trailingSubcommandIndex(table, resolved.command.path, done, resolved.consumed);
    if (index !== undefined) {
      done = moveWord(done, index, resolved.consumed);
      commandWords = leadingCommandWords(done);
      moved = true;
    }
  }
  const inCommandWords = commandWords.length === done.length && !current.startsWith('-');

  if (commandWords[0] === HELP_WORD) {
    return inCommandWords ? pick(childrenOf(table, commandWords.slice(1))) : pick([]);
  }
  // Subcommands of the command typed so far (`login` → `mfa-token-sign`); they may also follow its flags.
  const children = childrenOf(table, commandWords);
  if (inCommandWords) {
    const resolution = resolveCommand(table, commandWords);
    const atCommand = resolution.kind === 'command' && resolution.consumed === commandWords.length;
    if (!atCommand) return pick(commandWords.length === 0 ? [...children, HELP_WORD] : children);
  }
  const resolution = resolveCommand(table, commandWords);
  if (resolution.kind !== 'command') return pick([]);
  // Extra bare words are only allowed as positional arguments (CMU `loginHSM CO admin -…`).
  if (resolution.consumed !== commandWords.length && !resolution.command.flags.some((f) => f.positional)) return pick([]);
  const flags = flagsOf(table, resolution.command);
  const named = flags.filter((f) => !f.positional);
  const prefix = flagPrefixOf(table);
  const isFlag = (w: string): boolean => (prefix === '--' ? w.startsWith('--') : /^--?[A-Za-z_]|^-[0-9]+[A-Za-z_]/.test(w));
  const nameOf = (w: string): string => w.replace(/^--?/, '');

  // Completing the value of the flag just before the cursor?
  const lastFlagIndex = done.map(isFlag).lastIndexOf(true);
  const lastFlag = lastFlagIndex < 0 ? undefined : named.find((f) => f.name === nameOf(done[lastFlagIndex] ?? ''));
  const valuesSoFar = done.length - 1 - lastFlagIndex;
  if (lastFlag && !current.startsWith('-')) {
    if (lastFlag.type === 'enum' && valuesSoFar === 0) return pick(lastFlag.choices ?? []);
    if (lastFlag.type !== 'bool' && (valuesSoFar === 0 || MULTI_VALUE_TYPES.has(lastFlag.type))) return pick([]);
  }
  // Bare words of a command with positional arguments (CMU `loginHSM CO admin …`) are free values.
  if (!current.startsWith('-') && flags.some((f) => f.positional)) return pick([]);
  const given = new Set(done.filter(isFlag).map(nameOf));
  const open = named.filter((f) => !given.has(f.name) || MULTI_VALUE_TYPES.has(f.type)).map((f) => `${prefix}${f.name}`);
  return pick([...open, prefix === '--' ? '--help' : '-h', ...children]);
}

/** The command words at the start of a line: every word before the first flag. */
function leadingCommandWords(words: readonly string[]): string[] {
  const out: string[] = [];
  for (const w of words) {
    if (w.startsWith('-')) break;
    out.push(w);
  }
  return out;
}
