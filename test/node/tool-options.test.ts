/**
 * The options of the real `hsm-playground` process: bad ones print a message on stderr and exit 2
 * without starting a cluster; --help and --version; `transcript` reserved as the tool's own
 * subcommand; --hsms and --model reach the cluster.
 */
import { describe, expect, it } from 'vitest';
import { ok, runTool, splitAnswers } from './tool-harness.ts';

const SLOW = 60_000;

describe('hsm-playground options', () => {
  it.each([
    [['--hsms', '0'], 'Option --hsms must be a whole number from 1 to 28'],
    [['--hsms', '29'], "got '29'"],
    [['--hsms', 'two'], "got 'two'"],
    [['--hsms'], 'Option --hsms needs a value'],
    [['--hsms', 'user', 'list'], "got 'user'"],
    [['--model', 'hsm3.large'], 'Option --model must be one of hsm2m.medium, hsm1.medium'],
    [['--seed', ''], 'Option --seed must not be empty'],
    [['--tool', 'pkcs11'], "got 'pkcs11'"],
    [['--frobnicate'], "Unknown option '--frobnicate'"],
    [['--seed', 'a', '--seed', 'b'], 'Option --seed is given twice'],
  ])('%j exits 2 with a message naming the problem', async (args, message) => {
    // no cluster is started: with piped stdin this would otherwise run `user list`
    const run = await runTool(args, { stdin: 'user list\n' });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain("Try 'hsm-playground --help'");
  }, SLOW);

  it('--help prints the usage and exits 0', async () => {
    const run = await runTool(['--help']);
    expect(run.code).toBe(0);
    for (const option of ['--hsms N', '--model M', '--seed S', '--state DIR', '--tool T', '--version', 'CLOUDHSM_PIN']) {
      expect(run.stdout).toContain(option);
    }
  }, SLOW);

  it('--version prints the package version', async () => {
    const run = await runTool(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^hsm-playground \d+\.\d+\.\d+\n$/);
  }, SLOW);

  it('reserves `transcript` for the tool itself, not a cloudhsm-cli command', async () => {
    const run = await runTool(['transcript']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('hsm-playground');
    expect(run.stderr).toContain('transcript');
    expect(run.stdout).toBe('');
  }, SLOW);

  it('builds the cluster --hsms and --model ask for', async () => {
    const run = await runTool(['--hsms', '3', '--model', 'hsm1.medium'], { stdin: 'cluster hsm-info\n' });
    expect(run.code).toBe(0);
    const info = ok<{ hsms: { model: string }[] }>(splitAnswers(run.stdout)[0]);
    expect(info.hsms).toHaveLength(3);
    const hsm2m = await runTool(['--hsms', '1'], { stdin: 'cluster hsm-info\n' });
    const other = ok<{ hsms: { model: string }[] }>(splitAnswers(hsm2m.stdout)[0]);
    expect(info.hsms[0]!.model).not.toBe(other.hsms[0]!.model);
  }, SLOW);
});
