/**
 * `hsm-playground --state DIR` across processes, and single-command mode: a cluster made by one run
 * (users, keys) is seen by the next; one command runs logged in from CLOUDHSM_ROLE/CLOUDHSM_PIN
 * and exits 0 or 1 with its error_code; options that contradict the saved cluster exit 2.
 */
import { existsSync, readFileSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ok, runTool, splitAnswers, tempDir, type Envelope } from './tool-harness.ts';

const SLOW = 60_000;
const CU = { CLOUDHSM_ROLE: 'crypto-user', CLOUDHSM_PIN: 'cu1:cu1-pass-1' };

function single(stdout: string): Envelope {
  const answers = splitAnswers(stdout) as Envelope[];
  expect(answers).toHaveLength(1);
  return answers[0]!;
}

describe('hsm-playground --state DIR', () => {
  let state: string;
  let keyReference: string;

  beforeAll(async () => {
    // DIR does not exist yet: the tool creates it
    state = join(await tempDir('hsm-tool-state-'), 'nested', 'state');
    const run = await runTool(['--state', state, '--hsms', '3'], {
      stdin: [
        'cluster activate --password admin-pass-1',
        'login --username admin --role admin --password admin-pass-1',
        'user create --username cu1 --role crypto-user --password cu1-pass-1',
        'logout',
        'login --username cu1 --role crypto-user --password cu1-pass-1',
        'key generate-symmetric aes --label kept-aes --key-length-bytes 32',
      ].join('\n'),
    });
    expect(run.code).toBe(0);
    const answers = splitAnswers(run.stdout) as Envelope[];
    expect(answers.map((a) => a.error_code)).toEqual([0, 0, 0, 0, 0, 0]);
    keyReference = ok<{ key: { 'key-reference': string } }>(answers[5]).key['key-reference'];
  }, SLOW);

  it('keeps the cluster registry and one snapshot file per HSM in DIR', () => {
    const registry = JSON.parse(readFileSync(join(state, 'clusters.json'), 'utf8')) as { clusters: { name: string; clusterId: string; hsms: unknown[] }[] };
    expect(registry.clusters).toHaveLength(1);
    const [cluster] = registry.clusters;
    expect(cluster!.clusterId).toMatch(/^cluster-/);
    expect(cluster!.hsms).toHaveLength(3);
    for (const i of [0, 1, 2]) expect(existsSync(join(state, `${cluster!.name}-hsm${i}.hsm`))).toBe(true);
    // no secrets in the record: neither password appears in it
    const text = readFileSync(join(state, 'clusters.json'), 'utf8');
    expect(text).not.toContain('pass-1');
  });

  it(
    'a second process sees the users and keys of the first (single command, logged in from the environment)',
    async () => {
      const users = await runTool(['--state', state, 'user', 'list']);
      expect(users.code).toBe(0);
      const list = ok<{ users: { username: string; role: string }[] }>(single(users.stdout)).users;
      expect(list.map((u) => [u.username, u.role])).toEqual([
        ['admin', 'admin'],
        ['cu1', 'crypto-user'],
        ['app_user', 'internal(APPLIANCE_USER)'],
      ]);

      const keys = await runTool(['--state', state, 'key', 'list', '--filter', 'attr.label=kept-aes', '--verbose'], { env: CU });
      expect(keys.stderr).toBe('');
      expect(keys.code).toBe(0);
      const listed = ok<{ matched_keys: { 'key-reference': string; 'key-info': { 'cluster-coverage': string } }[] }>(single(keys.stdout));
      expect(listed.matched_keys.map((k) => k['key-reference'])).toEqual([keyReference]);
      expect(listed.matched_keys[0]!['key-info']['cluster-coverage']).toBe('full');
    },
    SLOW,
  );

  it(
    'exits 1 when the single command fails, and 1 with the login answer when the credentials are wrong',
    async () => {
      const refused = await runTool(['--state', state, 'key', 'delete', '--filter', 'attr.label=no-such-key'], { env: CU });
      expect(refused.code).toBe(1);
      expect(single(refused.stdout).error_code).toBe(1);

      const badLogin = await runTool(['--state', state, 'key', 'list'], { env: { CLOUDHSM_ROLE: 'crypto-user', CLOUDHSM_PIN: 'cu1:wrong-password' } });
      expect(badLogin.code).toBe(1);
      expect(single(badLogin.stdout).error_code).toBe(1);

      const badPin = await runTool(['--state', state, 'key', 'list'], { env: { CLOUDHSM_ROLE: 'crypto-user', CLOUDHSM_PIN: 'no-colon' } });
      expect(badPin.code).toBe(1);
      expect(single(badPin.stdout).data).toContain('CLOUDHSM_PIN must be <username>:<password>');

      const badRole = await runTool(['--state', state, 'key', 'list'], { env: { CLOUDHSM_ROLE: 'CU', CLOUDHSM_PIN: 'cu1:cu1-pass-1' } });
      expect(badRole.code).toBe(1);
      expect(single(badRole.stdout).data).toContain("CLOUDHSM_ROLE must be admin or crypto-user, got 'CU'");

      // without credentials a CU-only command is refused by the HSM: exit 1
      const anonymous = await runTool(['--state', state, 'key', 'generate-symmetric', 'aes', '--label', 'x', '--key-length-bytes', '16']);
      expect(anonymous.code).toBe(1);
    },
    SLOW,
  );

  it(
    'keeps what a single command changed, quoting words with spaces as one value',
    async () => {
      const made = await runTool(['--state', state, 'key', 'generate-symmetric', 'aes', '--label', 'my key', '--key-length-bytes', '16'], { env: CU });
      expect(made.code).toBe(0);
      const listed = await runTool(['--state', state, 'key', 'list', '--filter', 'attr.label=my key'], { env: CU });
      expect(listed.code).toBe(0);
      const data = ok<{ matched_keys: { attributes: { label: string } }[] }>(single(listed.stdout));
      expect(data.matched_keys.map((k) => k.attributes.label)).toEqual(['my key']);
    },
    SLOW,
  );

  it(
    'refuses options that contradict the saved cluster with exit 2',
    async () => {
      const run = await runTool(['--state', state, '--hsms', '5', 'user', 'list']);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('--hsms 5 (it has 3)');
    },
    SLOW,
  );

  it(
    'still finds its HSM files after DIR was moved (run last: it moves DIR)',
    async () => {
      const moved = `${state}-moved`;
      await rename(state, moved);
      const run = await runTool(['--state', moved, 'key', 'list', '--filter', 'attr.label=kept-aes'], { env: CU });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const listed = ok<{ matched_keys: { 'key-reference': string }[] }>(single(run.stdout));
      expect(listed.matched_keys.map((k) => k['key-reference'])).toEqual([keyReference]);
    },
    SLOW,
  );
});

describe('hsm-playground single command without --state', () => {
  it(
    'runs against a fresh, unactivated cluster in memory',
    async () => {
      const run = await runTool(['--hsms', '1', 'user', 'list']);
      expect(run.code).toBe(0);
      const users = ok<{ users: { username: string; role: string }[] }>(single(run.stdout)).users;
      expect(users[0]).toMatchObject({ username: 'admin', role: 'unactivated-admin' });
    },
    SLOW,
  );

  it(
    'prints help as plain text with exit 0',
    async () => {
      const run = await runTool(['--hsms', '1', 'help', 'key', 'list']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('--max-items');
      expect(run.stdout.trimStart().startsWith('{')).toBe(false);
    },
    SLOW,
  );
});
