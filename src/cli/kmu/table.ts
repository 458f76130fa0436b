/**
 * The key_mgmt_util (KMU) command table: single-dash flags (`-u CU -s name -p pw`), prompt
 * `Command: `. Parser, help and completion come from the shared machinery.
 * @module
 */
import type { LegacyCommand } from '../legacy/command.ts';
import type { CommandTable } from '../machinery/spec.ts';
import { KMU_CRYPTO_COMMANDS } from './crypto-commands.ts';
import { KMU_KEY_COMMANDS } from './key-commands.ts';
import { KMU_SECRET_COMMANDS } from './secret-commands.ts';
import type { KmuContext } from './run.ts';
import { KMU_SESSION_COMMANDS } from './session-commands.ts';

export const KMU: CommandTable<LegacyCommand<KmuContext>> = {
  program: 'key_mgmt_util',
  commands: [...KMU_SESSION_COMMANDS, ...KMU_KEY_COMMANDS, ...KMU_CRYPTO_COMMANDS, ...KMU_SECRET_COMMANDS],
  commonFlags: [],
  syntax: { flagPrefix: '-' },
};

export const KMU_PROMPT = 'Command: ';
