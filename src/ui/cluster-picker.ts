/**
 * The cluster picker at the top of the cluster panel: a list of the page's clusters (the current
 * one selected; a clone is marked with the cluster it shares its cluster id with) and the buttons
 * "New cluster", "Clone this cluster" and "Remove cluster…". What the buttons do is the page's
 * business (app.ts); the picker only shows the list and reports choices.
 * @module
 */
import { h } from './dom.ts';

/** What the picker shows of a cluster. */
export interface PickedCluster {
  readonly name: string;
  readonly clusterId: string;
  readonly size: number;
}

export interface ClusterPickerActions {
  choose(name: string): void;
  create(): void;
  clone(): void;
  remove(name: string): void;
}

/** The option text of each cluster: name, HSM count, and which earlier cluster a clone shares its id with. */
export function clusterLabels(clusters: readonly PickedCluster[]): string[] {
  return clusters.map((c, i) => {
    const origin = clusters.slice(0, i).find((o) => o.clusterId === c.clusterId);
    return `${c.name} · ${c.size} HSM${c.size === 1 ? '' : 's'}${origin ? ` · clone of ${origin.name}` : ''}`;
  });
}

export class ClusterPicker {
  readonly #select: HTMLSelectElement;
  readonly #remove: HTMLButtonElement;

  constructor(elements: { select: HTMLSelectElement; create: HTMLButtonElement; clone: HTMLButtonElement; remove: HTMLButtonElement }, actions: ClusterPickerActions) {
    this.#select = elements.select;
    this.#remove = elements.remove;
    this.#select.addEventListener('change', () => actions.choose(this.#select.value));
    elements.create.addEventListener('click', () => actions.create());
    elements.clone.addEventListener('click', () => actions.clone());
    this.#remove.addEventListener('click', () => actions.remove(this.#select.value));
  }

  /** Lists `clusters` with `current` selected; the only cluster cannot be removed. */
  render(clusters: readonly PickedCluster[], current: string): void {
    const labels = clusterLabels(clusters);
    this.#select.replaceChildren(...clusters.map((c, i) => h('option', { value: c.name }, labels[i]!)));
    this.#select.value = current;
    this.#remove.disabled = clusters.length < 2;
  }
}
