/**
 * The users and keys inspectors, refreshed after every command: what the active session may see,
 * read through that session (so a crypto user sees the keys it owns or shares plus every public
 * key, an admin sees key references and labels, and someone not logged in sees users only). Each
 * key shows its owner, shared users, check value, attributes and where it is, HSM by HSM.
 * @module
 */
import type { ClusterSession } from '../cluster/session.ts';
import { h, fill } from './dom.ts';
import type { ClusterFacts } from './cluster-view.ts';
import { gate, roleOf } from './roles.ts';
import type { KeyView } from './session-view.ts';

interface UserRow {
  readonly username: string;
  readonly role: string;
  readonly locked: string;
  readonly mfa?: readonly unknown[];
  readonly quorum?: readonly unknown[];
  readonly 'cluster-coverage'?: string;
}

/** The sync-status name of a key reference (`key:0x` + 16 hex digits). */
export function syncName(reference: string): string {
  const value = /^0x[0-9a-f]+$/i.test(reference) ? BigInt(reference) : BigInt(Number(reference));
  return `key:0x${value.toString(16).padStart(16, '0')}`;
}

/** Where a key is, HSM by HSM: present, missing, different, or the HSM is stopped. */
export function presencePerHsm(reference: string, facts: ClusterFacts): { index: number; where: 'present' | 'missing' | 'different' | 'stopped' }[] {
  const name = syncName(reference);
  const out = facts.sync?.outOfSync[name];
  return facts.summaries.map(({ index, state }) => ({
    index,
    where: state !== 'live' ? 'stopped' : out?.missingOn.includes(index) ? 'missing' : out?.differentOn.includes(index) ? 'different' : 'present',
  }));
}

function coverageSpan(value: string | undefined): HTMLElement {
  return h('span', { class: value === 'full' ? 'coverage-full' : value === 'partial' ? 'coverage-partial' : '' }, value ?? '–');
}

export class Inspectors {
  readonly #users: HTMLElement;
  readonly #keys: HTMLElement;
  readonly #as: HTMLElement;

  constructor(elements: { users: HTMLElement; keys: HTMLElement; as: HTMLElement }) {
    this.#users = elements.users;
    this.#keys = elements.keys;
    this.#as = elements.as;
  }

  /** Refreshes both inspectors for `session`; answers the keys seen (for the quick actions). */
  async refresh(session: ClusterSession, sessionName: string, facts: ClusterFacts): Promise<readonly KeyView[]> {
    const role = roleOf(session.identity);
    this.#as.textContent = `As seen by ${sessionName} (${session.identity ? session.identity.username : 'not logged in'}).`;
    const [users, keys] = await Promise.all([session.request('user.list', {}), gate('key.list', role).allowed ? session.request('key.list', { verbose: true, maxItems: 1000 }) : undefined]);
    this.#renderUsers(users.error_code === 0 ? ((users.data as { users?: UserRow[] }).users ?? []) : String(users.data));
    const gateKeys = gate('key.list', role);
    if (!keys) {
      fill(this.#keys, h('p', { class: 'muted' }, `Listing keys ${gateKeys.allowed ? 'is allowed' : gateKeys.reason}.`));
      return [];
    }
    if (keys.error_code !== 0) {
      fill(this.#keys, h('p', { class: 'muted' }, String(keys.data)));
      return [];
    }
    const list = ((keys.data as { matched_keys?: KeyView[] }).matched_keys ?? []) as KeyView[];
    this.#renderKeys(list, facts);
    return list;
  }

  #renderUsers(users: readonly UserRow[] | string): void {
    if (typeof users === 'string') {
      fill(this.#users, h('p', { class: 'muted' }, users));
      return;
    }
    const rows = users.map((u) =>
      h(
        'tr',
        { 'data-username': u.username },
        h('th', { scope: 'row' }, u.username),
        h('td', {}, u.role),
        h('td', {}, u.locked === 'true' ? 'locked' : 'no'),
        h('td', {}, coverageSpan(u['cluster-coverage'])),
      ),
    );
    fill(
      this.#users,
      h(
        'table',
        { class: 'users-table' },
        h('caption', { class: 'visually-hidden' }, 'Users of the cluster'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'User'), h('th', { scope: 'col' }, 'Role'), h('th', { scope: 'col' }, 'Locked'), h('th', { scope: 'col' }, 'Coverage'))),
        h('tbody', {}, ...rows),
      ),
    );
  }

  #renderKeys(keys: readonly KeyView[], facts: ClusterFacts): void {
    if (keys.length === 0) {
      fill(this.#keys, h('p', { class: 'muted' }, 'No keys visible to this session.'));
      return;
    }
    fill(
      this.#keys,
      ...keys.map((key) => {
        const ref = key['key-reference'];
        const a = key.attributes ?? {};
        const info = key['key-info'];
        const owners = info?.['key-owners']?.map((o) => o.username).join(', ');
        const shared = info?.['shared-users']?.map((o) => o.username).join(', ');
        const where = presencePerHsm(ref, facts);
        const attrs = Object.entries(a).filter(([name]) => !['label', 'check-value', 'ec-point', 'modulus'].includes(name));
        return h(
          'details',
          { class: 'key-card', 'data-key-reference': ref, 'data-label': String(a['label'] ?? ''), 'data-coverage': info?.['cluster-coverage'] ?? '' },
          h('summary', {}, `${String(a['label'] ?? '(no label)')} · ${String(a['key-type'] ?? '?')} ${String(a['class'] ?? '')} · ${ref} · `, coverageSpan(info?.['cluster-coverage'])),
          h(
            'dl',
            {},
            h('dt', {}, 'Owner'), h('dd', {}, owners || '–'),
            h('dt', {}, 'Shared with'), h('dd', {}, shared || '–'),
            h('dt', {}, 'Check value'), h('dd', {}, String(a['check-value'] ?? '–')),
            h('dt', {}, 'Coverage'), h('dd', {}, coverageSpan(info?.['cluster-coverage'])),
            h('dt', {}, 'Per HSM'),
            h('dd', { 'data-field': 'per-hsm' }, where.map((w) => `HSM ${w.index}: ${w.where}`).join(', ')),
            ...attrs.flatMap(([name, value]) => [h('dt', {}, name), h('dd', {}, String(value))]),
          ),
        );
      }),
    );
  }
}
