/**
 * Puts the values a command asked for back onto its line. When a learner types `login --username
 * admin --role admin` and answers the hidden "Enter password:" prompt, the page records
 * `login --username admin --role admin --password <value>` — the line that does the same thing
 * unattended, which is what a share link or a transcript replays. The prompts come in the order
 * the CLI asks them (its table's prompted flags left off the line, a confirmation after each flag
 * that has one), so they are matched to flags by that same order, read from the command table.
 * Pure: the recorder and its tests use it without a page.
 * @module
 */
import { CLOUDHSM_CLI } from '../cli/cloudhsm-cli/table.ts';
import { parseLine } from '../cli/machinery/parser.ts';
import { flagsOf } from '../cli/machinery/spec.ts';
import { quoteWord } from '../cli/machinery/tokenizer.ts';

/** One answer the user gave to a prompt while a command ran. */
export interface PromptAnswer {
  /** The prompt's text (e.g. `Enter password:`). */
  readonly text: string;
  readonly secret: boolean;
  readonly value: string;
}

/**
 * `line` with each prompted flag it left off appended as `--flag value`, in the CLI's prompt order.
 * Stops at the first flag whose prompt was not answered (cancelled with Esc) or whose confirmation
 * differed (the command then failed before running, as an unattended replay of the shorter line
 * also fails). Lines that are not cloudhsm-cli commands, or asked nothing, come back unchanged.
 */
export function withPromptedFlags(line: string, answers: readonly PromptAnswer[]): string {
  if (answers.length === 0) return line;
  const parsed = parseLine(CLOUDHSM_CLI, line);
  if (parsed.kind !== 'command') return line;
  let next = 0;
  let out = line.trimEnd();
  for (const spec of flagsOf(CLOUDHSM_CLI, parsed.command)) {
    if (!spec.prompt || parsed.flags.has(spec.name)) continue;
    const answer = answers[next];
    if (answer === undefined || answer.text !== spec.prompt.text) break;
    next++;
    if (spec.prompt.confirm !== undefined) {
      const confirmation = answers[next];
      if (confirmation === undefined || confirmation.text !== spec.prompt.confirm || confirmation.value !== answer.value) break;
      next++;
    }
    out += ` --${spec.name} ${quoteWord(answer.value)}`;
  }
  return out;
}
