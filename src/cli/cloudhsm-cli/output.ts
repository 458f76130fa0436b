/**
 * How cloudhsm-cli prints an answer: the bare envelope `{ "error_code", "data" }` (internal
 * fields such as `reason` and `allowedRoles` stripped), pretty-printed with two-space
 * indentation as the real tool does.
 * @module
 */
import type { Envelope } from '../../hsm/envelope.ts';

export interface CliEnvelope {
  readonly error_code: 0 | 1;
  readonly data: unknown;
}

/** Only the fields the real tool prints. */
export function toCliEnvelope(envelope: Envelope | CliEnvelope): CliEnvelope {
  return { error_code: envelope.error_code, data: envelope.data };
}

export function formatEnvelope(envelope: Envelope | CliEnvelope): string {
  return JSON.stringify(toCliEnvelope(envelope), null, 2);
}

/** A failure as printed (parse errors, file errors): `{ "error_code": 1, "data": message }`. */
export function cliFailure(message: string): CliEnvelope {
  return { error_code: 1, data: message };
}
