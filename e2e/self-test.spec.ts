/**
 * The built site in Debian's Chromium: the page starts an HSM worker, the worker's crypto
 * self-test passes for every primitive (WebAssembly included), its HMAC equals node:crypto's,
 * its seeded run equals the digest pinned in Node, and nothing on the page errs or fails to load.
 */
import { createHmac } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { HMAC_RFC4231_CASE2, SEEDED_TRANSCRIPT } from '../src/crypto/self-test.ts';

interface Row {
  name: string;
  engine: string;
  ok: boolean;
  output: string | undefined;
}

/** Everything that went wrong while the page ran. */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return problems;
}

test('the HSM worker self-test passes in the built site', async ({ page }) => {
  const problems = watchProblems(page);
  await page.goto('/');

  const status = page.locator('#status');
  await expect(status).toHaveAttribute('data-state', /^(ready|failed)$/, { timeout: 45_000 });
  const rows: Row[] = await page.locator('#self-test tbody tr').evaluateAll((trs) =>
    trs.map((tr) => {
      const d = (tr as HTMLElement).dataset;
      return { name: d.name ?? '', engine: d.engine ?? '', ok: d.ok === 'true', output: d.output };
    }),
  );
  expect(rows.filter((r) => !r.ok), `failed checks; status says: ${await status.textContent()}`).toEqual([]);
  await expect(status).toHaveAttribute('data-state', 'ready');

  const names = rows.map((r) => r.name).join('\n');
  for (const expected of ['SHA-256', 'HMAC-SHA256', 'AES-256-GCM', 'AES-128-CBC', 'AES-128-CTR', 'RFC 3394', 'RFC 5649',
    'ECDSA secp224r1', 'ECDSA P-256', 'ECDSA P-384', 'ECDSA P-521', 'ECDSA secp256k1', 'RSA-2048', 'argon2id', 'Seeded DRBG', 'Seeded keys']) {
    expect(names).toContain(expected);
  }
  // At least one primitive ran on WebAssembly inside the worker (hash-wasm).
  expect(rows.filter((r) => r.engine === 'hash-wasm').map((r) => r.name)).toEqual(expect.arrayContaining(['SHA-256', 'Password hash (argon2id)']));

  // The worker's HMAC equals OpenSSL's, computed here in Node.
  const v = HMAC_RFC4231_CASE2;
  expect(rows.find((r) => r.name.startsWith('HMAC-SHA256'))?.output).toBe(createHmac('sha256', v.key).update(v.data).digest('hex'));
  // The worker's seeded keys and signatures are byte for byte those made in Node.
  expect(rows.find((r) => r.name.startsWith('Seeded keys'))?.output).toBe(SEEDED_TRANSCRIPT.sha256);

  expect(problems).toEqual([]);
});
