/**
 * The Share panel, on both pages: copy a link that replays what was run here (`#scenario=…`),
 * with passwords replaced by placeholders unless "include passwords (demo)" is ticked, and save it
 * as a transcript file under the same password rule. States the length budget of a link, and any
 * notes the page gives on what a replay gives back (seeded or not, what it cannot rebuild). It
 * reads from any {@link ScenarioSource}: the sandbox (embed.html) or the main page's recorder.
 * @module
 */
import { h } from '../dom.ts';
import { MAX_STEPS, type Scenario } from './scenario.ts';
import { MAX_LINK_LENGTH, shareLink } from './share-link.ts';
import { scenarioToTranscript } from './transcript-export.ts';

/** Where the panel reads what to share. */
export interface ScenarioSource {
  /** The current state as a scenario (passwords as typed; the panel redacts them). */
  scenario(): Scenario;
}

export interface SharePanelOptions {
  /** Sentences shown under the budget, re-read on {@link SharePanel.refresh} (e.g. "not seeded: new keys"). */
  readonly notes?: () => readonly string[];
  /** The downloaded transcript's file name. */
  readonly transcriptName?: () => string;
}

export class SharePanel {
  readonly element: HTMLElement;
  readonly #source: ScenarioSource;
  readonly #options: SharePanelOptions;
  readonly #include: HTMLInputElement;
  readonly #output: HTMLInputElement;
  readonly #status: HTMLElement;
  readonly #notes: HTMLElement;

  constructor(source: ScenarioSource, pageAddress: () => string, options: SharePanelOptions = {}) {
    this.#source = source;
    this.#options = options;
    this.#include = h('input', { type: 'checkbox', id: 'share-include-passwords' });
    this.#output = h('input', { type: 'text', id: 'share-link', readonly: true, 'aria-label': 'Share link' });
    this.#status = h('p', { class: 'muted', role: 'status', id: 'share-status' });
    this.#notes = h('ul', { class: 'share-notes', id: 'share-notes' });
    const copy = h('button', { type: 'button', id: 'share-copy' }, 'Copy share link');
    copy.addEventListener('click', () => void this.#makeLink(pageAddress()));
    const save = h('button', { type: 'button', id: 'share-transcript' }, 'Save as transcript (.md)');
    save.addEventListener('click', () => this.#saveTranscript());
    this.element = h(
      'section',
      { class: 'panel share-panel', 'aria-labelledby': 'share-heading' },
      h('h2', { id: 'share-heading' }, 'Share'),
      h('p', { class: 'muted' }, `A link replays the seed, settings and commands run here — never keys. It holds up to ${MAX_STEPS} commands and ${MAX_LINK_LENGTH.toLocaleString('en')} characters (about ${MAX_STEPS} typical commands; long --data values use more).`),
      this.#notes,
      h('label', {}, this.#include, ' include passwords (demo)'),
      h('div', { class: 'share-row' }, copy, save),
      this.#output,
      this.#status,
    );
    this.refresh();
  }

  /** Re-reads the notes (call after the state changed). */
  refresh(): void {
    const notes = this.#options.notes?.() ?? [];
    this.#notes.replaceChildren(...notes.map((note) => h('li', {}, note)));
    this.#notes.hidden = notes.length === 0;
  }

  async #makeLink(base: string): Promise<void> {
    const scenario = this.#source.scenario();
    let result;
    try {
      result = await shareLink(base, scenario, this.#include.checked);
    } catch (error) {
      // A scenario the codec refuses (too many steps, an over-long line): say which.
      this.#status.textContent = `No link: ${(error as Error).message}.`;
      return;
    }
    if (!result.ok) {
      this.#status.textContent = result.message;
      return;
    }
    this.#output.value = result.url;
    this.#output.select();
    const copied = await navigator.clipboard?.writeText(result.url).then(() => true, () => false);
    this.#status.textContent = `${copied ? 'Copied' : 'Link ready'}: ${result.length} of ${MAX_LINK_LENGTH} characters, ${scenario.steps.length} commands${this.#include.checked ? ', passwords included' : ', passwords left out (the person opening it is asked)'}.`;
  }

  #saveTranscript(): void {
    const scenario = this.#source.scenario();
    const text = scenarioToTranscript(scenario, this.#include.checked);
    const url = URL.createObjectURL(new Blob([text], { type: 'text/markdown' }));
    const link = h('a', { href: url, download: this.#options.transcriptName?.() ?? 'hsm-playground-session.md' });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    this.#status.textContent = `Transcript saved: ${scenario.steps.length} commands${this.#include.checked ? ', passwords included' : ', passwords as {{password-N}} placeholders'}.`;
  }
}
