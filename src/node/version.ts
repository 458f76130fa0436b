/**
 * The tool's version: the `version` field of the project's package.json.
 * @module
 */
import { readFileSync } from 'node:fs';

export function toolVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  const version = (JSON.parse(text) as { version?: unknown }).version;
  if (typeof version !== 'string') throw new Error('package.json has no version string');
  return version;
}
