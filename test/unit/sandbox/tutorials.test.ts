/**
 * The shipped tutorials (tutorials/*.md) parse, and replaying each one — every step's commands in
 * order — makes every check pass; before a step's commands run, its check fails with an
 * explanation. So a tutorial that drifts from the CLI's behaviour fails here.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../../src/ui/sandbox/tutorial-checks.ts';
import { parseTutorial } from '../../../src/ui/sandbox/tutorial-format.ts';
import { testSandbox } from './sandbox-helpers.ts';

const DIR = new URL('../../../tutorials/', import.meta.url);
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.md')).sort();

describe('shipped tutorials', () => {
  it('there are at least three', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(3);
  });

  for (const file of FILES) {
    it(`${file}: every check fails before its step and passes after it`, async () => {
      const tutorial = parseTutorial(readFileSync(new URL(file, DIR), 'utf8'), file);
      const sandbox = await testSandbox({ hsms: tutorial.hsms, model: 'hsm2m.medium', ...(tutorial.seed ? { seed: tutorial.seed } : {}) });
      const ask = async (command: string, session: string) => (await sandbox.query(command, session)).output;
      try {
        for (const [i, step] of tutorial.steps.entries()) {
          expect(step.checks.length, `step ${i + 1} has a check`).toBeGreaterThan(0);
          if (i > 0) {
            const before = await runCheck(step.checks[0]!, ask);
            // Steps whose check is a refusal may already pass; the others must explain what is missing.
            if (!before.passed) expect(before.explanation).toMatch(/^Expected |did not answer/);
          }
          for (const block of step.blocks) for (const line of block.commands) await sandbox.run(line, block.session);
          for (const check of step.checks) {
            const outcome = await runCheck(check, ask);
            expect(outcome, `${file} step ${i + 1} '${step.title}': ${check.command}`).toEqual({ passed: true });
          }
        }
      } finally {
        sandbox.dispose();
      }
    });
  }
});
