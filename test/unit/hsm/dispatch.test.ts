import { describe, expect, it } from 'vitest';
import { allocateHandle, HANDLE_STRIDE } from '../../../src/hsm/dispatch.ts';
import type { HsmState } from '../../../src/hsm/state.ts';
import type { AnyRequest } from '../../../src/hsm/requests.ts';
import { activatedWorld, expectFail, expectOk, openTestHsm } from './fixtures.ts';

describe('allocateHandle', () => {
  it('gives each HSM index its own residue class, increasing, never reusing', () => {
    for (const index of [0, 1, 5, 27]) {
      const state = { identity: { index }, nextHandle: 0x100003 } as unknown as HsmState;
      const handles = Array.from({ length: 50 }, () => allocateHandle(state));
      expect(handles.every((h) => h % HANDLE_STRIDE === index)).toBe(true);
      expect(handles.every((h, i) => i === 0 || h > handles[i - 1]!)).toBe(true);
      expect(handles[0]).toBeGreaterThanOrEqual(0x100003);
    }
  });
});

describe('dispatch pipeline', () => {
  it('malformed requests are bad requests, never exceptions', async () => {
    const { hsm } = await openTestHsm('malformed');
    const cases: unknown[] = [null, 42, 'x', [], {}, { op: 7 }, { op: 'no.such-op', args: {} }, { op: 'toString', args: {} }, { op: 'user.list', args: [] }, { op: 'user.list', session: 5, args: {} }];
    for (const req of cases) {
      const env = await hsm.handle(req as AnyRequest);
      expectFail(env, 'bad-request');
    }
    expect(expectFail(await hsm.handle({ op: 'no.such-op', args: {} } as never), 'bad-request').data).toBe('Unknown operation "no.such-op"');
  });

  it('an unknown session id is "Not logged in", even for operations anyone may run', async () => {
    const { hsm } = await openTestHsm('stale');
    const f = expectFail(await hsm.handle({ op: 'user.list', session: 'deadbeef', args: {} }), 'not-logged-in');
    expect(f.data).toMatch(/^Not logged in/);
  });

  it('missing args count as {}', async () => {
    const { hsm } = await openTestHsm('no-args');
    expectOk(await hsm.handle({ op: 'hsm.info' } as AnyRequest));
  });

  it('refusals name who may run the operation and carry the allowed roles', async () => {
    const { hsm, admin } = await activatedWorld('who-may');
    const f = expectFail(await hsm.handle({ op: 'crypto.digest', session: admin, args: { hashFunction: 'sha256', data: new Uint8Array(1) } }), 'permission-denied');
    expect(f.data).toBe('Permission denied: only a crypto user may compute digests');
    expect(f.allowedRoles).toEqual(['crypto-user']);
    const g = expectFail(await hsm.handle({ op: 'audit.read', args: {} }), 'not-logged-in');
    expect(g.data).toBe('Not logged in: only an admin or the appliance user may read the audit log');
    expect(g.allowedRoles).toEqual(['admin', 'appliance-user']);
  });

  it('an unexpected exception becomes internal-error and rolls the state back', async () => {
    const { hsm, admin } = await activatedWorld('internal');
    const before = hsm.stateDigest();
    // a getter that throws inside the handler's argument validation simulates a handler bug
    const evil = { username: 'zz', role: 'crypto-user', get password(): string { throw new Error('boom'); } };
    const f = expectFail(await hsm.handle({ op: 'user.create', session: admin, args: evil } as never), 'internal-error');
    expect(f.data).toBe('Internal HSM error: boom');
    expect(hsm.stateDigest()).toBe(before);
    expectOk(await hsm.handle({ op: 'user.list', args: {} }));
    // the audit log keeps what happened before and records the failure
    const ops = expectOk<{ entries: { op: string; result: string }[] }>(await hsm.handle({ op: 'audit.read', session: admin, args: { limit: 3 } })).entries;
    expect(ops.map((e) => `${e.op}:${e.result}`)).toEqual(['session.login:ok', 'user.create:refused', 'user.list:ok']);
  });

  it('a storage failure is reported and the change is rolled back', async () => {
    const { hsm, admin, storage } = await activatedWorld('save-fails');
    const before = hsm.stateDigest();
    storage.save = async () => {
      throw new Error('disk full');
    };
    const f = expectFail(await hsm.handle({ op: 'user.create', session: admin, args: { username: 'yy', role: 'crypto-user', password: 'pass-word-9' } }), 'internal-error');
    expect(f.data).toBe('Could not save the HSM state: disk full');
    expect(hsm.stateDigest()).toBe(before);
  });
});
