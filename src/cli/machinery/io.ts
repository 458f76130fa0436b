/**
 * What a command line needs from its surroundings: asking the user (passwords left off the
 * line) and reading/writing files named by `--path`/`--data-path`. The page supplies a terminal
 * prompt and the virtual file area; the Node tool supplies readline and the real file system.
 * @module
 */

export interface PromptOptions {
  /** Hide what is typed (passwords). */
  readonly secret: boolean;
}

export interface Io {
  /** Shows `text` and resolves with the line the user typed (without the newline). */
  prompt(text: string, options: PromptOptions): Promise<string>;
  /** Resolves with the file's bytes; rejects with an Error whose message names the path when it cannot. */
  readFile(path: string): Promise<Uint8Array>;
  /** Resolves once written; rejects with an Error whose message names the path when it cannot. */
  writeFile(path: string, bytes: Uint8Array): Promise<void>;
}
