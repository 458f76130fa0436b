/**
 * Registers the service worker (public/sw.js) of the hosted build so it keeps working offline
 * after the first visit. Not on file:// (the single-file build needs none), not in dev. The
 * worker never reloads the page: an update waits until every tab of the old version is closed.
 * @module
 */
export function registerOffline(): void {
  if (!('serviceWorker' in navigator) || location.protocol === 'file:' || import.meta.env.DEV) return;
  const url = new URL('./sw.js', document.baseURI);
  navigator.serviceWorker.register(url, { scope: './' }).then(
    () => (document.documentElement.dataset.offline = 'registered'),
    (error: unknown) => console.warn(`Offline use is unavailable: ${error instanceof Error ? error.message : String(error)}`),
  );
}
