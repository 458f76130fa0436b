/**
 * HSM Playground service worker: after the first visit the hosted build keeps working offline.
 * - install: cache the pages (./, index.html, embed.html) and every asset they reference,
 *   found by following `assets/…` references through the HTML and JS (the worker chunk is named
 *   inside the page's JS, so it is found too) — no build-time manifest needed.
 * - fetch: pages network-first (a new deploy is picked up on the next load), falling back to the
 *   cache offline; assets (content-hashed, so immutable) cache-first.
 * It never calls skipWaiting() or reloads a page: a new version takes over only when every tab
 * of the old one is closed, so nobody's session is interrupted.
 * @module
 */
const CACHE = 'hsm-playground-v1';
const PAGES = ['./', './index.html', './embed.html'];
const ASSET_REF = /(?:\.\/|\/)?(assets\/[A-Za-z0-9_.-]+\.(?:js|css|wasm|svg|png|woff2?))/g;

async function crawl(cache) {
  const seen = new Set();
  const queue = [...PAGES];
  while (queue.length > 0) {
    const path = queue.shift();
    const url = new URL(path, self.registration.scope).href;
    if (seen.has(url)) continue;
    seen.add(url);
    let response;
    try {
      response = await fetch(url, { cache: 'no-cache' });
    } catch {
      continue;
    }
    if (!response.ok) continue;
    await cache.put(url, response.clone());
    const type = response.headers.get('content-type') || '';
    if (!/html|javascript/.test(type)) continue;
    const text = await response.text();
    for (const match of text.matchAll(ASSET_REF)) queue.push(`./${match[1]}`);
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
        .catch(async () => (await caches.match(request, { ignoreSearch: true })) || (await caches.match(new URL('./', self.registration.scope).href)) || Response.error()),
    );
    return;
  }
  event.respondWith(
    caches.match(request).then(
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
