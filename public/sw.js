/**
 * HSM Playground service worker: after the first visit the hosted build keeps working offline.
 * - install: cache the pages (./, index.html, embed.html) and every file they reference, found by
 *   following quoted file names through the HTML and JS, each resolved against the file naming it
 *   (the lazily loaded app chunk and the HSM worker chunk are named inside the page's JS, so they
 *   are found too) — no build-time manifest needed.
 * - fetch: pages network-first (a new deploy is picked up on the next load), falling back to the
 *   cache offline; assets (content-hashed, so immutable) cache-first.
 * - lookups ignore `Vary`: servers such as `vite preview` send `Vary: Origin`, and the page's
 *   `<script type="module" crossorigin>` requests carry an Origin header the install crawl's did
 *   not, so a strict match would miss every cached script offline.
 * It never calls skipWaiting() or reloads a page: a new version takes over only when every tab
 * of the old one is closed, so nobody's session is interrupted.
 * @module
 */
const CACHE = 'hsm-playground-v2';
const PAGES = ['./', './index.html', './embed.html'];
/**
 * A file of the build named inside a page or a script, in quotes or backquotes: `./assets/main-AbC123.js`
 * in the HTML; `./app-AbC123.js` (dynamic import), `hsm.worker-AbC123.js` (new URL(…, import.meta.url))
 * and `./terminal-AbC123.js` (static import) inside the scripts, where they are relative to the script itself.
 */
const FILE_REF = /["'`]((?:\.\/)?(?:assets\/)?[A-Za-z0-9_.-]+\.(?:js|css|wasm|svg|png|woff2?))["'`]/g;

/** Fills the cache with the pages and every file they reach, following references through HTML and JS. */
async function crawl(cache) {
  const seen = new Set();
  const queue = PAGES.map((path) => new URL(path, self.registration.scope).href);
  while (queue.length > 0) {
    const url = queue.shift();
    if (seen.has(url)) continue;
    seen.add(url);
    let response;
    try {
      response = await fetch(url, { cache: 'no-cache' });
    } catch {
      continue;
    }
    const type = response.headers.get('content-type') || '';
    // A server may answer a missing file with its index page: keep only what is what it claims to be.
    const extension = /\.([a-z0-9]+)$/.exec(new URL(url).pathname)?.[1];
    if (!response.ok || (extension !== undefined && extension !== 'html' && /html/.test(type))) continue;
    await cache.put(url, response.clone());
    if (!/html|javascript/.test(type)) continue;
    const text = await response.text();
    for (const match of text.matchAll(FILE_REF)) {
      const next = new URL(match[1], url);
      if (next.origin === self.location.origin && next.href.startsWith(self.registration.scope)) queue.push(next.href);
    }
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then(crawl));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys().then((names) => Promise.all(names.filter((n) => n.startsWith('hsm-playground-') && n !== CACHE).map((n) => caches.delete(n)))).then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(
      fetch(request)
        .then((response) => {
          const copy = response.clone();
          if (response.ok) void caches.open(CACHE).then((cache) => cache.put(request.url.replace(/[?#].*$/, ''), copy));
          return response;
        })
        .catch(async () => (await caches.match(request, { ignoreSearch: true, ignoreVary: true })) || (await caches.match(new URL('./', self.registration.scope).href, { ignoreVary: true })) || Response.error()),
    );
    return;
  }
  event.respondWith(
    caches.match(request, { ignoreVary: true }).then(
      (cached) =>
        cached ||
        fetch(request).then((response) => {
          if (response.ok && /\/assets\//.test(request.url)) {
            const copy = response.clone();
            void caches.open(CACHE).then((cache) => cache.put(request, copy));
          }
          return response;
        }),
    ),
  );
});
