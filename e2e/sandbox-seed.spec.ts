/**
 * `index.html?seed=…` is reproducible end to end: two fresh browser contexts running the same
 * commands on the seeded main page get byte-identical answers (keys, key references, check values,
 * signatures), and those equal what `npx hsm-playground --seed demo` prints for the same script in
 * Node (worker_threads HSMs, run here with child_process). A seeded visit also leaves the page's
 * saved (unseeded) cluster alone.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { enterLine, openPage } from './page-driver.ts';

const SEED = 'demo';
const SCRIPT = [
  'cluster hsm-info',
  'cluster activate --password admin-pass-1',
  'login --username admin --role admin --password admin-pass-1',
  'user create --username alice --role crypto-user --password alice-pass-1',
  'logout',
  'login --username alice --role crypto-user --password alice-pass-1',
  'key generate-asymmetric-pair ec --curve prime256v1 --public-label p1 --private-label k1 --private-attributes sign=true',
  'key generate-symmetric aes --label a1 --key-length-bytes 32',
  'crypto sign ecdsa --key-filter attr.label=k1 --hash-function sha256 --data aGVsbG8=',
  'key list --verbose',
  'user list',
];
const REPO = fileURLToPath(new URL('..', import.meta.url));

/** Types each line in the page's active terminal; the printed answers, one per line. */
async function runScript(page: Page): Promise<string[]> {
  const outputs: string[] = [];
  for (const line of SCRIPT) {
    const answer = await enterLine(page, line);
    outputs.push(await answer.locator('.term-output').evaluate((pre) => pre.textContent ?? ''));
  }
  return outputs;
}

async function seededRun(browser: Browser, url: string): Promise<string[]> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await openPage(page, url);
    await expect(page.locator('body')).toHaveAttribute('data-seed', SEED);
    await expect(page.locator('#page-status')).toContainText(`seed “${SEED}”`);
    return await runScript(page);
  } finally {
    await context.close();
  }
}

test('two seeded pages and the seeded Node tool give byte-identical answers', async ({ browser, baseURL }) => {
  const url = new URL(`index.html?seed=${SEED}`, baseURL).href;
  const first = await seededRun(browser, url);
  const second = await seededRun(browser, url);
  expect(first).toHaveLength(SCRIPT.length);
  expect(second).toEqual(first);
  expect(first[8]).toContain('"signature"');
  expect(first.every((output) => JSON.parse(output).error_code === 0)).toBe(true);

  const node = execFileSync(process.execPath, ['bin/hsm-playground.mjs', '--seed', SEED], { cwd: REPO, input: SCRIPT.join('\n') + '\n', encoding: 'utf8', timeout: 60_000 });
  expect(node).toBe(first.map((output) => `${output}\n`).join(''));

  // Not vacuous: another seed gives other keys.
  const other = execFileSync(process.execPath, ['bin/hsm-playground.mjs', '--seed', 'another'], { cwd: REPO, input: SCRIPT.join('\n') + '\n', encoding: 'utf8', timeout: 60_000 });
  expect(other).not.toBe(node);
});

test('a seeded visit does not reuse or overwrite the saved cluster of an unseeded one', async ({ page }) => {
  await openPage(page, 'index.html');
  const saved = await page.evaluate(() => localStorage.getItem('hsm-playground.cluster-record'));
  expect(saved).not.toBeNull();
  const savedId = (JSON.parse(saved!) as { clusterId: string }).clusterId;

  await openPage(page, `index.html?seed=${SEED}`);
  await expect(page.locator('#cluster-id')).not.toContainText(savedId);
  expect(await page.evaluate(() => localStorage.getItem('hsm-playground.cluster-record'))).toBe(saved);

  await openPage(page, 'index.html');
  await expect(page.locator('#page-status')).toContainText('Cluster reopened');
  await expect(page.locator('#cluster-id')).toContainText(savedId);
});

test('a bad seed in the address is reported, not silently ignored', async ({ page }) => {
  await openPage(page, 'index.html?seed=');
  await expect(page.locator('#page-status')).toContainText('The address parameter seed must be 1 to 200 characters, got 0');
  expect(await page.locator('body').getAttribute('data-seed')).toBeNull();
});
