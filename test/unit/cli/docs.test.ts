/**
 * docs/commands.md: generated from the command table, documents every command, and is up to date.
 * @module
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderCommandDocs } from '../../../src/cli/cloudhsm-cli/docs.ts';
import { CLOUDHSM_CLI } from '../../../src/cli/cloudhsm-cli/table.ts';
import { commandName } from '../../../src/cli/machinery/spec.ts';

describe('docs/commands.md', () => {
  const generated = renderCommandDocs();
  it('documents every command with usage, roles and an example', () => {
    for (const c of CLOUDHSM_CLI.commands) {
      const section = generated.split(`\n## ${commandName(c)}\n`)[1]?.split('\n## ')[0] ?? '';
      expect(section).toContain('**Roles:**');
      expect(section).toContain(`aws-cloudhsm > ${c.examples[0]?.line}`);
    }
  });
  it('is up to date (run `npm run docs` when this fails)', () => {
    const committed = readFileSync(new URL('../../../docs/commands.md', import.meta.url), 'utf8');
    expect(committed).toBe(generated);
  });
});
