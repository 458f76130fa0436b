/**
 * Where a share link keeps its scenario: the URL fragment parameter `scenario` (`#scenario=1.…`),
 * which browsers never send to a server. Dependency-free so the main page can check for it cheaply.
 * @module
 */
export const FRAGMENT_KEY = 'scenario';

/** The encoded scenario in a fragment like `#scenario=1.abc`, or undefined. */
export function scenarioInFragment(hash: string): string | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const value = params.get(FRAGMENT_KEY);
  return value === null || value === '' ? undefined : value;
}
