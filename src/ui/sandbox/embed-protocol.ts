/**
 * The embed frame's postMessage API, format 1 (docs/embedding.md): the request and response
 * shapes, their validation, and the list of trusted origins. A host page sends
 * `{ type: "hsm-playground", version: 1, id, action, … }` and gets back
 * `{ type: "hsm-playground", version: 1, id, ok: true, result }` or `{ …, ok: false, error }`.
 * Messages from origins not on the trust list are ignored, with no answer. Pure: no DOM.
 * @module
 */
import { validateScenario, type Scenario } from './scenario.ts';
import type { SandboxSettings } from './sandbox.ts';

export const MESSAGE_TYPE = 'hsm-playground';
export const API_VERSION = 1;

export type EmbedRequest =
  | { readonly id: string | number; readonly action: 'ping' }
  | { readonly id: string | number; readonly action: 'run'; readonly command: string; readonly session?: string }
  | { readonly id: string | number; readonly action: 'reset'; readonly settings?: SandboxSettings }
  | { readonly id: string | number; readonly action: 'load-scenario'; readonly scenario?: Scenario; readonly encoded?: string; readonly passwords?: Readonly<Record<number, string>> }
  | { readonly id: string | number; readonly action: 'get-scenario'; readonly includePasswords?: boolean };

export type EmbedAction = EmbedRequest['action'];
export const ACTIONS: readonly EmbedAction[] = ['ping', 'run', 'reset', 'load-scenario', 'get-scenario'];

export interface EmbedResponse {
  readonly type: typeof MESSAGE_TYPE;
  readonly version: typeof API_VERSION;
  readonly id: string | number | null;
  readonly ok: boolean;
  readonly result?: unknown;
  readonly error?: string;
}

/** The frame's announcement, sent to each trusted origin when it is ready. */
export interface EmbedReadyEvent {
  readonly type: typeof MESSAGE_TYPE;
  readonly version: typeof API_VERSION;
  readonly event: 'ready';
  readonly actions: readonly EmbedAction[];
}

export function response(id: string | number | null, outcome: { ok: true; result: unknown } | { ok: false; error: string }): EmbedResponse {
  return { type: MESSAGE_TYPE, version: API_VERSION, id, ...outcome };
}

/** Is `data` meant for us at all? (Other libraries post messages too; those are not errors.) */
export function isOurMessage(data: unknown): data is Record<string, unknown> {
  return typeof data === 'object' && data !== null && (data as Record<string, unknown>).type === MESSAGE_TYPE && !('ok' in data) && !('event' in data);
}

const SESSION_NAME = /^[A-Za-z0-9_. -]{1,32}$/;
const MAX_COMMAND = 4000;

/** Validate a request of ours; `{ error }` names what was wrong (answered as ok: false). */
export function parseRequest(data: Record<string, unknown>): { request: EmbedRequest } | { id: string | number | null; error: string } {
  const id = typeof data.id === 'string' || (typeof data.id === 'number' && Number.isFinite(data.id)) ? data.id : null;
  if (id === null) return { id: null, error: 'Every request needs an id (a string or a number) to match its answer' };
  if (data.version !== API_VERSION) return { id, error: `API version ${JSON.stringify(data.version)} is not supported: this frame speaks version ${API_VERSION}` };
  const action = ACTIONS.find((a) => a === data.action);
  if (!action) return { id, error: `Unknown action ${JSON.stringify(data.action)} (actions are ${ACTIONS.join(', ')})` };
  switch (action) {
    case 'ping':
      return { request: { id, action } };
    case 'run': {
      if (typeof data.command !== 'string' || data.command.trim() === '' || data.command.length > MAX_COMMAND || /[\r\n]/.test(data.command)) {
        return { id, error: `run needs 'command': one command line of 1 to ${MAX_COMMAND} characters` };
      }
      if (data.session !== undefined && (typeof data.session !== 'string' || !SESSION_NAME.test(data.session))) {
        return { id, error: "run: 'session' must be 1–32 letters, digits, spaces, '_', '.' or '-'" };
      }
      return { request: { id, action, command: data.command, ...(data.session !== undefined ? { session: data.session as string } : {}) } };
    }
    case 'reset': {
      if (data.settings === undefined) return { request: { id, action } };
      const s = data.settings as Record<string, unknown> | null;
      if (typeof s !== 'object' || s === null) return { id, error: "reset: 'settings' must be an object {hsms, model, seed?}" };
      try {
        const checked = validateScenario({ hsms: s.hsms ?? 2, model: s.model ?? 'hsm2m.medium', ...(s.seed !== undefined ? { seed: s.seed } : {}), steps: [] });
        return { request: { id, action, settings: { hsms: checked.hsms, model: checked.model, ...(checked.seed !== undefined ? { seed: checked.seed } : {}) } } };
      } catch (error) {
        return { id, error: `reset: ${(error as Error).message.replace(/^Scenario /, '')}` };
      }
    }
    case 'load-scenario': {
      const hasScenario = data.scenario !== undefined;
      const hasEncoded = data.encoded !== undefined;
      if (hasScenario === hasEncoded) return { id, error: "load-scenario needs exactly one of 'scenario' (an object) or 'encoded' (the text after #scenario= in a share link)" };
      let passwords: Record<number, string> | undefined;
      if (data.passwords !== undefined) {
        const p = data.passwords as Record<string, unknown> | null;
        if (typeof p !== 'object' || p === null || Object.entries(p).some(([k, v]) => !/^\d{1,3}$/.test(k) || typeof v !== 'string')) {
          return { id, error: "load-scenario: 'passwords' must map placeholder numbers to strings, e.g. {\"1\": \"admin-pass-1\"}" };
        }
        passwords = Object.fromEntries(Object.entries(p).map(([k, v]) => [Number(k), v as string]));
      }
      if (hasEncoded && typeof data.encoded !== 'string') return { id, error: "load-scenario: 'encoded' must be a string" };
      try {
        const scenario = hasScenario ? validateScenario(data.scenario) : undefined;
        return { request: { id, action, ...(scenario ? { scenario } : { encoded: data.encoded as string }), ...(passwords ? { passwords } : {}) } };
      } catch (error) {
        return { id, error: `load-scenario: ${(error as Error).message}` };
      }
    }
    case 'get-scenario':
      if (data.includePasswords !== undefined && typeof data.includePasswords !== 'boolean') return { id, error: "get-scenario: 'includePasswords' must be true or false" };
      return { request: { id, action, ...(data.includePasswords !== undefined ? { includePasswords: data.includePasswords as boolean } : {}) } };
  }
}

/**
 * Parse a trust list: origins separated by commas or spaces (`https://docs.example,http://localhost:8080`).
 * Each must be an http(s) origin with nothing after the host and port; `*` and `null` are refused,
 * since they would let any page (or any sandboxed frame) drive the sandbox.
 */
export function parseTrustList(text: string | null | undefined): { origins: string[]; problems: string[] } {
  const origins: string[] = [];
  const problems: string[] = [];
  for (const item of (text ?? '').split(/[\s,]+/).filter(Boolean)) {
    if (item === '*' || item === 'null') {
      problems.push(`'${item}' cannot be trusted: name each host page's origin`);
      continue;
    }
    let url: URL;
    try {
      url = new URL(item);
    } catch {
      problems.push(`'${item}' is not an origin (expected e.g. https://docs.example)`);
      continue;
    }
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== item.replace(/\/$/, '')) {
      problems.push(`'${item}' is not an http(s) origin (scheme, host and port only, e.g. https://docs.example)`);
      continue;
    }
    if (!origins.includes(url.origin)) origins.push(url.origin);
  }
  return { origins, problems };
}
