import { describe, expect, it } from 'vitest';
import { filterAudit, mergeAudit, type AuditRow } from '../../../src/ui/audit-view.ts';

function row(time: number, hsm: number, user: string, op = 'user.list'): AuditRow {
  return { time, hsm, user, role: 'admin', op, result: 'ok', detail: '' };
}

describe('audit log view', () => {
  it('merges the HSMs’ logs newest first, ties by HSM', () => {
    const merged = mergeAudit([[row(1, 0, 'a'), row(5, 0, 'b')], [row(5, 1, 'a'), row(3, 1, 'c')]]);
    expect(merged.map((r) => [r.time, r.hsm])).toEqual([
      [5, 0],
      [5, 1],
      [3, 1],
      [1, 0],
    ]);
  });

  it('filters by HSM, by user, or both', () => {
    const rows = [row(1, 0, 'a'), row(2, 1, 'a'), row(3, 1, 'b')];
    expect(filterAudit(rows, { hsm: 1 }).map((r) => r.time)).toEqual([2, 3]);
    expect(filterAudit(rows, { user: 'a' }).map((r) => r.time)).toEqual([1, 2]);
    expect(filterAudit(rows, { hsm: 1, user: 'a' }).map((r) => r.time)).toEqual([2]);
    expect(filterAudit(rows, {})).toHaveLength(3);
    expect(filterAudit(rows, { hideUsers: ['a'] }).map((r) => r.time)).toEqual([3]);
  });
});
