import { describe, expect, it } from 'vitest';
import { allocateHandle, HANDLE_STRIDE } from '../../../src/hsm/dispatch.ts';
import type { HsmState } from '../../../src/hsm/state.ts';
import type { AnyRequest } from '../../../src/hsm/requests.ts';
import { activatedWorld, expectFail, expectOk, openTestHsm, storedState } from './fixtures.ts';

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

describe('batches save once', () => {
  /** Count the snapshot writes of `storage` from now on. */
  function countSaves(storage: { save(snapshot: Uint8Array): Promise<void> }): { count: number } {
    const counter = { count: 0 };
    const save = storage.save.bind(storage);
    storage.save = async (snapshot) => {
      counter.count++;
      await save(snapshot);
    };
    return counter;
  }
  const aes = (label: string) => ({ op: 'key.generate-symmetric', args: { keyType: 'aes', label, keyLengthBytes: 32 } }) as const;

  it('a batch of 20 key generations writes the snapshot once, and it holds all 20 keys', async () => {
    const { hsm, alice, storage } = await activatedWorld('batch-once');
    const saves = countSaves(storage);
    const answers = await hsm.handleBatch(Array.from({ length: 20 }, (_, i) => ({ ...aes(`k${i}`), session: alice })));
    expect(answers.every((a) => a.error_code === 0)).toBe(true);
    expect(saves.count).toBe(1);
    const stored = (await storedState(storage)).keys.map((k) => k.attributes['label']);
    expect(stored).toEqual(Array.from({ length: 20 }, (_, i) => `k${i}`));
    // one by one, the same requests cost one save each
    for (let i = 0; i < 3; i++) expectOk(await hsm.handle({ ...aes(`single${i}`), session: alice }));
    expect(saves.count).toBe(4);
  });

  it('a batch that changes nothing writes nothing', async () => {
    const { hsm, alice, storage } = await activatedWorld('batch-read-only');
    const saves = countSaves(storage);
    const answers = await hsm.handleBatch([
      { op: 'user.list', args: {} },
      { op: 'crypto.digest', session: alice, args: { hashFunction: 'sha256', data: new Uint8Array(3) } },
      { op: 'key.delete', session: alice, args: { filter: ['attr.label=none'] } },
    ]);
    expect(answers.map((a) => a.error_code)).toEqual([0, 0, 1]);
    expect(saves.count).toBe(0);
  });

  it('when the final save fails, the state-changing answers become internal-error and nothing is kept', async () => {
    const { hsm, alice, storage } = await activatedWorld('batch-save-fails');
    const before = hsm.stateDigest();
    const storedBefore = await storage.load();
    storage.save = async () => {
      throw new Error('disk full');
    };
    const answers = await hsm.handleBatch([
      { ...aes('a'), session: alice },
      { op: 'user.list', args: {} },
      { ...aes('b'), session: alice },
    ]);
    expect(answers[0]).toMatchObject({ error_code: 1, reason: 'internal-error', data: 'Could not save the HSM state: disk full' });
    expect(answers[1]!.error_code).toBe(0);
    expect(answers[2]).toMatchObject({ error_code: 1, reason: 'internal-error' });
    expect(hsm.stateDigest()).toBe(before);
    expect(hsm.summary().keyCount).toBe(0);
    expect(await storage.load()).toEqual(storedBefore);
  });

  it('an unexpected failure inside a batch discards the unsaved changes before it, and says so', async () => {
    const { hsm, admin, alice, storage } = await activatedWorld('batch-internal');
    const saves = countSaves(storage);
    const evil = { username: 'zz', role: 'crypto-user', get password(): string { throw new Error('boom'); } };
    const answers = await hsm.handleBatch([
      { ...aes('lost'), session: alice },
      { op: 'user.create', session: admin, args: evil } as never,
      { ...aes('kept'), session: alice },
    ]);
    expect(answers[0]).toMatchObject({ error_code: 1, reason: 'internal-error' });
    expect(String(answers[0]!.data)).toMatch(/discarded with the rest of the batch, because request 2 failed: Internal HSM error: boom/);
    expect(answers[1]).toMatchObject({ error_code: 1, reason: 'internal-error', data: 'Internal HSM error: boom' });
    expect(answers[2]!.error_code).toBe(0);
    expect(saves.count).toBe(1);
    expect((await storedState(storage)).keys.map((k) => k.attributes['label'])).toEqual(['kept']);
  });
});
