/**
 * `npm run bench:browser`: the crypto benchmark in headless Debian Chromium. Serves
 * bench/browser.html with Vite's dev server, opens it with Playwright on /usr/bin/chromium, and
 * prints the same table as the Node benchmark (ops/s per engine, ratio to noble, chosen engine).
 * Usage: `tsx bench/run-browser.ts [--quick]`.
 * @module
 */
import { chromium } from '@playwright/test';
import { createServer } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/chromium.ts';
import { formatTable } from './measure.ts';

const budgetMs = process.argv.includes('--quick') ? 150 : 600;

const server = await createServer({
  logLevel: 'warn',
  server: { host: '127.0.0.1', port: 0, strictPort: false },
  // Pre-bundle every dependency up front: a dependency discovered mid-run reloads the page.
  optimizeDeps: {
    entries: ['bench/browser.html'],
    include: ['@noble/ciphers/aes.js', '@noble/curves/nist.js', '@noble/curves/secp256k1.js', '@noble/curves/abstract/weierstrass.js',
      '@noble/hashes/hmac.js', '@noble/hashes/sha2.js', '@noble/hashes/legacy.js', '@noble/hashes/utils.js', '@noble/ciphers/utils.js'],
  },
});
await server.listen();
const address = server.resolvedUrls?.local[0];
if (!address) throw new Error('vite did not report a local address');

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.text().startsWith('progress: ')) process.stderr.write(`  ${m.text().slice(10)}\r\x1b[K`);
    else if (m.type() === 'error') console.error(`console: ${m.text()}`);
  });
  await page.goto(`${address}bench/browser.html?budget=${budgetMs}`);
  await page.waitForFunction(() => window.benchResult !== undefined, undefined, { timeout: 15 * 60_000, polling: 500 });
  const result = await page.evaluate(() => window.benchResult!);
  if (result.kind === 'error') throw new Error(result.message);
  const version = browser.version();
  console.log(`Chromium ${version} (headless, in a module worker), ${result.results.length} cases, ${budgetMs} ms each in 3 interleaved rounds (best round; ratios are to noble in the same run)\n`);
  console.log(formatTable(result.results, (p) => result.chosen[p] ?? ''));
} finally {
  await browser.close();
  await server.close();
}
