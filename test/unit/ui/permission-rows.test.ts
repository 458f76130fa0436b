import { describe, expect, it } from 'vitest';
import { OPERATION_CLASSES, POLICY, ROLES } from '../../../src/hsm/policy.ts';
import { permissionRows } from '../../../src/ui/permission-rows.ts';

describe('permissionRows', () => {
  const rows = permissionRows([
    { name: 'crypto sign ecdsa', ops: ['crypto.sign'] },
    { name: 'key list', ops: ['key.list'] },
    { name: 'key set-attribute', ops: ['key.set-attribute', 'key.set-trusted'] },
  ]);

  it('has one row per operation class and one cell per role', () => {
    expect(rows.map((r) => r.class)).toEqual(Object.keys(OPERATION_CLASSES));
    for (const r of rows) expect(r.cells.map((c) => c.role)).toEqual([...ROLES]);
  });

  it('every op of the policy appears in exactly one row', () => {
    const all = rows.flatMap((r) => r.ops).sort();
    expect(all).toEqual(Object.keys(POLICY).sort());
  });

  it('reads yes/no from the policy', () => {
    const sign = rows.find((r) => r.class === 'sign-verify');
    expect(sign?.cells.map((c) => c.access)).toEqual(['no', 'no', 'yes', 'no', 'no']);
    const users = rows.find((r) => r.class === 'user-management');
    expect(users?.cells.find((c) => c.role === 'admin')?.access).toBe('yes');
  });

  it('marks "some" when only part of a class is open to a role, naming those ops', () => {
    const session = rows.find((r) => r.class === 'session');
    const unauth = session?.cells.find((c) => c.role === 'unauthenticated');
    expect(unauth?.access).toBe('some');
    expect(unauth?.ops).toContain('session.login');
    expect(unauth?.ops).not.toContain('session.logout');
    const expected = session?.ops.filter((op) => (POLICY[op].roles as readonly string[]).includes('unauthenticated'));
    expect(unauth?.ops).toEqual(expected);
  });

  it('names the commands of each row, a command in every class it touches', () => {
    expect(rows.find((r) => r.class === 'sign-verify')?.commands).toEqual(['crypto sign ecdsa']);
    expect(rows.find((r) => r.class === 'key-trust')?.commands).toEqual(['key set-attribute']);
    expect(rows.find((r) => r.class === 'key-management')?.commands).toEqual(['key set-attribute']);
    expect(rows.find((r) => r.class === 'audit')?.commands).toEqual([]);
  });
});
