/**
 * The embedded sandbox driven from docs/sample-docs.html through postMessage (needs embed.html and
 * docs/sample-docs.html in the build inputs): Run buttons get the real JSON answers; a message
 * from an untrusted origin is ignored (no answer, nothing changes); a share link replays.
 */
import { expect, test } from '@playwright/test';

test('sample docs page drives the sandbox; an untrusted origin is ignored', async ({ page }) => {
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

  // An untrusted page (another origin) embeds the same sandbox and posts to it: ignored.
  await page.route('http://untrusted.example/', (route) =>
    route.fulfill({ contentType: 'text/html', body: `<iframe id="f" src="${new URL('embed.html?trust=' + encodeURIComponent('http://127.0.0.1:4173'), page.url()).href}"></iframe>` }),
  );
  await page.goto('http://untrusted.example/');
  await expect.poll(() => page.frames().some((f) => f.url().includes('embed.html')), { timeout: 30_000 }).toBe(true);
  const evil = page.frames().find((f) => f.url().includes('embed.html'))!;
  await expect.poll(() => evil.evaluate(() => document.body.dataset.ready ?? ''), { timeout: 30_000 }).toBe('true');
  const answered = await page.evaluate(
    () =>
      new Promise<boolean>((resolve) => {
        window.addEventListener('message', () => resolve(true));
        (document.getElementById('f') as HTMLIFrameElement).contentWindow!.postMessage({ type: 'hsm-playground', version: 1, id: 1, action: 'run', command: 'cluster activate --password x1234567' }, '*');
        setTimeout(() => resolve(false), 1500);
      }),
  );
  expect(answered).toBe(false);
  expect(await evil.evaluate(() => document.body.dataset.ignoredMessages)).toBe('1');
  expect(await evil.locator('.term-answer').count()).toBe(0);
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
