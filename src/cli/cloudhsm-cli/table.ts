/**
 * The cloudhsm-cli command table: every command of the emulated tool, as data. Parser, help,
 * completion, docs/commands.md and the table-driven tests are all generated from this value.
 * @module
 */
import type { CommandTable, FlagSpec } from '../machinery/spec.ts';
import { CLUSTER_COMMANDS } from './cluster-commands.ts';
import type { CliCommand } from './command.ts';
import { CRYPTO_COMMANDS } from './crypto-commands.ts';
import { KEY_COMMANDS } from './key-commands.ts';
import { QUORUM_COMMANDS } from './quorum-commands.ts';
import { USER_COMMANDS } from './user-commands.ts';
import { WRAP_COMMANDS } from './wrap-commands.ts';

/** Accepted by every command (spec §3.1); required only when several clusters are configured. */
export const CLUSTER_ID_FLAG: FlagSpec = { name: 'cluster-id', type: 'string', help: 'Cluster to run the command on (when several are configured)' };

export const CLOUDHSM_CLI: CommandTable<CliCommand> = {
  program: 'cloudhsm-cli',
  commands: [...CLUSTER_COMMANDS, ...USER_COMMANDS, ...KEY_COMMANDS, ...WRAP_COMMANDS, ...CRYPTO_COMMANDS, ...QUORUM_COMMANDS],
  commonFlags: [CLUSTER_ID_FLAG],
};

/** The interactive prompt of the real tool. */
export const PROMPT = 'aws-cloudhsm > ';
