/**
 * The embedded sandbox driven from docs/sample-docs.html through postMessage (needs embed.html and
 * docs/sample-docs.html in the build inputs): Run buttons get the real JSON answers; a message
 * from an untrusted origin is ignored (no answer, nothing changes); a share link replays.
 */
import { expect, test } from '@playwright/test';

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
 * A page on another origin embeds the sandbox. The second origin is the same preview server
 * reached as `localhost` instead of `127.0.0.1` (a different origin, and a different site, so the
 * frames are cross-origin for real); the host page itself is supplied by the test. It embeds two
 * sandboxes: one that trusts it and one that trusts only 127.0.0.1. Both get the same request: the
 * first answers, the second stays silent and counts the message as ignored.
 */
test('a message from an untrusted origin is ignored, a trusted one answered', async ({ page, baseURL }) => {
  const sandboxOrigin = new URL(baseURL!).origin;
  const otherOrigin = sandboxOrigin.replace('127.0.0.1', 'localhost');
  expect(otherOrigin).not.toBe(sandboxOrigin);
  const embed = (trust: string) => `${sandboxOrigin}/embed.html?trust=${encodeURIComponent(trust)}`;
  await page.route(`${otherOrigin}/untrusted-host.html`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><title>other site</title><iframe id="trusting" src="${embed(otherOrigin)}"></iframe><iframe id="distrusting" src="${embed(sandboxOrigin)}"></iframe>`,
    }),
  );
  await page.goto(`${otherOrigin}/untrusted-host.html`);
  const sandboxFrame = (id: string) => page.frame({ url: (u) => u.href === (id === 'trusting' ? embed(otherOrigin) : embed(sandboxOrigin)) });
  await expect.poll(() => sandboxFrame('trusting') !== null && sandboxFrame('distrusting') !== null, { timeout: 30_000 }).toBe(true);
  for (const id of ['trusting', 'distrusting']) {
    await expect.poll(() => sandboxFrame(id)!.evaluate(() => document.body.dataset.ready ?? ''), { timeout: 30_000 }).toBe('true');
  }
  const ask = (id: string) =>
    page.evaluate(
      ([frameId, origin]) =>
        new Promise<unknown>((resolve) => {
          const target = (document.getElementById(frameId!) as HTMLIFrameElement).contentWindow!;
          window.addEventListener('message', (event) => {
            if (event.source === target && (event.data as { id?: unknown }).id === 7) resolve(event.data);
          });
          target.postMessage({ type: 'hsm-playground', version: 1, id: 7, action: 'run', command: 'cluster activate --password x1234567' }, origin!);
          setTimeout(() => resolve(null), 3000);
        }),
      [id, sandboxOrigin],
    );
  const trustedAnswer = (await ask('trusting')) as { ok: boolean; result: { output: string } } | null;
  expect(trustedAnswer?.ok).toBe(true);
  expect(trustedAnswer?.result.output).toContain('"error_code": 0');
  expect(await ask('distrusting')).toBeNull();
  const distrusting = sandboxFrame('distrusting')!;
  expect(await distrusting.evaluate(() => document.body.dataset.ignoredMessages)).toBe('1');
  expect(await distrusting.locator('.term-answer').count()).toBe(0);
  expect(await sandboxFrame('trusting')!.locator('.term-answer').count()).toBe(1);
});

test('a share link opened on the main page replays in the sandbox view', async ({ page }) => {
  await page.goto('embed.html?seed=share-e2e');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  const input = page.locator('#sandbox-terminal-input');
  for (const [i, line] of ['cluster activate --password admin-pass-1', 'login --username admin --role admin --password admin-pass-1', 'user create --username alice --role crypto-user --password alice-pass-1'].entries()) {
    await input.fill(line);
    await input.press('Enter');
    await expect(page.locator('.term-answer')).toHaveCount(i + 1, { timeout: 30_000 });
  }
  await page.locator('#share-copy').click();
  const link = await page.locator('#share-link').inputValue();
  expect(link).toContain('#scenario=1.');
  const onMain = link.replace('embed.html', 'index.html');
  await page.goto(onMain);
  await expect(page.locator('#password-form-heading')).toBeVisible({ timeout: 30_000 });
  await page.locator('#scenario-password-1').fill('admin-pass-1');
  await page.locator('#scenario-password-2').fill('alice-pass-1');
  await page.locator('.password-form button[type=submit]').click();
  await expect(page.locator('body')).toHaveAttribute('data-replayed', '3', { timeout: 30_000 });
  await page.locator('#sandbox-terminal-input').fill('user list');
  await page.locator('#sandbox-terminal-input').press('Enter');
  await expect(page.locator('.term-answer').last()).toContainText('"username": "alice"');
});
