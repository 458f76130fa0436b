import { describe, expect, it } from 'vitest';
import { commandLines, isInertLine, stripPrompt } from '../../../src/ui/sandbox/script-lines.ts';

describe('script lines', () => {
  it('strips the optional aws-cloudhsm prompt, with or without spaces', () => {
    expect(stripPrompt('aws-cloudhsm > user list')).toBe('user list');
    expect(stripPrompt('  aws-cloudhsm>user list  ')).toBe('user list');
    expect(stripPrompt('user list')).toBe('user list');
  });

  it('keeps commands in order and drops blank lines and # comments', () => {
    expect(commandLines('aws-cloudhsm > login --username a\n\n# a comment\naws-cloudhsm > # also a comment\r\nuser list\n')).toEqual(['login --username a', 'user list']);
    expect(isInertLine('   ')).toBe(true);
    expect(isInertLine('user list # trailing')).toBe(false);
  });
});
