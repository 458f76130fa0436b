/**
 * The hosted build keeps working offline after the first visit (public/sw.js). The site is reached
 * through a small proxy the test can unplug, because a browser's "offline" switch alone does not
 * reliably cover a service worker's own fetches: with the proxy refusing every connection and the
 * context offline, nothing can come from the network. First visit: the service worker installs
 * (caching the pages, the app chunk and the HSM worker) and takes control without reloading the
 * page. Then offline: reloading boots the page from the cache, and a command gets its answer;
 * the sandbox view opens too.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { activePanel, ANSWER_TIMEOUT_MS, openPage, waitUntilReady } from './page-driver.ts';

/** Types a line in `input` and answers the text of the one new answer on the page. */
async function answerOf(page: Page, input: Locator, line: string): Promise<string> {
  const answers = page.locator('.term-answer');
  const before = await answers.count();
  await input.fill(line);
  await input.press('Enter');
  await expect(answers).toHaveCount(before + 1, { timeout: ANSWER_TIMEOUT_MS });
  return answers.nth(before).locator('.term-output').innerText();
}

test('after one visit the page boots and answers a command offline', async ({ page, context, baseURL }) => {
  const upstream = new URL(baseURL!);
  let online = true;
  let servedOffline = 0;
  const proxy = createServer((request, response) => {
    if (!online) {
      servedOffline++;
      request.socket.destroy();
      return;
    }
    const forward = httpRequest({ host: upstream.hostname, port: upstream.port, path: request.url, method: request.method, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    forward.on('error', () => response.writeHead(502).end());
    request.pipe(forward);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const site = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  try {
    await openPage(page, `${site}/`);
    // Marks this document: were the page reloaded when the worker takes control, the mark would vanish.
    await page.evaluate(() => ((window as unknown as { firstVisitMark: string }).firstVisitMark = 'still here'));
    await page.evaluate(() => navigator.serviceWorker.ready);
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.state ?? 'none'), { timeout: 30_000 }).toBe('activated');
    expect(await page.evaluate(() => (window as unknown as { firstVisitMark?: string }).firstVisitMark)).toBe('still here');
    const cached = await page.evaluate(async () => (await Promise.all((await caches.keys()).map(async (name) => (await (await caches.open(name)).keys()).map((r) => r.url)))).flat());
    expect(cached.some((url) => /\/assets\/hsm\.worker-[\w-]+\.js$/.test(url))).toBe(true);
    expect(cached.some((url) => /\/assets\/app-[\w-]+\.js$/.test(url))).toBe(true);

    online = false;
    await context.setOffline(true);
    // A file the worker has not cached must now fail: the network is really gone.
    expect(await page.evaluate(() => fetch('./not-cached.txt', { cache: 'no-store' }).then(() => 'reached', () => 'unreachable'))).toBe('unreachable');
    await page.reload();
    await waitUntilReady(page);
    expect(await page.evaluate(() => (window as unknown as { firstVisitMark?: string }).firstVisitMark)).toBeUndefined();
    const answer = JSON.parse(await answerOf(page, activePanel(page).locator('.term-input'), 'user list')) as { error_code: number; data: { users: { username: string }[] } };
    expect(answer.error_code).toBe(0);
    expect(answer.data.users.map((u) => u.username)).toContain('admin');

    await openPage(page, `${site}/embed.html?seed=offline`);
    expect(await answerOf(page, page.locator('#sandbox-terminal-input'), 'cluster hsm-info')).toContain('"error_code": 0');
    test.info().annotations.push({ type: 'connections refused while offline', description: String(servedOffline) });
  } finally {
    await context.setOffline(false);
    proxy.closeAllConnections();
    await new Promise((resolve) => proxy.close(resolve));
  }
});
