import { beforeAll, describe, expect, it } from 'vitest';
import { isAllowed, OPS, ROLES, type Op, type Role } from '../../../src/hsm/policy.ts';
import { prepareActivatedWorld, prepareUnactivatedWorld, reopen, request, sessionFor, validArgs, type PreparedWorld } from './op-fixtures.ts';

/**
 * Generated from POLICY: every operation × every role, with a valid request. Allowed pairs must
 * succeed; forbidden ones must be refused with "Permission denied…" / "Not logged in…" and leave
 * the state digest unchanged.
 */
let activated: PreparedWorld;
let unactivated: PreparedWorld;

beforeAll(async () => {
  activated = await prepareActivatedWorld();
  unactivated = await prepareUnactivatedWorld(activated.refs);
});

/** The unactivated admin exists only before activation; activation itself is tried on an unactivated HSM. */
function worldFor(op: Op, role: Role): PreparedWorld {
  return role === 'unactivated-admin' || (op === 'cluster.activate' && role === 'unauthenticated') ? unactivated : activated;
}

const PAIRS = OPS.flatMap((op) => ROLES.map((role) => [op, role] as const));

describe('permission matrix (generated from POLICY)', () => {
  it(`covers ${PAIRS.length} (operation, role) pairs`, () => {
    expect(PAIRS.length).toBe(OPS.length * ROLES.length);
    console.log(`permission matrix: ${PAIRS.length} (operation, role) pairs, ${PAIRS.filter(([o, r]) => isAllowed(o, r)).length} allowed`);
  });

  it.each(PAIRS)('%s as %s', async (op, role) => {
    const world = worldFor(op, role);
    const hsm = await reopen(world);
    const session = await sessionFor(hsm, role);
    const before = hsm.stateDigest();
    const answer = await hsm.handle(request(op, session, validArgs(op, world.refs, role)));
    if (isAllowed(op, role)) {
      expect(answer, JSON.stringify(answer)).toMatchObject({ error_code: 0 });
    } else {
      expect(answer.error_code).toBe(1);
      const data = answer.data as string;
      expect(data.startsWith('Permission denied') || data.startsWith('Not logged in'), data).toBe(true);
      expect(hsm.stateDigest()).toBe(before);
    }
  });
});
