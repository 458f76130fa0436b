import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_HSMS, parseOptions } from '../../../src/node/options.ts';

const TOOLS = ['cli', 'cmu'];

function options(argv: string[]) {
  const parsed = parseOptions(argv, TOOLS);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.options;
}

function message(argv: string[]): string {
  const parsed = parseOptions(argv, TOOLS);
  if (parsed.ok) throw new Error(`expected ${JSON.stringify(argv)} to be refused`);
  return parsed.message;
}

describe('parseOptions', () => {
  it('gives the defaults with no options', () => {
    expect(options([])).toEqual({
      hsms: DEFAULT_HSMS,
      hsmsGiven: false,
      model: undefined,
      seed: undefined,
      stateDir: undefined,
      tool: 'cli',
      cloneCluster: false,
      help: false,
      version: false,
      words: [],
    });
    expect(DEFAULT_HSMS).toBe(2);
  });

  it('reads every option in both --name value and --name=value forms', () => {
    expect(options(['--hsms', '5', '--model=hsm1.medium', '--seed', 'x y', '--state=dir', '--tool', 'cmu'])).toMatchObject({
      hsms: 5,
      hsmsGiven: true,
      model: 'hsm1.medium',
      seed: 'x y',
      stateDir: 'dir',
      tool: 'cmu',
    });
    expect(options(['-h']).help).toBe(true);
    expect(options(['--version']).version).toBe(true);
    expect(options(['--clone-cluster', 'key', 'list']).cloneCluster).toBe(true);
    expect(message(['--clone-cluster', '--clone-cluster'])).toBe('Option --clone-cluster is given twice');
  });

  it('stops at the first command word and passes the rest on untouched, flags included', () => {
    expect(options(['--hsms', '1', 'key', 'list', '--hsms', '9', '--verbose']).words).toEqual(['key', 'list', '--hsms', '9', '--verbose']);
    expect(options(['--', '--weird', 'words']).words).toEqual(['--weird', 'words']);
  });

  it('accepts --hsms from 1 to 28 only', () => {
    expect(options(['--hsms', '1']).hsms).toBe(1);
    expect(options(['--hsms', '28']).hsms).toBe(28);
    for (const bad of ['0', '29', '-1', '2.5', '1e1', ' 3', '']) expect(message(['--hsms', bad])).toContain('--hsms must be a whole number from 1 to 28');
  });

  it('names what is wrong', () => {
    expect(message(['--model', 'x'])).toBe("Option --model must be one of hsm2m.medium, hsm1.medium, got 'x'");
    expect(message(['--tool', 'kmu'])).toBe("Option --tool must be one of cli, cmu, got 'kmu'");
    expect(message(['--seed'])).toBe('Option --seed needs a value');
    expect(message(['--seed='])).toBe('Option --seed must not be empty');
    expect(message(['--state', ''])).toBe('Option --state must name a directory');
    expect(message(['--verbose'])).toContain("Unknown option '--verbose'");
    expect(message(['-x'])).toContain("Unknown option '-x'");
    expect(message(['--hsms', '2', '--hsms', '3'])).toBe('Option --hsms is given twice');
  });

  it('never throws, and either refuses or keeps every word after the options', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom('--hsms', '--seed', '--state', '--model', '--tool', '--help', '--', 'key', '3', 'hsm1.medium'), fc.string())), (argv) => {
        const parsed = parseOptions(argv, TOOLS);
        if (!parsed.ok) return typeof parsed.message === 'string' && parsed.message.length > 0;
        const words = parsed.options.words;
        return words.every((w, i) => argv[argv.length - words.length + i] === w);
      }),
    );
  });
});
