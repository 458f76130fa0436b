/**
 * The command lines of a script, tutorial step or code block: one cloudhsm-cli command per line,
 * the `aws-cloudhsm > ` prompt optional (so lines copied from the AWS documentation or from a
 * terminal work as they are), blank lines and `#` comments skipped. Pure: used by transcripts,
 * scenarios, tutorials and the embed API alike.
 * @module
 */

/** The real tool's prompt, as it appears in front of commands in documentation. */
export const CLI_PROMPT = 'aws-cloudhsm > ';

const PROMPT_PATTERN = /^\s*aws-cloudhsm\s*>\s?/;

/** `aws-cloudhsm > user list` → `user list`; a line without the prompt is returned trimmed. */
export function stripPrompt(line: string): string {
  return line.replace(PROMPT_PATTERN, '').trim();
}

/** True for lines that run nothing: blank, or a `#` comment (after an optional prompt). */
export function isInertLine(line: string): boolean {
  const text = stripPrompt(line);
  return text === '' || text.startsWith('#');
}

/** The commands of a block of text, in order, prompts stripped, inert lines dropped. */
export function commandLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .filter((line) => !isInertLine(line))
    .map(stripPrompt);
}
