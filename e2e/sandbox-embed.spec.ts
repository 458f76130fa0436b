/**
 * The embedded sandbox driven from docs/sample-docs.html through postMessage (needs embed.html and
 * docs/sample-docs.html in the build inputs): Run buttons get the real JSON answers; a message
 * from an untrusted origin is ignored (no answer, nothing changes) while a trusted one is answered;
 * the session saves as a transcript file without its passwords; a share link replays.
 */
import { expect, test } from '@playwright/test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openPage, replayWithPasswords, saveTranscript } from './page-driver.ts';

test('sample docs page drives the sandbox through postMessage', async ({ page }) => {
  await page.goto('docs/sample-docs.html');
  await expect(page.locator('body')).toHaveAttribute('data-sandbox-ready', 'true', { timeout: 30_000 });
  const runs = page.locator('pre button.run');
  const answers = page.locator('.answer');
  for (let i = 0; i < 6; i++) {
    await runs.nth(i).click();
    await expect(answers.nth(i)).toBeVisible({ timeout: 30_000 });
    await expect(answers.nth(i)).toContainText('"error_code": 0');
  }
  await expect(answers.nth(5)).toContainText('"signature"');
  const frame = page.frameLocator('#sandbox-frame');
  await expect(frame.locator('.term-answer')).toHaveCount(6);
  await expect(frame.locator('body')).not.toHaveAttribute('data-ignored-messages', /[1-9]/);
});

/**
 * A page on another origin embeds the sandbox. The other origin is a tiny HTTP server started by
 * the test, reached as `localhost` (the sandbox is served from 127.0.0.1 by the preview server):
 * another origin and another site, so the frames are cross-origin for real. It must be a real
 * server — a page faked with page.route() has no address, so Chromium counts it as a public
 * site and its Local Network Access checks block the loopback frame (ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS).
 * The host page embeds two sandboxes: one that trusts it and one that trusts only 127.0.0.1.
 * Both get the same request: the first answers, the second stays silent and counts it as ignored.
 */
test('a message from an untrusted origin is ignored, a trusted one answered', async ({ page, baseURL }) => {
  const sandboxOrigin = new URL(baseURL!).origin;
  const embed = (trust: string) => `${sandboxOrigin}/embed.html?trust=${encodeURIComponent(trust)}`;
  let hostPage = '';
  const server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end(hostPage));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const otherOrigin = `http://localhost:${(server.address() as AddressInfo).port}`;
  hostPage = `<!doctype html><title>another site</title><link rel="icon" href="data:,"><iframe id="trusting" src="${embed(otherOrigin)}"></iframe><iframe id="distrusting" src="${embed(sandboxOrigin)}"></iframe>`;
  test.info().attach('origins', { body: `sandbox ${sandboxOrigin}, host page ${otherOrigin}` });
  try {
    await page.goto(`${otherOrigin}/`);
    const sandboxFrame = (id: string) => page.frame({ url: (u) => u.href === (id === 'trusting' ? embed(otherOrigin) : embed(sandboxOrigin)) });
    await expect.poll(() => sandboxFrame('trusting') !== null && sandboxFrame('distrusting') !== null, { timeout: 30_000 }).toBe(true);
    for (const id of ['trusting', 'distrusting']) {
      await expect.poll(() => sandboxFrame(id)!.evaluate(() => document.body.dataset.ready ?? ''), { timeout: 30_000 }).toBe('true');
    }
    const ask = (id: string, waitMs: number) =>
      page.evaluate(
        ([frameId, origin, wait]) =>
          new Promise<unknown>((resolve) => {
            const target = (document.getElementById(frameId!) as HTMLIFrameElement).contentWindow!;
            window.addEventListener('message', (event) => {
              if (event.source === target && (event.data as { id?: unknown }).id === 7) resolve(event.data);
            });
            target.postMessage({ type: 'hsm-playground', version: 1, id: 7, action: 'run', command: 'cluster activate --password x1234567' }, origin as string);
            setTimeout(() => resolve(null), wait as number);
          }),
        [id, sandboxOrigin, waitMs] as const,
      );
    const trustedAnswer = (await ask('trusting', 20_000)) as { ok: boolean; result: { output: string } } | null;
    expect(trustedAnswer?.ok).toBe(true);
    expect(trustedAnswer?.result.output).toContain('"error_code": 0');
    // The request the trusting frame just answered gets nothing from the other one (answers take well under 3 s).
    expect(await ask('distrusting', 3000)).toBeNull();
    const distrusting = sandboxFrame('distrusting')!;
    expect(await distrusting.evaluate(() => document.body.dataset.ignoredMessages)).toBe('1');
    expect(await distrusting.locator('.term-answer').count()).toBe(0);
    expect(await sandboxFrame('trusting')!.locator('.term-answer').count()).toBe(1);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('a share link opened on the main page replays in the sandbox view', async ({ page }) => {
  await openPage(page, 'embed.html?seed=share-e2e');
  const input = page.locator('#sandbox-terminal-input');
  for (const [i, line] of ['cluster activate --password admin-pass-1', 'login --username admin --role admin --password admin-pass-1', 'user create --username alice --role crypto-user --password alice-pass-1'].entries()) {
    await input.fill(line);
    await input.press('Enter');
    await expect(page.locator('.term-answer')).toHaveCount(i + 1, { timeout: 30_000 });
  }
  // "Save as transcript": the session as a transcript file, under the link's password rule.
  const transcript = await saveTranscript(page);
  expect(transcript).toContain('<!-- hsm-playground transcript: seed=share-e2e hsms=2 model=hsm2m.medium -->');
  expect(transcript).toContain('```cloudhsm-cli\nuser create --username alice --role crypto-user --password {{password-2}}\n```');
  expect(transcript).not.toContain('alice-pass-1');

  await page.locator('#share-copy').click();
  const link = await page.locator('#share-link').inputValue();
  expect(link).toContain('#scenario=1.');
  const onMain = link.replace('embed.html', 'index.html');
  await page.goto(onMain);
  await replayWithPasswords(page, ['admin-pass-1', 'alice-pass-1'], 3);
  await page.locator('#sandbox-terminal-input').fill('user list');
  await page.locator('#sandbox-terminal-input').press('Enter');
  await expect(page.locator('.term-answer').last()).toContainText('"username": "alice"');
});
