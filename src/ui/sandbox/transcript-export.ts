/**
 * A scenario as a transcript file (docs/transcripts.md): the page's "Save as transcript" — one
 * `cloudhsm-cli` block per command in its session, the seed in the settings comment, passwords
 * redacted unless the author chose to include them. Running `hsm-playground transcript` on it
 * fills in the outputs. Serves both the sandbox view and the main page. Sandbox lines (`sandbox
 * stop-hsm 1`…: what the AWS console does) are written as `skip` blocks, which the tool keeps but
 * does not run.
 * @module
 */
import type { Scenario } from './scenario.ts';
import { SANDBOX_WORD } from './sandbox-word.ts';
import { DEFAULT_SESSION } from './script-runner.ts';
import { shareableScenario } from './share-link.ts';

export function scenarioToTranscript(scenario: Scenario, includePasswords: boolean, seedIfNone = 'hsm-playground-transcript'): string {
  const shared = shareableScenario(scenario, includePasswords);
  const lines = [
    '# HSM Playground session',
    '',
    `<!-- hsm-playground transcript: seed=${(shared.seed ?? seedIfNone).replace(/\s+/g, '-')} hsms=${shared.hsms} model=${shared.model} -->`,
    '',
    'Regenerate the outputs with `npx hsm-playground transcript FILE.md`.',
  ];
  if (!includePasswords && shared.steps.some((s) => s.line.includes('{{password-'))) {
    lines.push('', 'Replace each `{{password-N}}` placeholder with a password before running it.');
  }
  for (const step of shared.steps) {
    const playground = step.line.split(/\s+/)[0] === SANDBOX_WORD;
    const info = step.session === DEFAULT_SESSION ? 'cloudhsm-cli' : `cloudhsm-cli session=${step.session.replace(/\s+/g, '-')}`;
    // What the cloud console did (stop, start, add, remove an HSM) is no cloudhsm-cli command: kept, but not run.
    if (playground) lines.push('', 'A playground step (the AWS console’s job; the transcript tool does not run it):');
    lines.push('', '```' + info + (playground ? ' skip' : ''), step.line, '```');
  }
  return lines.join('\n') + '\n';
}
