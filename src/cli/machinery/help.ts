/**
 * Plain-text help generated from a command table: the command list (`help`), a group's
 * commands (`help key`), and one command's usage, flags and examples (`help key list`,
 * `key list --help`). A tool adds its own lines (e.g. roles) through {@link HelpStyle}.
 * @module
 */
import { childrenOf } from './parser.ts';
import { commandName, flagPrefixOf, flagsOf, valueNameOf, type CommandSpec, type CommandTable, type FlagSpec } from './spec.ts';

export const EXTENSION_MARK = '(playground extension)';

export interface HelpStyle<C extends CommandSpec> {
  /** The prompt shown before example lines (`aws-cloudhsm > `). */
  readonly prompt: string;
  /** How an example's answer is printed. */
  formatAnswer(answer: unknown): string;
  /** Extra lines after the flags of a command (e.g. "Roles: crypto-user"). */
  extraLines?(command: C): readonly string[];
}

/** The one-line help, with the extension mark when the command is not in the real tool. */
export function summaryOf(command: CommandSpec): string {
  return command.extension ? `${command.help} ${EXTENSION_MARK}` : command.help;
}

function pad(text: string, width: number): string {
  return text.length >= width ? `${text}  ` : text + ' '.repeat(width - text.length);
}

/** `--label <LABEL>`, `--verbose`, `--filter <FILTER>...`; `-l <LABEL>` with prefix `-`; `<USER>` when positional. */
export function flagUsage(flag: FlagSpec, prefix: '--' | '-' = '--'): string {
  if (flag.positional) return `<${valueNameOf(flag)}>`;
  if (flag.type === 'bool') return `${prefix}${flag.name}`;
  const many = flag.type === 'filter' || flag.type === 'attributes' || flag.type === 'list' ? '...' : '';
  return `${prefix}${flag.name} <${valueNameOf(flag)}>${many}`;
}

/** `key list [OPTIONS]`, with required flags spelt out and exclusive groups as `(--a | --b)`. */
export function usageLine(command: CommandSpec, prefix: '--' | '-' = '--'): string {
  const parts = [commandName(command)];
  const grouped = new Set((command.groups ?? []).flatMap((g) => g.flags));
  for (const f of command.flags) if (f.positional) parts.push(f.required ? flagUsage(f, prefix) : `[${flagUsage(f, prefix)}]`);
  for (const f of command.flags) if (f.required && !f.positional && !grouped.has(f.name)) parts.push(flagUsage(f, prefix));
  for (const g of command.groups ?? []) {
    const alts = g.flags.map((n) => command.flags.find((f) => f.name === n)).filter((f): f is FlagSpec => f !== undefined);
    const text = alts.map((f) => flagUsage(f, prefix)).join(' | ');
    parts.push(g.required ? `(${text})` : `[${text}]`);
  }
  if (command.flags.some((f) => !f.required && !f.positional && !grouped.has(f.name))) parts.push('[OPTIONS]');
  return parts.join(' ');
}

/** What a flag line says after the help: required, default, choices. */
export function flagNotes(flag: FlagSpec): string {
  const notes: string[] = [];
  if (flag.required) notes.push('required');
  if (flag.choices) notes.push(`one of: ${flag.choices.join(', ')}`);
  if (flag.default !== undefined) notes.push(`default: ${String(flag.default)}`);
  if (flag.min !== undefined || flag.max !== undefined) notes.push(`range: ${flag.min ?? '…'}–${flag.max ?? '…'}`);
  if (flag.prompt) notes.push(`prompted for${flag.prompt.secret ? ' (hidden)' : ''} when left off`);
  return notes.length > 0 ? ` [${notes.join('; ')}]` : '';
}

/**
 * The commands one word below `command` (`login` → `login mfa-token-sign`), which may also be
 * written after the parent's flags.
 */
export function subcommandsOf<C extends CommandSpec>(table: CommandTable<C>, command: CommandSpec): C[] {
  return table.commands.filter((c) => c.path.length === command.path.length + 1 && command.path.every((w, i) => c.path[i] === w));
}

/**
 * The usage of a subcommand written after its parent's flags, as the real tool documents it:
 * `login --username <USERNAME> --role <ROLE> mfa-token-sign --token <TOKEN> [OPTIONS]`.
 */
export function trailingUsageLine(parent: CommandSpec, child: CommandSpec, prefix: '--' | '-' = '--'): string {
  const parentNames = new Set(parent.flags.map((f) => f.name));
  const own: CommandSpec = { ...child, path: [], flags: child.flags.filter((f) => !parentNames.has(f.name)) };
  const parentPart = usageLine(parent, prefix).replace(/ \[OPTIONS\]$/, '');
  const childPart = usageLine(own, prefix).trim();
  const optional = child.flags.some((f) => !f.required && !f.positional);
  return [parentPart, child.path.at(-1) ?? '', childPart.replace(/ ?\[OPTIONS\]$/, ''), optional ? '[OPTIONS]' : ''].filter((p) => p !== '').join(' ');
}

export function renderCommandList(table: CommandTable, prefix: readonly string[] = []): string {
  const commands = table.commands.filter((c) => prefix.every((w, i) => c.path[i] === w));
  const width = Math.max(...commands.map((c) => commandName(c).length), 4) + 3;
  const head =
    prefix.length === 0
      ? `${table.program} commands (type 'help <command>' or '<command> --help' for details):`
      : `Commands under '${prefix.join(' ')}' (subcommands: ${childrenOf(table, prefix).join(', ')}):`;
  const lines = commands.map((c) => `  ${pad(commandName(c), width)}${summaryOf(c)}`);
  if (prefix.length === 0) lines.push(`  ${pad('help', width)}List commands, or explain one: help <command>`);
  return [head, '', ...lines].join('\n');
}

export function renderCommandHelp<C extends CommandSpec>(table: CommandTable<C>, command: C, style: HelpStyle<C>): string {
  const flags = flagsOf(table, command);
  const prefix = flagPrefixOf(table);
  const width = Math.max(...flags.map((f) => flagUsage(f, prefix).length), 10) + 3;
  const out: string[] = [`${commandName(command)}: ${summaryOf(command)}`];
  if (command.details) out.push('', command.details);
  out.push('', `Usage: ${usageLine(command, prefix)}`);
  const subcommands = subcommandsOf(table, command);
  for (const sub of subcommands) out.push(`       ${trailingUsageLine(command, sub, prefix)}`);
  if (subcommands.length > 0) {
    out.push('', 'Subcommands (written after the command or after its flags):');
    const subWidth = Math.max(...subcommands.map((c) => (c.path.at(-1) ?? '').length), 10) + 3;
    for (const sub of subcommands) out.push(`  ${pad(sub.path.at(-1) ?? '', subWidth)}${summaryOf(sub)} (help ${commandName(sub)})`);
  }
  out.push('', 'Options:');
  for (const f of flags) out.push(`  ${pad(flagUsage(f, prefix), width)}${f.help}${flagNotes(f)}`);
  out.push(`  ${pad(prefix === '-' ? '-h' : '-h, --help', width)}Print help`);
  for (const g of command.groups ?? []) {
    out.push('', `${g.required ? 'Exactly' : 'At most'} one of: ${g.flags.map((f) => `${prefix}${f}`).join(', ')}`);
  }
  const extra = style.extraLines?.(command) ?? [];
  if (extra.length > 0) out.push('', ...extra);
  for (const ex of command.examples) {
    out.push('', ex.note ? `Example (${ex.note}):` : 'Example:', `  ${style.prompt}${ex.line}`);
    out.push(...style.formatAnswer(ex.answer).split('\n').map((l) => `  ${l}`));
  }
  return out.join('\n');
}
