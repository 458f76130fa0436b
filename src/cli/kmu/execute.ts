/**
 * Runs one key_mgmt_util line against a cluster session and prints what KMU prints. Never throws.
 * @module
 */
import { complete, type Completion } from '../machinery/completion.ts';
import { executeLine } from '../legacy/execute-line.ts';
import type { LegacyResult } from '../legacy/context.ts';
import type { KmuContext } from './run.ts';
import { KMU, KMU_PROMPT } from './table.ts';

export type { KmuContext };

export function executeKmu(line: string, ctx: KmuContext): Promise<LegacyResult> {
  return executeLine(KMU, line, ctx, { prompt: KMU_PROMPT, parseError: (message) => `\tError: ${message}` });
}

export function completeKmu(line: string, cursor?: number): Completion {
  return complete(KMU, line, cursor);
}
