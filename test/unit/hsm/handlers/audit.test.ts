import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../../src/hsm/state.ts';
import { activatedWorld, expectFail, expectOk } from '../fixtures.ts';

describe('audit.read', () => {
  it('records every request, allowed or refused, with time, HSM, user, role, op and result; newest last', async () => {
    const { hsm, admin, alice } = await activatedWorld('audit');
    expectFail(await hsm.handle({ op: 'user.create', session: alice, args: { username: 'x1', role: 'crypto-user', password: 'pass-word-1' } }), 'permission-denied');
    expectOk(await hsm.handle({ op: 'user.list', args: {} }));
    const { entries } = expectOk<{ entries: AuditEntry[] }>(await hsm.handle({ op: 'audit.read', session: admin, args: {} }));
    expect(entries.map((e) => `${e.op}:${e.result}`)).toEqual([
      'cluster.activate:ok',
      'session.login:ok',
      'user.create:ok',
      'user.create:ok',
      'session.login:ok',
      'session.login:ok',
      'user.create:refused',
      'user.list:ok',
    ]);
    const refused = entries[6]!;
    expect(refused).toMatchObject({ hsm: 0, user: 'alice', role: 'crypto-user', detail: 'Permission denied: only an admin may create users' });
    expect(entries[7]).toMatchObject({ user: '', role: 'unauthenticated' });
    const times = entries.map((e) => e.time);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    // the virtual clock steps after each state change only: the three changes get distinct times,
    // and the read-only requests between them share the time of the last change
    const changes = entries.filter((e) => e.result === 'ok' && (e.op === 'cluster.activate' || e.op === 'user.create')).map((e) => e.time);
    expect(new Set(changes).size).toBe(3);
    expect(entries[4]!.time).toBe(entries[5]!.time);
    expect(entries[5]!.time).toBe(entries[7]!.time);
    // no password ever reaches the log
    expect(JSON.stringify(entries)).not.toContain('pass-word-1');
  });

  it('limit keeps the newest entries; bad limits are refused; CUs may not read', async () => {
    const { hsm, admin, alice } = await activatedWorld('audit-limit');
    const { entries } = expectOk<{ entries: AuditEntry[] }>(await hsm.handle({ op: 'audit.read', session: admin, args: { limit: 2 } }));
    expect(entries.map((e) => e.op)).toEqual(['session.login', 'session.login']);
    expectFail(await hsm.handle({ op: 'audit.read', session: admin, args: { limit: -1 } }), 'bad-request');
    expectFail(await hsm.handle({ op: 'audit.read', session: alice, args: {} }), 'permission-denied');
  });

  it('keeps at most 10,000 entries, dropping the oldest', async () => {
    const { hsm, admin } = await activatedWorld('audit-cap');
    const batch = Array.from({ length: 10_050 }, () => ({ op: 'hsm.info' as const, args: {} }));
    await hsm.handleBatch(batch);
    const { entries } = expectOk<{ entries: AuditEntry[] }>(await hsm.handle({ op: 'audit.read', session: admin, args: {} }));
    expect(entries).toHaveLength(10_000);
    expect(entries.every((e) => e.op === 'hsm.info')).toBe(true);
  });
});
