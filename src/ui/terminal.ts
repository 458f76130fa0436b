/**
 * One session's terminal: an input line with history (↑/↓), Tab completion, and a scrolling log
 * of answers, each pretty-printed with a copy button. When the command asks for more input (a
 * password left off the line), the same input line becomes a hidden password field labelled with
 * the prompt. A refusal gets an explanation line under the real envelope. Generic: it runs
 * whatever {@link TerminalBackend} it is given, so it is tested without a cluster.
 * @module
 */
import { h } from './dom.ts';
import { CommandHistory } from './history.ts';
import { jsonElement } from './json-view.ts';

export interface TerminalAnswer {
  /** What the tool printed (one JSON document, or help text). */
  readonly output: string;
  /** error_code 1 answers are marked as refusals. */
  readonly failed: boolean;
  /** A short line shown under the answer (e.g. which role could have run it). */
  readonly explanation?: string;
}

export interface TerminalBackend {
  run(line: string): Promise<TerminalAnswer>;
  complete(line: string, cursor: number): { readonly start: number; readonly candidates: readonly string[] };
  /** The prompt to show now (a tool switch changes it; CMU's follows server mode); {@link PROMPT} when absent. */
  prompt?(): string;
}

interface PendingPrompt {
  readonly resolve: (answer: string) => void;
  readonly reject: (error: Error) => void;
}

export const PROMPT = 'aws-cloudhsm > ';

export class Terminal {
  readonly element: HTMLElement;
  readonly #log: HTMLElement;
  readonly #input: HTMLInputElement;
  readonly #label: HTMLLabelElement;
  readonly #labelText: string;
  readonly #promptText: HTMLElement;
  readonly #history = new CommandHistory();
  readonly #backend: TerminalBackend;
  #pending: PendingPrompt | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #busy = 0;
  readonly #listeners: ((line: string, answer: TerminalAnswer) => void)[] = [];

  constructor(backend: TerminalBackend, options: { readonly id: string; readonly name: string }) {
    this.#backend = backend;
    const inputId = `${options.id}-input`;
    this.#log = h('div', { class: 'term-log', role: 'log', 'aria-live': 'polite', 'aria-label': `Answers in ${options.name}`, tabindex: 0 });
    this.#promptText = h('span', { class: 'term-prompt', 'aria-hidden': 'true' }, this.#currentPrompt());
    this.#labelText = `Command for ${options.name}`;
    this.#label = h('label', { for: inputId, class: 'visually-hidden' }, this.#labelText);
    this.#input = h('input', {
      id: inputId,
      class: 'term-input',
      type: 'text',
      autocomplete: 'off',
      autocapitalize: 'off',
      spellcheck: 'false',
      'aria-describedby': `${options.id}-keys`,
    });
    const keys = h('p', { id: `${options.id}-keys`, class: 'term-keys' }, 'Enter runs, ↑/↓ history, Tab completes, Esc clears.');
    const form = h('form', { class: 'term-line', onsubmit: (e) => this.#submit(e) }, this.#label, this.#promptText, this.#input);
    this.element = h('section', { class: 'terminal', 'aria-label': `Terminal of ${options.name}` }, this.#log, form, keys);
    this.#input.addEventListener('keydown', (e) => this.#key(e));
  }

  /** The input line (for focusing and tests). */
  get input(): HTMLInputElement {
    return this.#input;
  }

  /** Called after each command with its line and answer (inspectors refresh from it). */
  onAnswer(listener: (line: string, answer: TerminalAnswer) => void): void {
    this.#listeners.push(listener);
  }

  /** Runs a line as if typed (quick actions use it); lines run one after another. */
  run(line: string): Promise<TerminalAnswer> {
    const next = this.#queue.then(() => this.#runNow(line));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** Asks the user through the input line; `secret` hides what is typed. Rejects when cancelled with Esc. */
  prompt(text: string, secret: boolean): Promise<string> {
    if (this.#pending) this.#pending.reject(new Error('a newer prompt replaced this one'));
    this.#printLine('term-ask', text);
    this.#promptText.textContent = `${text} `;
    this.#label.textContent = text;
    this.#input.type = secret ? 'password' : 'text';
    this.#input.value = '';
    this.#input.focus();
    return new Promise<string>((resolve, reject) => {
      this.#pending = { resolve, reject };
    }).finally(() => {
      this.#pending = undefined;
      this.#promptText.textContent = this.#currentPrompt();
      this.#label.textContent = this.#labelText;
      this.#input.type = 'text';
    });
  }

  /** Prints a note in the log (not an answer): e.g. "Session opened". */
  note(text: string): void {
    this.#printLine('term-note', text);
  }

  focus(): void {
    this.#input.focus();
  }

  /** Shows the backend's current prompt (after a tool switch); a pending question keeps its own text. */
  refreshPrompt(): void {
    if (!this.#pending) this.#promptText.textContent = this.#currentPrompt();
  }

  #currentPrompt(): string {
    return this.#backend.prompt?.() ?? PROMPT;
  }

  async #runNow(line: string): Promise<TerminalAnswer> {
    this.#history.record(line);
    this.#printLine('term-echo', this.#currentPrompt() + line);
    this.#busy++;
    this.element.setAttribute('aria-busy', 'true');
    let answer: TerminalAnswer;
    try {
      answer = await this.#backend.run(line);
    } catch (e) {
      answer = { output: JSON.stringify({ error_code: 1, data: `The page failed to run the command: ${e instanceof Error ? e.message : String(e)}` }, null, 2), failed: true };
    } finally {
      if (--this.#busy === 0) this.element.removeAttribute('aria-busy');
    }
    this.#printAnswer(answer);
    this.refreshPrompt();
    for (const listener of this.#listeners) listener(line, answer);
    return answer;
  }

  #submit(event: Event): void {
    event.preventDefault();
    const value = this.#input.value;
    this.#input.value = '';
    if (this.#pending) {
      this.#printLine('term-echo', this.#input.type === 'password' ? '********' : value);
      this.#pending.resolve(value);
      return;
    }
    if (value.trim() === '') return;
    void this.run(value);
  }

  #key(event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      this.#input.value = '';
      if (this.#pending) {
        this.#printLine('term-note', '(cancelled)');
        this.#pending.reject(new Error('cancelled'));
      }
      return;
    }
    if (this.#pending) return;
    if (event.key === 'ArrowUp') {
      event.preventDefault();
      this.#input.value = this.#history.previous(this.#input.value);
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      this.#input.value = this.#history.next(this.#input.value);
    } else if (event.key === 'Tab' && !event.shiftKey && this.#input.value.trim() !== '') {
      // Tab completes while there is something to complete; on an empty line it moves focus as usual.
      event.preventDefault();
      this.#complete();
    }
  }

  #complete(): void {
    const line = this.#input.value;
    const cursor = this.#input.selectionStart ?? line.length;
    const { start, candidates } = this.#backend.complete(line, cursor);
    if (candidates.length === 0) return;
    const common = commonPrefix(candidates);
    const word = line.slice(start, cursor);
    const replacement = candidates.length === 1 ? `${common} ` : common;
    if (replacement.length > word.length || candidates.length === 1) {
      this.#input.value = line.slice(0, start) + replacement + line.slice(cursor);
      const at = start + replacement.length;
      this.#input.setSelectionRange(at, at);
    }
    if (candidates.length > 1) this.#printLine('term-candidates', candidates.join('  '));
  }

  #printLine(kind: string, text: string): void {
    this.#log.append(h('p', { class: kind }, text));
    this.#scroll();
  }

  #printAnswer(answer: TerminalAnswer): void {
    const pre = h('pre', { class: 'term-output' }, jsonElement(answer.output));
    const copy = h('button', { type: 'button', class: 'copy', 'aria-label': 'Copy this answer' }, 'Copy');
    copy.addEventListener('click', () => void copyText(answer.output, copy));
    const entry = h(
      'div',
      { class: `term-answer${answer.failed ? ' failed' : ''}`, 'data-failed': String(answer.failed) },
      pre,
      copy,
      answer.explanation ? h('p', { class: 'term-explain', role: 'note' }, answer.explanation) : null,
    );
    this.#log.append(entry);
    this.#scroll();
  }

  #scroll(): void {
    this.#log.scrollTop = this.#log.scrollHeight;
  }
}

/** The longest prefix all words share. */
export function commonPrefix(words: readonly string[]): string {
  if (words.length === 0) return '';
  let prefix = words[0] as string;
  for (const w of words) while (!w.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

async function copyText(text: string, button: HTMLButtonElement): Promise<void> {
  let done = false;
  try {
    await navigator.clipboard.writeText(text);
    done = true;
  } catch {
    // No clipboard permission (e.g. an embedded frame): fall back to a hidden textarea selection.
    const area = h('textarea', { class: 'visually-hidden', 'aria-hidden': 'true' });
    area.value = text;
    document.body.append(area);
    area.select();
    done = document.execCommand('copy');
    area.remove();
  }
  button.textContent = done ? 'Copied' : 'Copy failed';
  button.dataset.copied = String(done);
  setTimeout(() => {
    button.textContent = 'Copy';
  }, 1500);
}
