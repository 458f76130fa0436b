/**
 * Runs one cloudhsm_mgmt_util line against a cluster session and prints what CMU prints.
 * Never throws.
 * @module
 */
import { complete, type Completion } from '../machinery/completion.ts';
import { executeLine } from '../legacy/execute-line.ts';
import type { LegacyResult } from '../legacy/context.ts';
import type { CmuContext, CmuState } from './run.ts';
import { CMU, CMU_PROMPT } from './table.ts';

export type { CmuContext, CmuState };
export { cmuPrompt } from './table.ts';

export function newCmuState(): CmuState {
  return { server: undefined };
}

export function executeCmu(line: string, ctx: CmuContext): Promise<LegacyResult> {
  return executeLine(CMU, line, ctx, { prompt: CMU_PROMPT, parseError: (message) => `Error: ${message}` });
}

export function completeCmu(line: string, cursor?: number): Completion {
  return complete(CMU, line, cursor);
}
