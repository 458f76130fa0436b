/**
 * The tutorials panel: lists the tutorials, shows the current step's text with its commands
 * (each with Run and Copy buttons), checks the learner's sandbox and explains a failing check,
 * shows progress, and can reset the sandbox to the start of any step (by replaying the commands
 * of the steps before it).
 * @module
 */
import { fill, h } from '../dom.ts';
import type { Sandbox } from './sandbox.ts';
import { renderParagraphs } from './safe-markdown.ts';
import { runCheck } from './tutorial-checks.ts';
import type { Tutorial } from './tutorial-format.ts';

export interface TutorialPanelHost {
  /** Run a line as if typed, in the named session (shown in the terminal). */
  runLine(line: string, session: string): Promise<void>;
}

export class TutorialPanel {
  readonly element: HTMLElement;
  readonly #tutorials: readonly Tutorial[];
  readonly #sandbox: Sandbox;
  readonly #host: TutorialPanelHost;
  readonly #body: HTMLElement;
  readonly #picker: HTMLSelectElement;
  #current: Tutorial | undefined;
  #step = 0;
  readonly #done = new Set<number>();

  constructor(tutorials: readonly Tutorial[], sandbox: Sandbox, host: TutorialPanelHost) {
    this.#tutorials = tutorials;
    this.#sandbox = sandbox;
    this.#host = host;
    this.#picker = h('select', { id: 'tutorial-picker' }, h('option', { value: '' }, 'Choose a tutorial…'), ...tutorials.map((t) => h('option', { value: t.id }, t.title)));
    this.#picker.addEventListener('change', () => void this.open(this.#picker.value));
    this.#body = h('div', { class: 'tutorial-body', 'aria-live': 'polite' });
    this.element = h(
      'section',
      { class: 'panel tutorial-panel', 'aria-labelledby': 'tutorial-heading' },
      h('h2', { id: 'tutorial-heading' }, 'Tutorials'),
      h('label', { for: 'tutorial-picker' }, 'Tutorial '),
      this.#picker,
      this.#body,
    );
  }

  /** Start a tutorial from its first step on a fresh sandbox with its settings. */
  async open(id: string): Promise<void> {
    const tutorial = this.#tutorials.find((t) => t.id === id);
    this.#current = tutorial;
    this.#done.clear();
    this.#step = 0;
    this.#picker.value = tutorial?.id ?? '';
    if (!tutorial) {
      fill(this.#body);
      return;
    }
    await this.#sandbox.reset(this.#settingsOf(tutorial));
    this.#render();
  }

  #settingsOf(t: Tutorial): { hsms: number; model: 'hsm2m.medium'; seed?: string } {
    return { hsms: t.hsms, model: 'hsm2m.medium', ...(t.seed ? { seed: t.seed } : {}) };
  }

  /** Reset the sandbox to the state at the start of step `index`. */
  async resetTo(index: number): Promise<void> {
    const t = this.#current;
    if (!t) return;
    await this.#sandbox.reset(this.#settingsOf(t));
    for (const step of t.steps.slice(0, index)) for (const block of step.blocks) for (const line of block.commands) await this.#sandbox.run(line, block.session);
    for (const i of [...this.#done]) if (i >= index) this.#done.delete(i);
    for (let i = 0; i < index; i++) this.#done.add(i);
    this.#step = index;
    this.#render();
  }

  async #check(): Promise<void> {
    const t = this.#current;
    if (!t) return;
    const step = t.steps[this.#step]!;
    const result = this.#body.querySelector<HTMLElement>('.check-result')!;
    result.dataset.state = 'checking';
    result.textContent = 'Checking…';
    for (const check of step.checks) {
      const outcome = await runCheck(check, async (command, session) => (await this.#sandbox.query(command, session)).output);
      if (!outcome.passed) {
        this.#done.delete(this.#step);
        result.dataset.state = 'failed';
        fill(result, h('strong', {}, 'Not yet. '), outcome.explanation ?? '', ' ', h('span', { class: 'check-hint' }, check.hint));
        this.#renderProgress();
        return;
      }
    }
    this.#done.add(this.#step);
    result.dataset.state = 'passed';
    result.textContent = this.#step + 1 < t.steps.length ? 'Done: every check passes. On to the next step.' : 'Done: you have finished this tutorial.';
    this.#renderProgress();
  }

  #renderProgress(): void {
    const t = this.#current;
    const progress = this.#body.querySelector<HTMLElement>('.tutorial-progress');
    if (!t || !progress) return;
    progress.textContent = `Step ${this.#step + 1} of ${t.steps.length} · ${this.#done.size} done`;
    progress.dataset.done = String(this.#done.size);
    const list = this.#body.querySelectorAll<HTMLElement>('.tutorial-steps li');
    list.forEach((li, i) => (li.dataset.done = String(this.#done.has(i))));
  }

  #commandsBlock(t: Tutorial, blockIndex: number): Node | undefined {
    const block = t.steps[this.#step]!.blocks[blockIndex];
    if (!block) return undefined;
    return h(
      'ul',
      { class: 'tutorial-commands', 'data-session': block.session },
      ...block.commands.map((line) =>
        h(
          'li',
          {},
          h('code', {}, line),
          h('button', { type: 'button', class: 'run-command', 'aria-label': `Run ${line} in session ${block.session}`, onclick: () => void this.#host.runLine(line, block.session) }, 'Run'),
          h('button', { type: 'button', 'aria-label': `Copy ${line}`, onclick: () => void navigator.clipboard?.writeText(line).catch(() => undefined) }, 'Copy'),
        ),
      ),
      block.session === 'default' ? null : h('li', { class: 'muted' }, `(in session “${block.session}”)`),
    );
  }

  #render(): void {
    const t = this.#current;
    if (!t) return;
    const step = t.steps[this.#step]!;
    fill(
      this.#body,
      h('p', { class: 'tutorial-progress' }),
      h('ol', { class: 'tutorial-steps' }, ...t.steps.map((s, i) => h('li', { 'aria-current': i === this.#step ? 'step' : undefined }, h('button', { type: 'button', class: 'link', onclick: () => this.#go(i) }, s.title)))),
      this.#step === 0 ? h('div', { class: 'tutorial-intro' }, ...renderParagraphs(t.intro)) : null,
      h('h3', {}, `Step ${this.#step + 1}: ${step.title}`),
      ...renderParagraphs(step.text, (name) => (name.startsWith('commands:') ? this.#commandsBlock(t, Number(name.slice('commands:'.length))) : undefined)),
      h(
        'div',
        { class: 'tutorial-actions' },
        h('button', { type: 'button', class: 'check-step', onclick: () => void this.#check() }, 'Check my work'),
        h('button', { type: 'button', onclick: () => void this.resetTo(this.#step) }, 'Reset to this step'),
        h('button', { type: 'button', disabled: this.#step === 0, onclick: () => this.#go(this.#step - 1) }, 'Previous'),
        h('button', { type: 'button', disabled: this.#step + 1 >= t.steps.length, onclick: () => this.#go(this.#step + 1) }, 'Next'),
      ),
      h('p', { class: 'check-result', role: 'status', 'data-state': 'idle' }),
    );
    this.#renderProgress();
  }

  #go(index: number): void {
    const t = this.#current;
    if (!t || index < 0 || index >= t.steps.length) return;
    this.#step = index;
    this.#render();
  }
}
