/**
 * The embed frame's compact cluster strip: one chip per HSM (live or stopped) and a sync badge,
 * redrawn from the cluster after every command.
 * @module
 */
import type { Cluster } from '../../cluster/cluster.ts';
import { fill, h } from '../dom.ts';

export class ClusterStrip {
  readonly element: HTMLElement;
  readonly #chips: HTMLElement;
  readonly #sync: HTMLElement;

  constructor() {
    this.#chips = h('ul', { class: 'strip-chips', 'aria-label': 'HSMs' });
    this.#sync = h('span', { class: 'badge', 'data-sync': 'unknown' }, 'sync: checking');
    this.element = h('div', { class: 'cluster-strip', role: 'status', 'aria-live': 'polite' }, this.#chips, this.#sync);
  }

  async render(cluster: Cluster): Promise<void> {
    fill(this.#chips, ...cluster.hsms.map((hsm) => h('li', { class: 'strip-chip', 'data-state': hsm.state, title: `HSM ${hsm.index} (${hsm.ip}): ${hsm.state}` }, `HSM ${hsm.index} · ${hsm.state}`)));
    try {
      const sync = await cluster.syncStatus();
      const behind = Object.keys(sync.outOfSync).length;
      this.#sync.dataset.sync = sync.inSync ? 'in-sync' : 'out-of-sync';
      this.#sync.textContent = sync.inSync ? 'in sync' : `out of sync (${behind})`;
    } catch {
      this.#sync.dataset.sync = 'unknown';
      this.#sync.textContent = 'sync: unknown';
    }
    this.element.dataset.hsms = String(cluster.size);
  }
}
