import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../../src/hsm/envelope.ts';
import { OPS, ROLES, type Op, type Role } from '../../../src/hsm/policy.ts';
import { CU_PASSWORD, expectOk } from './fixtures.ts';
import { prepareActivatedWorld, reopen, request, ROLE_LOGIN, validArgs, type PreparedWorld } from './op-fixtures.ts';

/**
 * Random sequences of requests by random sessions, valid and invalid: no request throws, every
 * answer is an envelope, and after every refused request the state digest is unchanged.
 */
let world: PreparedWorld;
beforeAll(async () => {
  world = await prepareActivatedWorld();
});

const LOGGED_IN_ROLES = ROLES.filter((r): r is Exclude<Role, 'unauthenticated' | 'unactivated-admin'> => r !== 'unauthenticated' && r !== 'unactivated-admin');

/** A step: which op, played by whom, with which kind of arguments. */
const step = fc.record({
  op: fc.constantFrom(...OPS, 'no.such-op' as Op),
  caller: fc.constantFrom<'none' | 'stale' | 'bob' | (typeof LOGGED_IN_ROLES)[number]>('none', 'stale', 'bob', ...LOGGED_IN_ROLES),
  argsKind: fc.constantFrom('valid', 'valid', 'mutated', 'garbage', 'missing'),
  key: fc.constantFrom('username', 'role', 'password', 'filter', 'keyFilter', 'data', 'label', 'blob', 'limit', 'mechanism', 'keyLengthBytes', 'name', 'value'),
  junk: fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.constant(null), fc.boolean(), fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }), fc.uint8Array({ maxLength: 40 })),
  garbage: fc.anything({ maxDepth: 2 }),
});

function isEnvelope(e: Envelope): boolean {
  if (e === null || typeof e !== 'object') return false;
  if (e.error_code === 0) return 'data' in e;
  return e.error_code === 1 && typeof e.data === 'string' && typeof e.reason === 'string';
}

describe('random request sequences (fast-check)', () => {
  it('never throw, always answer an envelope, and refusals change nothing', async () => {
    let refusals = 0;
    let successes = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25, size: 'max' }), fc.string({ maxLength: 8 }), async (steps, seed) => {
        const hsm = await reopen(world, `prop-${seed}`);
        const sessions: Record<string, string> = {};
        for (const role of LOGGED_IN_ROLES) {
          const who = ROLE_LOGIN[role];
          sessions[role] = expectOk<{ session: string }>(await hsm.handle({ op: 'session.login', args: who })).session;
        }
        sessions['bob'] = expectOk<{ session: string }>(await hsm.handle({ op: 'session.login', args: { username: 'bob', role: 'crypto-user', password: CU_PASSWORD } })).session;
        for (const s of steps) {
          const session = s.caller === 'none' ? undefined : s.caller === 'stale' ? 'not-a-session' : sessions[s.caller];
          const role: Role = s.caller === 'none' || s.caller === 'stale' ? 'unauthenticated' : s.caller === 'bob' ? 'crypto-user' : s.caller;
          const valid = (OPS as string[]).includes(s.op) ? (validArgs(s.op, world.refs, role) as Record<string, unknown>) : {};
          const args =
            s.argsKind === 'valid' ? valid
            : s.argsKind === 'mutated' ? { ...valid, [s.key]: s.junk }
            : s.argsKind === 'garbage' ? s.garbage
            : undefined;
          const before = hsm.stateDigest();
          let answer: Envelope;
          try {
            answer = await hsm.handle(request(s.op, session, args as never));
          } catch (e) {
            throw new Error(`handle threw for ${s.op}: ${String(e)}`);
          }
          expect(isEnvelope(answer), JSON.stringify(answer)).toBe(true);
          if (answer.error_code === 1) {
            refusals++;
            expect(answer.reason, answer.data).not.toBe('internal-error');
            expect(hsm.stateDigest(), `${s.op} refused (${answer.data}) but changed the state`).toBe(before);
          } else successes++;
        }
      }),
      { numRuns: 60, seed: 20261129 },
    );
    console.log(`property run: ${successes} successes, ${refusals} refusals, all refusals left the state digest unchanged`);
    expect(refusals).toBeGreaterThan(100);
    expect(successes).toBeGreaterThan(50);
  });
});
