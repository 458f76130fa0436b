import { describe, expect, it } from 'vitest';
import { inProcessSpawner } from '../../../src/cluster/in-process-spawn.ts';
import { Cluster } from '../../../src/cluster/cluster.ts';
import { TEST_PASSWORD_COST } from '../../../src/crypto/password.ts';
import { MemoryStorage } from '../../../src/store/memory.ts';
import type { Scenario } from '../../../src/ui/sandbox/scenario.ts';
import { scenarioToTranscript } from '../../../src/ui/sandbox/transcript-export.ts';
import { parseTranscript } from '../../../src/ui/sandbox/transcript-format.ts';
import { regenerateTranscript } from '../../../src/ui/sandbox/transcript.ts';
import { ACTIVATE_AND_CU } from './sandbox-helpers.ts';

const SCENARIO: Scenario = { seed: 'export test', hsms: 2, model: 'hsm2m.medium', steps: [{ session: 'default', line: 'cluster hsm-info' }, ...ACTIVATE_AND_CU] };

describe('scenarioToTranscript (the page’s "Save as transcript")', () => {
  it('writes one cloudhsm-cli block per command, in its session, with the seed and settings pinned', () => {
    const parsed = parseTranscript(scenarioToTranscript(SCENARIO, true));
    expect(parsed.settings).toEqual({ seed: 'export-test', hsms: 2, model: 'hsm2m.medium' });
    expect(parsed.blocks.map((b) => b.commands)).toEqual(SCENARIO.steps.map((s) => [s.line]));
    expect(parsed.blocks.map((b) => b.options.session ?? 'default')).toEqual(['default', 'admin', 'admin', 'admin', 'alice', 'alice']);
  });

  it('follows the link rule: passwords become placeholders unless "include passwords" is ticked', () => {
    const redacted = scenarioToTranscript(SCENARIO, false);
    expect(redacted).not.toContain('admin-pass-1');
    expect(redacted).not.toContain('alice-pass-1');
    expect(redacted).toContain('--password {{password-1}}');
    expect(redacted).toContain('Replace each `{{password-N}}` placeholder');
    const included = scenarioToTranscript(SCENARIO, true);
    expect(included).toContain('--password admin-pass-1');
    expect(included).not.toContain('{{password-');
  });

  it('uses a fixed seed for an unseeded session, so the file still regenerates reproducibly', () => {
    const { seed: _, ...unseeded } = SCENARIO;
    expect(parseTranscript(scenarioToTranscript(unseeded, true)).settings.seed).toBe('hsm-playground-transcript');
  });

  it('is a transcript the tool fills in: every command answers, the key is generated', async () => {
    const result = await regenerateTranscript(scenarioToTranscript(SCENARIO, true), async (settings) => {
      const cluster = await Cluster.create({ hsms: settings.hsms, spawn: inProcessSpawner(() => new MemoryStorage()), seed: settings.seed, passwordCost: TEST_PASSWORD_COST });
      return { cluster, close: () => cluster.dispose() };
    });
    expect(result.commandCount).toBe(6);
    const outputs = [...result.text.matchAll(/"error_code": (\d)/g)].map((m) => m[1]);
    expect(outputs).toEqual(['0', '0', '0', '0', '0', '0']);
    expect(result.text).toContain('"key-reference"');
  });
});
