/**
 * The cloudhsm_mgmt_util (CMU) command table: bare-word arguments (`loginHSM CO admin pw`),
 * commands abbreviated to any unique prefix (`listU`), prompt `aws-cloudhsm>` (`server0>` in
 * server mode). Parser, help and completion come from the shared machinery.
 * @module
 */
import type { LegacyCommand } from '../legacy/command.ts';
import type { CommandTable } from '../machinery/spec.ts';
import { CMU_KEY_COMMANDS } from './key-commands.ts';
import type { CmuContext, CmuState } from './run.ts';
import { CMU_USER_COMMANDS } from './user-commands.ts';
import { CMU_QUORUM_COMMANDS } from './quorum-commands.ts';

export const CMU: CommandTable<LegacyCommand<CmuContext>> = {
  program: 'cloudhsm_mgmt_util',
  commands: [...CMU_USER_COMMANDS, ...CMU_KEY_COMMANDS, ...CMU_QUORUM_COMMANDS],
  commonFlags: [],
  syntax: { flagPrefix: '-', abbreviate: true },
};

export const CMU_PROMPT = 'aws-cloudhsm>';

/** `aws-cloudhsm>` in global mode, `server0>` in server mode. */
export function cmuPrompt(state: CmuState): string {
  return state.server === undefined ? CMU_PROMPT : `server${state.server}>`;
}
