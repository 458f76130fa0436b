/**
 * The permission table on the page (spec §2.2), drawn from the policy value and the command
 * table: a row per operation class, a column per role, each row naming its cloudhsm-cli commands.
 * The current session's column is highlighted (and announced as "your session").
 * @module
 */
import { CLOUDHSM_CLI } from '../cli/cloudhsm-cli/table.ts';
import { commandOps } from '../cli/cloudhsm-cli/command.ts';
import { commandName } from '../cli/machinery/spec.ts';
import { ROLES, type Role } from '../hsm/policy.ts';
import { h } from './dom.ts';
import { permissionRows, type PermissionCell } from './permission-rows.ts';
import { roleBadge } from './roles.ts';

const ACCESS_TEXT = { yes: 'yes', no: 'no', some: 'some' } as const;

function cellTitle(cell: PermissionCell): string {
  return cell.access === 'some' ? `only ${cell.ops.join(', ')}` : '';
}

export class PermissionTable {
  readonly element: HTMLTableElement;
  readonly #headers = new Map<Role, HTMLTableCellElement>();
  readonly #cells = new Map<Role, HTMLTableCellElement[]>();

  constructor() {
    const rows = permissionRows(CLOUDHSM_CLI.commands.map((c) => ({ name: commandName(c), ops: commandOps(c) })));
    const head = h('tr', {}, h('th', { scope: 'col' }, 'Operation'));
    for (const role of ROLES) {
      const badge = roleBadge(role);
      const th = h('th', { scope: 'col', 'data-role': role, title: badge.label }, badge.short === 'unauthenticated' ? 'none' : badge.short);
      this.#headers.set(role, th);
      this.#cells.set(role, []);
      head.append(th);
    }
    head.append(h('th', { scope: 'col' }, 'Commands'));
    const body = h('tbody');
    for (const row of rows) {
      const tr = h('tr', { 'data-class': row.class }, h('th', { scope: 'row' }, row.label));
      for (const cell of row.cells) {
        const td = h('td', { class: `access-${cell.access}`, 'data-role': cell.role, title: cellTitle(cell) || undefined }, ACCESS_TEXT[cell.access]);
        this.#cells.get(cell.role)?.push(td);
        tr.append(td);
      }
      tr.append(h('td', { class: 'commands' }, row.commands.length > 0 ? row.commands.join(', ') : '(used by the cluster)'));
      body.append(tr);
    }
    this.element = h(
      'table',
      { class: 'permissions' },
      h('caption', {}, 'Who may do what (spec §2.2). Columns: PRECO unactivated admin, CO admin, CU crypto user, AU appliance user, none = not logged in.'),
      h('thead', {}, head),
      body,
    );
  }

  /** Highlights the column of the current session's role. */
  highlight(role: Role): void {
    for (const r of ROLES) {
      const current = r === role;
      const th = this.#headers.get(r);
      if (th) {
        th.classList.toggle('current', current);
        if (current) th.setAttribute('aria-current', 'true');
        else th.removeAttribute('aria-current');
      }
      for (const td of this.#cells.get(r) ?? []) td.classList.toggle('current', current);
    }
  }
}
