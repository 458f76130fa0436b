/**
 * Playwright e2e configuration: the BUILT site (`dist/`, served by `vite preview`) in Debian's
 * Chromium at /usr/bin/chromium — Playwright never downloads a browser here. Under CI the results
 * also go to reports/e2e.json for scripts/ci-summary.mjs (not test-results/, which Playwright
 * wipes at start).
 * @module
 */
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './test/chromium.ts';

/**
 * Not 4173, so a playground left running by `npm start` does not break the tests, and one port
 * per run (from the runner's pid, kept in the environment so its worker processes agree), so
 * two runs on the same machine do not collide. `E2E_PORT` overrides it.
 */
process.env.E2E_PORT ??= String(41000 + (process.pid % 2000));
const PORT = Number(process.env.E2E_PORT);
const BASE_URL = `http://127.0.0.1:${PORT}`;

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  timeout: 60_000,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  outputDir: 'test-results',
  reporter: process.env.CI ? [['list'], ['json', { outputFile: 'reports/e2e.json' }]] : 'list',
  use: {
    baseURL: BASE_URL,
    browserName: 'chromium',
    headless: true,
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
  webServer: {
    // Playwright owns the server and stops it afterwards (toolchain.md, pitfall 14).
    command: `npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: BASE_URL,
    reuseExistingServer: !process.env.CI,
    timeout: 30_000,
  },
});
