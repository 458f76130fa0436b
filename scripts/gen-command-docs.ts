/**
 * Writes docs/commands.md from the cloudhsm-cli command table. Run: `npm run docs` (= `tsx scripts/gen-command-docs.ts`).
 * @module
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderCommandDocs } from '../src/cli/cloudhsm-cli/docs.ts';

const target = fileURLToPath(new URL('../docs/commands.md', import.meta.url));
const text = renderCommandDocs();
writeFileSync(target, text);
console.log(`wrote ${target} (${text.length} characters)`);
