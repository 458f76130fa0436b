/**
 * The audit log panel, filterable by HSM and user. Who reads it: the policy lets admins and the
 * appliance user read an HSM's audit log. The page plays the cloud service, which in AWS ships
 * every HSM's audit log to CloudWatch through its own appliance account — so the page keeps one
 * session of its own logged in as the appliance user `app_user` (never shown as a tab) and reads
 * the log of each live HSM through it, one request per HSM. Nothing secret is in an entry.
 * @module
 */
import type { ClusterSession } from '../cluster/session.ts';
import type { Cluster } from '../cluster/cluster.ts';
import { APPLIANCE_USER } from '../cluster/cluster.ts';
import { h, fill } from './dom.ts';

export interface AuditRow {
  readonly time: number;
  readonly hsm: number;
  readonly user: string;
  readonly role: string;
  readonly op: string;
  readonly result: string;
  readonly detail: string;
}

/** The entries of every HSM in one list, newest first (ties by HSM). */
export function mergeAudit(perHsm: readonly (readonly AuditRow[])[]): AuditRow[] {
  return perHsm.flat().sort((a, b) => b.time - a.time || a.hsm - b.hsm);
}

export interface AuditFilter {
  readonly hsm?: number;
  readonly user?: string;
  /** Leave out these users' entries (e.g. the appliance user's sync traffic). */
  readonly hideUsers?: readonly string[];
}

export function filterAudit(rows: readonly AuditRow[], filter: AuditFilter): AuditRow[] {
  return rows.filter(
    (r) =>
      (filter.hsm === undefined || r.hsm === filter.hsm) &&
      (filter.user === undefined || r.user === filter.user) &&
      !(filter.hideUsers ?? []).includes(r.user),
  );
}

export class AuditView {
  readonly #view: HTMLElement;
  readonly #note: HTMLElement;
  readonly #hsmSelect: HTMLSelectElement;
  readonly #userSelect: HTMLSelectElement;
  readonly #hideAppliance: HTMLInputElement;
  #rows: AuditRow[] = [];
  #session: ClusterSession | undefined;
  #cluster: Cluster | undefined;

  constructor(elements: { view: HTMLElement; note: HTMLElement; hsm: HTMLSelectElement; user: HTMLSelectElement; hideAppliance: HTMLInputElement }) {
    this.#view = elements.view;
    this.#note = elements.note;
    this.#hsmSelect = elements.hsm;
    this.#userSelect = elements.user;
    this.#hideAppliance = elements.hideAppliance;
    this.#hideAppliance.addEventListener('change', () => this.#render());
    this.#hsmSelect.addEventListener('change', () => this.#render());
    this.#userSelect.addEventListener('change', () => this.#render());
  }

  /** Forget the reader session (the cluster was replaced). */
  reset(): void {
    this.#session = undefined;
    this.#cluster = undefined;
    this.#rows = [];
  }

  async refresh(cluster: Cluster): Promise<void> {
    if (this.#cluster !== cluster || !this.#session?.identity) {
      const session = cluster.openSession();
      const login = await session.request('session.login', { username: APPLIANCE_USER.username, role: APPLIANCE_USER.role, password: APPLIANCE_USER.password });
      if (login.error_code !== 0) {
        this.#note.textContent = `The audit log could not be read: ${String(login.data)}`;
        return;
      }
      this.#session = session;
      this.#cluster = cluster;
    }
    const session = this.#session;
    const perHsm = await Promise.all(
      cluster.liveLinks().map(async (link) => {
        try {
          const answer = await session.sendTo(link, 'audit.read', { limit: 300 });
          return answer.error_code === 0 ? ((answer.data as { entries?: AuditRow[] }).entries ?? []) : [];
        } catch {
          return [];
        }
      }),
    );
    this.#rows = mergeAudit(perHsm);
    this.#note.textContent = `Read as the appliance user (as the cloud service does) from ${perHsm.length} live HSM${perHsm.length === 1 ? '' : 's'}; newest first.`;
    this.#updateOptions(cluster);
    this.#render();
  }

  #updateOptions(cluster: Cluster): void {
    const keep = (select: HTMLSelectElement, values: readonly string[], label: (v: string) => string) => {
      const current = select.value;
      fill(select, h('option', { value: '' }, 'all'), ...values.map((v) => h('option', { value: v }, label(v))));
      select.value = values.includes(current) ? current : '';
    };
    keep(this.#hsmSelect, cluster.hsms.map((x) => String(x.index)), (v) => `HSM ${v}`);
    keep(this.#userSelect, [...new Set(this.#rows.map((r) => r.user))].sort(), (v) => v);
  }

  #render(): void {
    const hsm = this.#hsmSelect.value === '' ? undefined : Number(this.#hsmSelect.value);
    const user = this.#userSelect.value === '' ? undefined : this.#userSelect.value;
    const rows = filterAudit(this.#rows, {
      ...(hsm !== undefined ? { hsm } : {}),
      ...(user !== undefined ? { user } : {}),
      hideUsers: this.#hideAppliance.checked && user !== APPLIANCE_USER.username ? [APPLIANCE_USER.username] : [],
    }).slice(0, 200);
    fill(
      this.#view,
      h(
        'table',
        { class: 'audit-table' },
        h('caption', { class: 'visually-hidden' }, 'Audit log entries, newest first'),
        h('thead', {}, h('tr', {}, ...['Time', 'HSM', 'User', 'Operation', 'Result'].map((t) => h('th', { scope: 'col' }, t)))),
        h(
          'tbody',
          {},
          ...rows.map((r) =>
            h(
              'tr',
              { 'data-hsm': r.hsm, 'data-user': r.user },
              h('td', {}, new Date(r.time).toLocaleTimeString()),
              h('td', {}, String(r.hsm)),
              h('td', {}, r.user || '–'),
              h('td', {}, r.op),
              h('td', { class: r.result === 'ok' ? '' : 'refused', title: r.detail || undefined }, r.result),
            ),
          ),
        ),
      ),
    );
  }
}
