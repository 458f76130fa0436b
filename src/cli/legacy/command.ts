/**
 * A command of a legacy tool (CMU or KMU): the generic {@link CommandSpec} (so the shared
 * machinery parses it, prints help and completes it), the POLICY ops it sends (so who may run it
 * is read from the one permission table, never restated), and what it does: `run` turns the
 * parsed arguments into HSM requests and the tool's own text.
 * @module
 */
import type { ParsedFlags } from '../machinery/parsed-flags.ts';
import type { CommandSpec, FlagSpec } from '../machinery/spec.ts';
import type { RoleRule } from '../cloudhsm-cli/command.ts';
import type { LegacyResult } from './context.ts';

export interface LegacyCommand<Ctx> extends CommandSpec {
  readonly roles: RoleRule;
  /** Never rejects for HSM refusals: they are printed as the tool prints them. */
  run(flags: ParsedFlags, ctx: Ctx): Promise<LegacyResult>;
}

/** A bare-word argument (CMU `loginHSM <type> <user> <pw>`). */
export function positional(name: string, help: string, type: 'string' | 'int' = 'string', required = true): FlagSpec {
  return { name, type, help, required, positional: true, valueName: name };
}

/** A single-dash flag with one value (KMU `-l <label>`). */
export function valueFlag(name: string, help: string, type: 'string' | 'int' = 'string', required = false, valueName?: string): FlagSpec {
  return { name, type, help, required, ...(valueName !== undefined ? { valueName } : {}) };
}

/** A single-dash switch (KMU `-sess`, `-nex`). */
export function switchFlag(name: string, help: string): FlagSpec {
  return { name, type: 'bool', help };
}

export function succeeded(output: string): LegacyResult {
  return { output, error_code: 0 };
}

export function failed(output: string): LegacyResult {
  return { output, error_code: 1 };
}
