import { describe, expect, it } from 'vitest';
import { OPS, POLICY, ROLES, type Role } from '../../../src/hsm/policy.ts';
import { explainRefusal, gate, namedRoles, roleBadge, roleOf, rolesPhrase } from '../../../src/ui/roles.ts';
import { fail } from '../../../src/hsm/envelope.ts';

describe('roles', () => {
  it('a session with no login acts as unauthenticated', () => {
    expect(roleOf(undefined)).toBe('unauthenticated');
    expect(roleOf({ username: 'alice', role: 'crypto-user' })).toBe('crypto-user');
  });

  it('badges put the CMU name beside the cloudhsm-cli name', () => {
    expect(roleBadge('crypto-user')).toMatchObject({ short: 'CU', cli: 'crypto-user' });
    expect(roleBadge('unactivated-admin')).toMatchObject({ short: 'PRECO', cli: 'unactivated-admin' });
    expect(roleBadge('appliance-user')).toMatchObject({ short: 'AU', cli: 'internal(APPLIANCE_USER)' });
    expect(roleBadge('admin').label).toBe('admin (CO, admin)');
    expect(roleBadge('unauthenticated').short).toBe('unauthenticated');
  });

  it('gate agrees with the policy for every op and role', () => {
    for (const op of OPS) {
      for (const role of ROLES) {
        expect(gate(op, role).allowed, `${op} as ${role}`).toBe((POLICY[op].roles as readonly Role[]).includes(role));
      }
    }
  });

  it('a refused button says which role it needs', () => {
    expect(gate('crypto.sign', 'admin')).toEqual({ allowed: false, reason: 'needs a crypto user' });
    expect(gate('user.create', 'crypto-user')).toEqual({ allowed: false, reason: 'needs an admin' });
    expect(gate('key.list', 'unauthenticated')).toEqual({ allowed: false, reason: 'needs an admin or a crypto user' });
    expect(gate('session.login', 'admin')).toEqual({ allowed: false, reason: 'needs a session that is not logged in' });
    // Log out is open to every login: the reason says "log in", not a list of the four roles.
    expect(gate('session.logout', 'unauthenticated')).toEqual({ allowed: false, reason: 'needs a login: log in first' });
  });

  it('phrases leave out "unauthenticated" when logged-in roles may run the op too', () => {
    expect(namedRoles(POLICY['cluster.activate'].roles)).toEqual(['unactivated-admin']);
    expect(namedRoles(POLICY['session.login'].roles)).toEqual(['unauthenticated']);
    expect(rolesPhrase(POLICY['audit.read'].roles)).toBe('an admin or the appliance user');
  });

  it('explains a permission refusal from its allowedRoles', () => {
    const refusal = fail('permission-denied', 'only a crypto user may sign', ['crypto-user']);
    expect(explainRefusal(refusal, 'admin')).toBe('Refused for CO: only a crypto user (CU) may run this. Open a new session and log in as one.');
    const two = fail('permission-denied', 'x', ['admin', 'crypto-user']);
    expect(explainRefusal(two, 'unauthenticated')).toBe('Refused for unauthenticated: only an admin (CO) or a crypto user (CU) may run this. Log in as one first.');
    expect(explainRefusal(fail('permission-denied', 'x', ['unauthenticated']), 'admin')).toBe('Refused for CO: only a session that is not logged in may run this. Log out first.');
  });

  it('gives no explanation for failures that are not about roles', () => {
    expect(explainRefusal(fail('key-not-found', 'No key found'), 'crypto-user')).toBeUndefined();
  });
});
