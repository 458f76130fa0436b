/**
 * The cluster panel: a card per HSM (server id, IP, model, serial, firmware, live/stopped, user
 * and key counts, whether it holds everything the others hold) with stop, start and remove, an
 * "Add HSM" button, and the cluster's sync badge from comparing the HSMs' sync-status digests.
 * @module
 */
import type { Cluster, SyncStatus } from '../cluster/cluster.ts';
import { h, fill } from './dom.ts';

export interface ClusterFacts {
  readonly summaries: Awaited<ReturnType<Cluster['summaries']>>;
  readonly sync: SyncStatus | undefined;
}

/** Reads what the panel and the inspectors show, in one go. */
export async function readClusterFacts(cluster: Cluster): Promise<ClusterFacts> {
  const [summaries, sync] = await Promise.all([cluster.summaries(), cluster.syncStatus().catch(() => undefined)]);
  return { summaries, sync };
}

/** Objects that are missing or different on HSM `index`. */
export function behindOn(sync: SyncStatus | undefined, index: number): number {
  if (!sync) return 0;
  return Object.values(sync.outOfSync).filter((o) => o.missingOn.includes(index) || o.differentOn.includes(index)).length;
}

export interface ClusterViewActions {
  stop(index: number): Promise<void>;
  start(index: number): Promise<void>;
  remove(index: number): Promise<void>;
}

export class ClusterView {
  readonly #cards: HTMLElement;
  readonly #badge: HTMLElement;
  readonly #id: HTMLElement;
  readonly #actions: ClusterViewActions;

  constructor(elements: { cards: HTMLElement; badge: HTMLElement; id: HTMLElement }, actions: ClusterViewActions) {
    this.#cards = elements.cards;
    this.#badge = elements.badge;
    this.#id = elements.id;
    this.#actions = actions;
  }

  render(cluster: Cluster, facts: ClusterFacts): void {
    this.#id.textContent = `Cluster id ${cluster.clusterId} · ${cluster.size} HSM${cluster.size === 1 ? '' : 's'}`;
    const sync = facts.sync;
    const behind = sync ? Object.keys(sync.outOfSync).length : 0;
    this.#badge.dataset.sync = !sync ? 'unknown' : sync.inSync ? 'in-sync' : 'out-of-sync';
    this.#badge.textContent = !sync ? 'sync: unknown' : sync.inSync ? 'in sync' : `out of sync (${behind} object${behind === 1 ? '' : 's'})`;
    const single = facts.summaries.length === 1;
    fill(
      this.#cards,
      ...facts.summaries.map(({ index, state, summary }) => {
        const live = state === 'live';
        const missing = behindOn(sync, index);
        const name = `HSM ${index}`;
        const stateText = live ? (missing > 0 ? `live, ${missing} behind` : 'live, in sync') : state;
        return h(
          'li',
          { class: 'hsm-card', 'data-index': index, 'data-live': String(live), 'aria-label': `${name}: ${stateText}` },
          h('h3', {}, name, h('span', { class: 'badge', 'data-state': live ? 'live' : state === 'starting' ? 'starting' : 'stopped' }, stateText)),
          h(
            'dl',
            {},
            h('dt', {}, 'IP'), h('dd', {}, summary?.ip ?? '–'),
            h('dt', {}, 'Model'), h('dd', {}, summary?.model ?? '–'),
            h('dt', {}, 'Serial'), h('dd', {}, summary?.serialNumber ?? '–'),
            h('dt', {}, 'Firmware'), h('dd', {}, summary?.firmwareId ?? '–'),
            h('dt', {}, 'Users'), h('dd', { 'data-field': 'users' }, summary ? String(summary.userCount) : '–'),
            h('dt', {}, 'Keys'), h('dd', { 'data-field': 'keys' }, summary ? String(summary.keyCount) : '–'),
          ),
          h(
            'div',
            { class: 'card-actions' },
            this.#button('Stop', `Stop ${name}`, !live, () => this.#actions.stop(index)),
            this.#button('Start', `Start ${name}`, live || state === 'starting', () => this.#actions.start(index)),
            this.#button('Remove', `Remove ${name}`, single, () => this.#actions.remove(index)),
          ),
        );
      }),
    );
  }

  #button(text: string, label: string, disabled: boolean, action: () => Promise<void>): HTMLButtonElement {
    const button = h('button', { type: 'button', 'aria-label': label, disabled }, text);
    button.addEventListener('click', () => {
      button.disabled = true;
      void action();
    });
    return button;
  }
}
