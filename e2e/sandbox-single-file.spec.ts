/**
 * The single-file build (npm run build:single → dist-single/hsm-playground.html) opened from
 * file:// with no server: HSM workers start (classic workers from Blob URLs), a crypto user is
 * created and signs with a fresh EC key, and the page made no network request.
 */
import { expect, test } from '@playwright/test';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openPage } from './page-driver.ts';

const FILE = fileURLToPath(new URL('../dist-single/hsm-playground.html', import.meta.url));

test('single-file build signs with a fresh CU key from file://', async ({ page }) => {
  expect(existsSync(FILE), `${FILE} is missing: run \`npm run build:single\` first (npm test does)`).toBe(true);
  const requests: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith('file:') && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) requests.push(r.url());
  });
  await openPage(page, pathToFileURL(FILE).href);
  await expect(page.locator('#sandbox-status')).toHaveAttribute('data-state', 'ready');
  const input = page.locator('#sandbox-terminal-input');
  const session = page.locator('#session-name');
  let answers = 0;
  const type = async (line: string) => {
    await input.fill(line);
    await input.press('Enter');
    answers++;
    await expect(page.locator('.term-answer')).toHaveCount(answers, { timeout: 30_000 });
  };
  await session.fill('admin');
  await type('cluster activate --password admin-pass-1');
  await type('login --username admin --role admin --password admin-pass-1');
  await type('user create --username alice --role crypto-user --password alice-pass-1');
  await session.fill('alice');
  await type('login --username alice --role crypto-user --password alice-pass-1');
  await type('key generate-asymmetric-pair ec --curve prime256v1 --public-label p1 --private-label k1 --private-attributes sign=true');
  await type('crypto sign ecdsa --key-filter attr.label=k1 --hash-function sha256 --data aGVsbG8=');
  await expect(page.locator('.term-answer').last()).toContainText('"signature"', { timeout: 30_000 });
  await expect(page.locator('.strip-chip')).toHaveCount(2);
  expect(requests).toEqual([]);
});
