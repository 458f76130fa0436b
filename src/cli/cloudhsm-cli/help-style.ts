/**
 * cloudhsm-cli's flavour of the generated help: examples after the `aws-cloudhsm > ` prompt with
 * their JSON answer, and the roles that may run each command (derived from POLICY).
 * @module
 */
import { CLI_ROLE_NAME, ROLES } from '../../hsm/policy.ts';
import { renderCommandHelp, renderCommandList, type HelpStyle } from '../machinery/help.ts';
import { commandRoles, type CliCommand } from './command.ts';
import { formatEnvelope, type CliEnvelope } from './output.ts';
import { CLOUDHSM_CLI, PROMPT } from './table.ts';

/** "admin, crypto-user" / "anyone (no login needed)" / "unactivated-admin, not logged in". */
export function rolesText(command: CliCommand): string {
  const roles = commandRoles(command);
  if (roles.length === ROLES.length) return 'anyone (no login needed)';
  return roles.map((r) => (r === 'unauthenticated' ? 'not logged in' : CLI_ROLE_NAME[r])).join(', ');
}

function isEnvelope(value: unknown): value is CliEnvelope {
  return typeof value === 'object' && value !== null && 'error_code' in value && 'data' in value;
}

export const CLOUDHSM_CLI_HELP_STYLE: HelpStyle<CliCommand> = {
  prompt: PROMPT,
  formatAnswer: (answer) => (isEnvelope(answer) ? formatEnvelope(answer) : String(answer)),
  extraLines: (command) => [`Roles: ${rolesText(command)}`],
};

/** `help`, `help <group>` or `help <command>` as plain text. */
export function helpText(path: readonly string[], command?: CliCommand): string {
  return command ? renderCommandHelp(CLOUDHSM_CLI, command, CLOUDHSM_CLI_HELP_STYLE) : renderCommandList(CLOUDHSM_CLI, path);
}
