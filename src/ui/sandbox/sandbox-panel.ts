/**
 * The main page's entry to the sandbox features: a small "Tutorials & sandbox" panel mounted by
 * src/ui/main.ts. Shared links and tutorials run in the sandbox view (embed.html), a separate,
 * memory-only cluster — so opening someone's link never overwrites the cluster this page keeps in
 * IndexedDB. A share link opened on the main page (`index.html#scenario=…`) is forwarded there.
 * Also registers the service worker for offline use.
 * @module
 */
import { h } from '../dom.ts';
import { registerOffline } from './offline.ts';
import { scenarioInFragment } from './fragment.ts';

/** Mounts the panel into `host` (or the page's main layout) and handles a forwarded share link. */
export function mountSandboxPanel(host: HTMLElement | null = document.querySelector('main')): void {
  registerOffline();
  const sandboxUrl = new URL('./embed.html', document.baseURI);
  const encoded = scenarioInFragment(location.hash);
  if (encoded) {
    location.replace(`${sandboxUrl.href}${location.search}#scenario=${encoded}`);
    return;
  }
  if (!host) return;
  const link = (query: string, text: string) => h('a', { href: `${sandboxUrl.href}${query}` }, text);
  host.append(
    h(
      'section',
      { class: 'panel sandbox-entry', 'aria-labelledby': 'sandbox-entry-heading' },
      h('h2', { id: 'sandbox-entry-heading' }, 'Tutorials & sandbox'),
      h('p', {}, 'Guided tutorials and shareable links run in the sandbox: a fresh cluster in memory, separate from this one.'),
      h(
        'ul',
        {},
        h('li', {}, link('?tutorial=users-and-roles', 'Tutorial: activate a cluster and manage users')),
        h('li', {}, link('?tutorial=crypto-user-keys', 'Tutorial: a crypto user’s keys')),
        h('li', {}, link('?tutorial=keys-across-hsms', 'Tutorial: keys across HSMs')),
        h('li', {}, link('?seed=demo', 'Open the sandbox (seeded, to share a reproducible link)')),
      ),
    ),
  );
}
