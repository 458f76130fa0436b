/**
 * The Share panel: copy a link that replays this sandbox (`#scenario=…`), with passwords replaced
 * by placeholders unless "include passwords (demo)" is ticked, and save the session as a
 * transcript file. States the length budget of a link.
 * @module
 */
import { h } from '../dom.ts';
import type { Sandbox } from './sandbox.ts';
import { MAX_STEPS } from './scenario.ts';
import { MAX_LINK_LENGTH, shareLink } from './share-link.ts';
import { scenarioToTranscript } from './transcript-export.ts';

export class SharePanel {
  readonly element: HTMLElement;
  readonly #sandbox: Sandbox;
  readonly #include: HTMLInputElement;
  readonly #output: HTMLInputElement;
  readonly #status: HTMLElement;

  constructor(sandbox: Sandbox, pageAddress: () => string) {
    this.#sandbox = sandbox;
    this.#include = h('input', { type: 'checkbox', id: 'share-include-passwords' });
    this.#output = h('input', { type: 'text', id: 'share-link', readonly: true, 'aria-label': 'Share link' });
    this.#status = h('p', { class: 'muted', role: 'status' });
    const copy = h('button', { type: 'button', id: 'share-copy' }, 'Copy share link');
    copy.addEventListener('click', () => void this.#makeLink(pageAddress()));
    const save = h('button', { type: 'button', id: 'share-transcript' }, 'Save as transcript (.md)');
    save.addEventListener('click', () => this.#saveTranscript());
    this.element = h(
      'section',
      { class: 'panel share-panel', 'aria-labelledby': 'share-heading' },
      h('h2', { id: 'share-heading' }, 'Share'),
      h('p', { class: 'muted' }, `A link replays the seed, settings and commands of this sandbox — never keys. It holds up to ${MAX_STEPS} commands and ${MAX_LINK_LENGTH.toLocaleString('en')} characters (about ${MAX_STEPS} typical commands; long --data values use more).`),
      h('label', {}, this.#include, ' include passwords (demo)'),
      h('div', { class: 'share-row' }, copy, save),
      this.#output,
      this.#status,
    );
  }

  async #makeLink(base: string): Promise<void> {
    const result = await shareLink(base, this.#sandbox.scenario(), this.#include.checked);
    if (!result.ok) {
      this.#status.textContent = result.message;
      return;
    }
    this.#output.value = result.url;
    this.#output.select();
    const copied = await navigator.clipboard?.writeText(result.url).then(() => true, () => false);
    this.#status.textContent = `${copied ? 'Copied' : 'Link ready'}: ${result.length} of ${MAX_LINK_LENGTH} characters, ${this.#sandbox.steps.length} commands${this.#include.checked ? ', passwords included' : ', passwords left out (the person opening it is asked)'}.`;
  }

  #saveTranscript(): void {
    const text = scenarioToTranscript(this.#sandbox.scenario(), this.#include.checked);
    const url = URL.createObjectURL(new Blob([text], { type: 'text/markdown' }));
    const link = h('a', { href: url, download: 'hsm-playground-session.md' });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
