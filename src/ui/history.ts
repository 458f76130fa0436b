/**
 * A terminal's command history, as shells keep it: ↑ walks back through earlier lines, ↓ walks
 * forward and finally returns to the line being typed (kept as a draft, not lost). Consecutive
 * duplicates and blank lines are not recorded, and lines holding a password are never recorded.
 * @module
 */

/** True for lines that carry a secret on the command line (`--password …`); they stay out of history. */
export function holdsSecret(line: string): boolean {
  return /(^|\s)--(password|change-password)(\s|=|$)/.test(line);
}

export class CommandHistory {
  readonly #lines: string[] = [];
  readonly #limit: number;
  /** Position while browsing: `#lines.length` means "the draft". */
  #cursor = 0;
  #draft = '';

  constructor(limit = 200) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`history limit must be a positive integer, got ${String(limit)}`);
    this.#limit = limit;
  }

  /** The recorded lines, oldest first. */
  get lines(): readonly string[] {
    return this.#lines;
  }

  /** Records a line that was run (unless blank, a repeat of the last one, or holding a password), and stops browsing. */
  record(line: string): void {
    const text = line.trim();
    if (text !== '' && text !== this.#lines.at(-1) && !holdsSecret(text)) {
      this.#lines.push(text);
      if (this.#lines.length > this.#limit) this.#lines.shift();
    }
    this.#cursor = this.#lines.length;
    this.#draft = '';
  }

  /** ↑: the previous line; `current` is what the input holds now (kept as the draft when leaving it). */
  previous(current: string): string {
    if (this.#cursor === this.#lines.length) this.#draft = current;
    if (this.#cursor > 0) this.#cursor--;
    return this.#lines[this.#cursor] ?? current;
  }

  /** ↓: the next line, or the draft after the newest. */
  next(current: string): string {
    if (this.#cursor >= this.#lines.length) return current;
    this.#cursor++;
    return this.#cursor === this.#lines.length ? this.#draft : (this.#lines[this.#cursor] as string);
  }
}
