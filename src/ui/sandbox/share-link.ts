/**
 * Share links: a scenario in the URL fragment (`#scenario=1.…`), which browsers never send to a
 * server. Builds the link (with or without the passwords), finds a scenario in a location, and
 * states the length budget shown in the UI.
 * @module
 */
import { redactPasswords } from './passwords.ts';
import { FRAGMENT_KEY } from './fragment.ts';
import { encodeScenario, type Scenario } from './scenario.ts';

export { FRAGMENT_KEY, scenarioInFragment } from './fragment.ts';

/**
 * The longest link we offer to copy. Browsers accept far longer URLs (Chromium 2 MB), but chat
 * tools, e-mail clients and link shorteners start cutting or refusing around 8 K characters.
 */
export const MAX_LINK_LENGTH = 8000;

export type ShareResult = { readonly ok: true; readonly url: string; readonly length: number } | { readonly ok: false; readonly length: number; readonly message: string };

/** The scenario with every password replaced by a placeholder (unless `includePasswords`). */
export function shareableScenario(scenario: Scenario, includePasswords: boolean): Scenario {
  if (includePasswords) return scenario;
  const redacted = redactPasswords(scenario.steps.map((s) => s.line)).lines;
  return { ...scenario, steps: scenario.steps.map((s, i) => ({ session: s.session, line: redacted[i]! })) };
}

/** A link to `base` (the page's address without fragment) that replays `scenario`; refused over {@link MAX_LINK_LENGTH}. */
export async function shareLink(base: string, scenario: Scenario, includePasswords: boolean): Promise<ShareResult> {
  const url = `${base.replace(/#.*$/, '')}#${FRAGMENT_KEY}=${await encodeScenario(shareableScenario(scenario, includePasswords))}`;
  if (url.length > MAX_LINK_LENGTH) {
    return { ok: false, length: url.length, message: `This scenario makes a link of ${url.length} characters, over the ${MAX_LINK_LENGTH} that links can safely carry: reset and share a shorter one, or export a transcript file instead` };
  }
  return { ok: true, url, length: url.length };
}
