/**
 * Several clusters from the command line: `hsm-playground --clone-cluster` holds cluster-1 and
 * its clone cluster-2; `--cluster-id` sends a command to the clone in its own login, and `user
 * replicate` / `key replicate` copy from one to the other (spawning the real tool).
 */
import { describe, expect, it } from 'vitest';
import { runTool, splitAnswers, type Envelope } from './tool-harness.ts';

const SCRIPT = [
  'cluster activate --password admin-pass-1',
  'cluster activate --cluster-id cluster-2 --password admin-pass-2',
  'login --username admin --role admin --password admin-pass-1',
  'user create --username cu1 --role crypto-user --password cu1-pass-1',
  'user replicate --username cu1 --role crypto-user --source-cluster-id cluster-1 --destination-cluster-id cluster-2',
  'logout',
  'login --username cu1 --role crypto-user --password cu1-pass-1',
  'key generate-symmetric aes --label shared-aes --key-length-bytes 32',
  'key replicate --filter attr.label=shared-aes --source-cluster-id cluster-1 --destination-cluster-id cluster-2',
  'login --cluster-id cluster-2 --username cu1 --role crypto-user --password cu1-pass-1',
  'key list --cluster-id cluster-2 --filter attr.label=shared-aes --verbose',
  'key list --cluster-id cluster-9',
].join('\n');

type KeyObject = { 'key-reference': string; attributes: { 'check-value': string; label: string } };

describe('hsm-playground --clone-cluster', () => {
  it('replicates a user and a key to the clone and answers --cluster-id there', async () => {
    const run = await runTool(['--clone-cluster', '--hsms', '2', '--seed', 'clones'], { stdin: SCRIPT });
    expect(run.code, run.stderr).toBe(0);
    const answers = splitAnswers(run.stdout) as Envelope[];
    expect(answers).toHaveLength(12);
    expect(answers.slice(0, 11).map((a) => a.error_code)).toEqual(Array(11).fill(0));
    expect(answers[4]!.data).toMatchObject({ user: { username: 'cu1', role: 'crypto-user', 'cluster-coverage': 'full' }, message: 'Successfully replicated user' });
    const made = (answers[7]!.data as { key: KeyObject }).key;
    expect(answers[8]!.data).toMatchObject({ key: { 'key-reference': made['key-reference'] }, message: 'Successfully replicated key' });
    // The replicated user logs in on the clone and finds the same key there (same reference and check value).
    expect(answers[9]!.data).toEqual({ username: 'cu1', role: 'crypto-user' });
    const listed = (answers[10]!.data as { matched_keys: KeyObject[] }).matched_keys;
    expect(listed.map((k) => [k['key-reference'], k.attributes['check-value'], k.attributes.label])).toEqual([[made['key-reference'], made.attributes['check-value'], 'shared-aes']]);
    expect(answers[11]).toEqual({ error_code: 1, data: "Cluster 'cluster-9' is not configured" });
  });

  it('without --clone-cluster, replication says it needs two clusters', async () => {
    const run = await runTool([], { stdin: 'key replicate --filter attr.label=x --source-cluster-id cluster-1 --destination-cluster-id cluster-2\n' });
    const [answer] = splitAnswers(run.stdout) as Envelope[];
    expect(answer).toEqual({ error_code: 1, data: "'key replicate' needs two configured clusters" });
  });

  it('documents --clone-cluster in --help', async () => {
    const run = await runTool(['--help']);
    expect(run.stdout).toMatch(/--clone-cluster .*clone of the cluster/);
    expect(run.stdout).toContain('--cluster-id cluster-2');
  });
});
