import { describe, expect, it } from 'vitest';
import { evaluate, runCheck } from '../../../src/ui/sandbox/tutorial-checks.ts';
import { parseExpectation, parseTutorial } from '../../../src/ui/sandbox/tutorial-format.ts';

const MINI = `---
tutorial: 1
id: mini
title: Mini
---
Intro **text**.

## Step: One
Do this:

\`\`\`cloudhsm-cli session=admin
aws-cloudhsm > user list
\`\`\`

\`\`\`check
command: user list
expect: data.users contains username=alice role=crypto-user
hint: Create alice.
\`\`\`
`;

describe('tutorial format', () => {
  it('parses front matter, intro, steps, command blocks (with placeholders in the text) and checks', () => {
    const t = parseTutorial(MINI, 'mini.md');
    expect(t).toMatchObject({ id: 'mini', title: 'Mini', hsms: 2, intro: 'Intro **text**.' });
    expect(t.steps).toEqual([
      {
        title: 'One',
        text: 'Do this:\n\n{{commands:0}}',
        blocks: [{ session: 'admin', commands: ['user list'] }],
        checks: [{ command: 'user list', session: 'default', hint: 'Create alice.', expectations: [{ kind: 'contains', path: 'data.users', match: { username: 'alice', role: 'crypto-user' } }] }],
      },
    ]);
  });

  it('refuses malformed tutorials with file:line messages', () => {
    expect(() => parseTutorial('# no front matter', 'a.md')).toThrow(/^a\.md:1: a tutorial starts with front matter/);
    expect(() => parseTutorial(MINI.replace('tutorial: 1', 'tutorial: 2'), 'a.md')).toThrow("a.md:2: 'tutorial: 1' is required (this page reads tutorial format 1, got \"2\")");
    expect(() => parseTutorial(MINI.replace('hint: Create alice.\n', ''), 'a.md')).toThrow(/a check needs a hint: line/);
    expect(() => parseTutorial(MINI.replace('## Step: One', 'Just text'), 'a.md')).toThrow(/belong inside a '## Step: …' section/);
    expect(() => parseExpectation('data.x frobs 3')).toThrow("check:0: unknown verb 'frobs' (verbs are =, contains, lacks, count)");
    expect(() => parseExpectation('data.x count > 3')).toThrow(/count needs an operator/);
  });
});

describe('tutorial checks', () => {
  const answer = { error_code: 0, data: { users: [{ username: 'admin', role: 'admin' }, { username: 'bob', role: 'crypto-user' }], key: { 'key-info': { 'cluster-coverage': 'partial' } } } };

  it('explains a failing check with what was expected and what was found', () => {
    expect(evaluate(parseExpectation('data.users contains username=alice role=crypto-user'), answer)).toEqual({
      passed: false,
      explanation: 'Expected data.users to contain an entry with username=alice, role=crypto-user, but it holds 2: username=admin role=admin; username=bob role=crypto-user.',
    });
    expect(evaluate(parseExpectation('data.key.key-info.cluster-coverage = full'), answer)).toEqual({ passed: false, explanation: 'Expected data.key.key-info.cluster-coverage to be full, but it is partial.' });
    expect(evaluate(parseExpectation('data.users count >= 3'), answer).explanation).toBe('Expected data.users to hold at least 3, but it holds 2.');
    expect(evaluate(parseExpectation('data.users lacks username=bob'), answer).explanation).toBe('Expected data.users to have no entry with username=bob, but it has one.');
  });

  it('passes when every expectation holds, and reports the first that does not', async () => {
    expect(evaluate(parseExpectation('data.users contains username=bob'), answer)).toEqual({ passed: true });
    expect(evaluate(parseExpectation('error_code = 0'), answer)).toEqual({ passed: true });
    const check = { command: 'user list', session: 'default', hint: 'h', expectations: [parseExpectation('error_code = 0'), parseExpectation('data.users count = 5')] };
    expect(await runCheck(check, async () => JSON.stringify(answer))).toEqual({ passed: false, explanation: 'Expected data.users to hold exactly 5, but it holds 2.' });
    expect((await runCheck(check, async () => 'help text')).explanation).toBe("'user list' did not answer JSON: help text");
  });
});
