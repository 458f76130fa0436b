import { describe, expect, it } from 'vitest';
import type { Hsm } from '../../../src/hsm/hsm.ts';
import { MAX_STORED_TOKENS } from '../../../src/hsm/quorum/quorum-state.ts';
import { activatedWorld, createUser, expectFail, expectOk, login } from './fixtures.ts';
import { approval, approverKey, approvalData, generateToken, registerQuorumKey } from './quorum-fixtures.ts';

/**
 * The token store of one HSM (spec §2.4, §6.1): one active token per user for the `user` and
 * `quorum` services (a new one replaces the old), no such limit for the other services, and at
 * most 1024 tokens, where a full store makes room only from tokens that expired.
 */
type Listed = { username: string; service: string };
const listTokens = async (hsm: Hsm, session: string) => expectOk<{ tokens: Listed[] }>(await hsm.handle({ op: 'quorum.token-list', session, args: {} })).tokens;

describe('one active token per user per service (spec §6.1)', () => {
  it('user and quorum: a new token replaces the same user\'s previous one, which is then refused', async () => {
    const { hsm, admin } = await activatedWorld('one-token-per-user');
    await createUser(hsm, admin, 'admin2', 'admin', 'admin2-pass-1');
    const admin2 = await login(hsm, 'admin2', 'admin', 'admin2-pass-1');
    const K1 = approverKey('admin');
    const K2 = approverKey('admin2');
    await registerQuorumKey(hsm, admin, K1);
    await registerQuorumKey(hsm, admin2, K2);
    expectOk(await hsm.handle({ op: 'quorum.set-value', session: admin, args: { service: 'user', value: 2 } }));

    const first = await generateToken(hsm, admin, 'user');
    const second = await generateToken(hsm, admin, 'user');
    await generateToken(hsm, admin2, 'user'); // another user's token is not affected
    await generateToken(hsm, admin, 'quorum');
    await generateToken(hsm, admin, 'quorum');
    const tokens = await listTokens(hsm, admin);
    expect(tokens.map((t) => `${t.username}:${t.service}`).sort()).toEqual(['admin2:user', 'admin:quorum', 'admin:user']);

    const create = (token: Uint8Array, name: string) =>
      hsm.handle({ op: 'user.create', session: admin, args: { username: name, role: 'crypto-user', password: 'carol-pass-1', approval: approval(token, [['admin', K1], ['admin2', K2]]) } });
    expectFail(await create(first, 'carol'), 'quorum-required');
    expectOk(await create(second, 'carol'));
  });

  it('also across the same user\'s sessions: the token of their other session is replaced', async () => {
    const { hsm, admin } = await activatedWorld('one-token-two-sessions');
    const other = await login(hsm, 'admin', 'admin', 'admin-pass-1');
    await generateToken(hsm, admin, 'user');
    await generateToken(hsm, other, 'user');
    expect(await listTokens(hsm, admin)).toHaveLength(1);
  });

  it('key services, cluster and registration are not limited', async () => {
    const { hsm, admin, alice } = await activatedWorld('tokens-not-limited');
    for (let i = 0; i < 3; i++) {
      await generateToken(hsm, alice, 'key-usage');
      await generateToken(hsm, alice, 'key-management');
      await generateToken(hsm, alice, 'registration');
      await generateToken(hsm, admin, 'cluster');
    }
    const count = (service: string) => async () => (await listTokens(hsm, admin)).filter((t) => t.service === service).length;
    for (const service of ['key-usage', 'key-management', 'registration', 'cluster']) expect(await count(service)()).toBe(3);
  });
});

describe('the 1024-token store (spec §2.4)', () => {
  it('refuses a token when 1024 live ones are stored, and makes room from an expired one', async () => {
    let now = Date.UTC(2026, 0, 1);
    const { hsm, alice } = await activatedWorld('token-store-full', { clock: () => now });
    const generate = () => hsm.handle({ op: 'quorum.token-generate', session: alice, args: { service: 'key-usage', approvalData: approvalData() } });
    expectOk(await generate()); // the oldest: expires first
    now += 100_000;
    for (let i = 1; i < MAX_STORED_TOKENS; i++) expectOk(await generate());
    expect(await listTokens(hsm, alice)).toHaveLength(MAX_STORED_TOKENS);

    const full = expectFail(await generate(), 'limit-reached');
    expect(full.data).toBe('Quorum token limit reached: this HSM stores at most 1024 tokens and none has expired');

    now += 501_000; // the first token is now past its 600 s; the others (500+1 s old) are not
    expectOk(await generate());
    expect(await listTokens(hsm, alice)).toHaveLength(MAX_STORED_TOKENS);
    expectFail(await generate(), 'limit-reached');
  });

  it('counts tokens of ended sessions as free room', async () => {
    const now = Date.UTC(2026, 0, 1);
    const { hsm, alice } = await activatedWorld('token-store-logout', { clock: () => now }); // nothing expires
    const bob = await login(hsm, 'bob', 'crypto-user', 'crypto-pass-1');
    for (let i = 0; i < MAX_STORED_TOKENS; i++) await generateToken(hsm, i === 0 ? bob : alice, 'key-usage');
    expectFail(await hsm.handle({ op: 'quorum.token-generate', session: alice, args: { service: 'key-usage', approvalData: approvalData() } }), 'limit-reached');
    expectOk(await hsm.handle({ op: 'session.logout', session: bob, args: {} }));
    expectOk(await hsm.handle({ op: 'quorum.token-generate', session: alice, args: { service: 'key-usage', approvalData: approvalData() } }));
  });
});
