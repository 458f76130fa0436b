/**
 * The permission table of spec §2.2 as rows the page draws: one row per operation class of the
 * policy value, a cell per role ("yes", "no", or "some" when only part of the class's operations
 * are open to that role, with which ones), and the cloudhsm-cli commands that fall in the row
 * (from the command table: a command belongs to every class of the ops it may send).
 * Pure data, so it is tested without a DOM.
 * @module
 */
import { OPERATION_CLASSES, OPS, POLICY, ROLES, type Op, type OperationClass, type Role } from '../hsm/policy.ts';

export type Access = 'yes' | 'no' | 'some';

export interface PermissionCell {
  readonly role: Role;
  readonly access: Access;
  /** The ops of the row this role may run (all of them for "yes", none for "no"). */
  readonly ops: readonly Op[];
}

export interface PermissionRow {
  readonly class: OperationClass;
  readonly label: string;
  readonly ops: readonly Op[];
  readonly cells: readonly PermissionCell[];
  /** Command names (`key generate-symmetric aes`), table order. */
  readonly commands: readonly string[];
}

/** What the rows need to know of a command: its name and the ops it may send. */
export interface CommandOps {
  readonly name: string;
  readonly ops: readonly Op[];
}

export function permissionRows(commands: readonly CommandOps[]): PermissionRow[] {
  return (Object.keys(OPERATION_CLASSES) as OperationClass[]).map((cls) => {
    const ops = OPS.filter((op) => POLICY[op].class === cls);
    const cells = ROLES.map((role): PermissionCell => {
      const open = ops.filter((op) => (POLICY[op].roles as readonly Role[]).includes(role));
      const access: Access = open.length === 0 ? 'no' : open.length === ops.length ? 'yes' : 'some';
      return { role, access, ops: open };
    });
    const names = commands.filter((c) => c.ops.some((op) => ops.includes(op))).map((c) => c.name);
    return { class: cls, label: OPERATION_CLASSES[cls], ops, cells, commands: names };
  });
}
