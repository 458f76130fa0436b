import { afterEach, describe, expect, it } from 'vitest';
import { inProcessSpawner } from '../../../src/cluster/in-process-spawn.ts';
import { Cluster } from '../../../src/cluster/cluster.ts';
import { TEST_PASSWORD_COST } from '../../../src/crypto/password.ts';
import { MemoryStorage } from '../../../src/store/memory.ts';
import { Sandbox } from '../../../src/ui/sandbox/sandbox.ts';
import { decodeScenario, validateScenario } from '../../../src/ui/sandbox/scenario.ts';
import { scenarioInFragment, shareLink } from '../../../src/ui/sandbox/share-link.ts';
import { scenarioToTranscript } from '../../../src/ui/sandbox/transcript-export.ts';
import { parseTranscript } from '../../../src/ui/sandbox/transcript-format.ts';
import { regenerateTranscript } from '../../../src/ui/sandbox/transcript.ts';
import { clusterTaskLine, SessionRecorder, type RecordingBasis } from '../../../src/ui/session-recorder.ts';

const SEEDED: RecordingBasis = { seed: 'recorder', hsms: 2, model: 'hsm2m.medium', origin: 'fresh' };
const ask = (value: string) => ({ text: 'Enter password:', secret: true, value });
const confirm = (value: string) => ({ text: 'Confirm password:', secret: true, value });

/** What two sessions of the page run: typed lines, prompted passwords, and an HSM stopped and started with the buttons. */
function recordDemo(recorder: SessionRecorder): void {
  recorder.record('Session 1', 'cluster activate', [ask('admin-pass-1'), confirm('admin-pass-1')]);
  recorder.record('Session 1', 'aws-cloudhsm > login --username admin --role admin', [ask('admin-pass-1')]);
  recorder.record('Session 1', 'user create --username alice --role crypto-user --password alice-pass-1');
  recorder.record('Session 2', 'login --username alice --role crypto-user', [ask('alice-pass-1')]);
  recorder.recordClusterTask('Session 2', { kind: 'stop-hsm', index: 1 });
  recorder.record('Session 2', 'key generate-symmetric aes --label k1 --key-length-bytes 32');
  recorder.recordClusterTask('Session 2', { kind: 'start-hsm', index: 1 });
}

let opened: { dispose(): void }[] = [];
afterEach(() => {
  for (const o of opened) o.dispose();
  opened = [];
});

describe('SessionRecorder', () => {
  it('records each session’s lines in order, prompts stripped and prompted passwords put back on the line', () => {
    const recorder = new SessionRecorder(SEEDED);
    recordDemo(recorder);
    expect(recorder.steps).toEqual([
      { session: 'Session 1', line: 'cluster activate --password admin-pass-1' },
      { session: 'Session 1', line: 'login --username admin --role admin --password admin-pass-1' },
      { session: 'Session 1', line: 'user create --username alice --role crypto-user --password alice-pass-1' },
      { session: 'Session 2', line: 'login --username alice --role crypto-user --password alice-pass-1' },
      { session: 'Session 2', line: 'sandbox stop-hsm 1' },
      { session: 'Session 2', line: 'key generate-symmetric aes --label k1 --key-length-bytes 32' },
      { session: 'Session 2', line: 'sandbox start-hsm 1' },
    ]);
    expect(recorder.sessionNames).toEqual(['Session 1', 'Session 2']);
  });

  it('records nothing for blank lines and comments, and refuses a step without a session', () => {
    const recorder = new SessionRecorder(SEEDED);
    expect(recorder.record('Session 1', '   ')).toBeUndefined();
    expect(recorder.record('Session 1', '# a note')).toBeUndefined();
    expect(recorder.steps).toEqual([]);
    expect(() => recorder.record(' ', 'user list')).toThrow(/needs a session name/);
  });

  it('gives a valid scenario with the seed and the cluster’s shape, and none when unseeded', () => {
    const recorder = new SessionRecorder(SEEDED);
    recordDemo(recorder);
    const scenario = validateScenario(recorder.scenario());
    expect(scenario).toMatchObject({ seed: 'recorder', hsms: 2, model: 'hsm2m.medium' });
    expect(scenario.steps).toHaveLength(7);
    const unseeded = new SessionRecorder({ hsms: 3, model: 'hsm1.medium', origin: 'fresh' });
    expect(unseeded.scenario()).toEqual({ hsms: 3, model: 'hsm1.medium', steps: [] });
  });

  it('starts over on reset, with the new cluster’s settings', () => {
    const recorder = new SessionRecorder(SEEDED);
    recordDemo(recorder);
    recorder.reset({ hsms: 4, model: 'hsm1.medium', origin: 'imported' });
    expect(recorder.steps).toEqual([]);
    expect(recorder.scenario()).toEqual({ hsms: 4, model: 'hsm1.medium', steps: [] });
  });

  it('refuses an impossible HSM count', () => {
    expect(() => new SessionRecorder({ hsms: 0, model: 'hsm2m.medium', origin: 'fresh' })).toThrow(/HSM count must be a whole number from 1 to 28, got 0/);
    expect(() => new SessionRecorder(SEEDED).reset({ hsms: 2.5, model: 'hsm2m.medium', origin: 'fresh' })).toThrow(/got 2.5/);
  });

  it('says what a replay gives back: same keys when seeded, new keys when not, and what it cannot rebuild', () => {
    expect(new SessionRecorder(SEEDED).replayNotes()).toEqual(['Seeded (“recorder”): a replay gives the same keys, key references and signatures.']);
    const unseeded = new SessionRecorder({ hsms: 2, model: 'hsm2m.medium', origin: 'reopened' }).replayNotes().join(' ');
    expect(unseeded).toMatch(/reopened from an earlier visit/);
    expect(unseeded).toMatch(/not seeded: a link replays the same commands on a fresh cluster of the same shape with new keys/);
    expect(unseeded).toMatch(/pins the seed “hsm-playground-transcript”/);
    expect(new SessionRecorder({ ...SEEDED, origin: 'imported' }).replayNotes().join(' ')).toMatch(/imported from a file/);
  });
});

describe('clusterTaskLine', () => {
  it('names the sandbox line for each button', () => {
    expect(clusterTaskLine({ kind: 'stop-hsm', index: 0 })).toBe('sandbox stop-hsm 0');
    expect(clusterTaskLine({ kind: 'start-hsm', index: 2 })).toBe('sandbox start-hsm 2');
    expect(clusterTaskLine({ kind: 'remove-hsm', index: 1 })).toBe('sandbox remove-hsm 1');
    expect(clusterTaskLine({ kind: 'add-hsm' })).toBe('sandbox add-hsm');
    expect(() => clusterTaskLine({ kind: 'stop-hsm', index: -1 })).toThrow(RangeError);
  });
});

describe('a recording, shared and replayed', () => {
  it('goes through a share link without its passwords, and replays in the sandbox to the same keys once they are given', async () => {
    const recorder = new SessionRecorder(SEEDED);
    recordDemo(recorder);
    const link = await shareLink('https://example.test/index.html', recorder.scenario(), false);
    if (!link.ok) throw new Error(link.message);
    expect(link.url).toMatch(/^https:\/\/example\.test\/index\.html#scenario=1\./);
    const decoded = await decodeScenario(scenarioInFragment(new URL(link.url).hash)!);
    expect(JSON.stringify(decoded)).not.toMatch(/admin-pass-1|alice-pass-1/);
    expect(decoded.steps.map((s) => s.session)).toEqual(recorder.steps.map((s) => s.session));

    // The cluster the page had: the same lines run directly on a seeded sandbox.
    const spawn = inProcessSpawner(() => new MemoryStorage());
    const original = await Sandbox.create({ spawn, passwordCost: TEST_PASSWORD_COST }, { hsms: 2, model: 'hsm2m.medium', seed: 'recorder' });
    opened.push(original);
    for (const step of recorder.steps) expect((await original.run(step.line, step.session)).envelope?.error_code).toBe(0);
    const replayed = await Sandbox.create({ spawn, passwordCost: TEST_PASSWORD_COST });
    opened.push(replayed);
    expect(Sandbox.passwordsNeeded(decoded)).toEqual([1, 2]);
    const runs = await replayed.load(decoded, { 1: 'admin-pass-1', 2: 'alice-pass-1' });
    expect(runs.map((r) => r.envelope?.error_code)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    const keys = async (s: Sandbox) => (await s.query('key list --verbose', 'Session 2')).output;
    expect(await keys(replayed)).toBe(await keys(original));
    expect(await keys(replayed)).toContain('"label": "k1"');
  });

  it('replays a removed and an added HSM with the sandbox’s own lines', async () => {
    const recorder = new SessionRecorder({ seed: 'shape', hsms: 3, model: 'hsm2m.medium', origin: 'fresh' });
    recorder.recordClusterTask('Session 1', { kind: 'remove-hsm', index: 2 });
    recorder.recordClusterTask('Session 1', { kind: 'add-hsm' });
    recorder.recordClusterTask('Session 1', { kind: 'remove-hsm', index: 0 });
    const sandbox = await Sandbox.create({ spawn: inProcessSpawner(() => new MemoryStorage()), passwordCost: TEST_PASSWORD_COST });
    opened.push(sandbox);
    const runs = await sandbox.load(recorder.scenario());
    expect(runs.map((r) => r.envelope?.error_code)).toEqual([0, 0, 0]);
    expect(sandbox.cluster.size).toBe(2);
    expect((await sandbox.run('sandbox remove-hsm')).output).toContain('Usage: sandbox remove-hsm N');
  });

  it('saves as a transcript the tool fills in: passwords redacted without the tick, playground lines kept as skip blocks', async () => {
    const recorder = new SessionRecorder(SEEDED);
    recordDemo(recorder);
    const redacted = scenarioToTranscript(recorder.scenario(), false);
    expect(redacted).not.toMatch(/admin-pass-1|alice-pass-1/);
    expect(redacted).toContain('```cloudhsm-cli session=Session-1\ncluster activate --password {{password-1}}\n```');
    expect(redacted).toContain('```cloudhsm-cli session=Session-2 skip\nsandbox stop-hsm 1\n```');

    const included = scenarioToTranscript(recorder.scenario(), true);
    const parsed = parseTranscript(included);
    expect(parsed.settings).toEqual({ seed: 'recorder', hsms: 2, model: 'hsm2m.medium' });
    expect(parsed.blocks.map((b) => b.options.skip)).toEqual([false, false, false, false, true, false, true]);
    const result = await regenerateTranscript(included, async (settings) => {
      const cluster = await Cluster.create({ hsms: settings.hsms, spawn: inProcessSpawner(() => new MemoryStorage()), seed: settings.seed, passwordCost: TEST_PASSWORD_COST });
      return { cluster, close: () => cluster.dispose() };
    });
    expect(result.commandCount).toBe(5);
    expect([...result.text.matchAll(/"error_code": (\d)/g)].map((m) => m[1])).toEqual(['0', '0', '0', '0', '0']);
  });
});
