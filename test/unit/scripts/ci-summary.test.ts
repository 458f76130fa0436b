/**
 * scripts/ci-summary.mjs: sums vitest and Playwright JSON reports into the last line CI reads,
 * and never lets a missing report, a file that failed to load or a failed step read "0 failed".
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'ci-summary-'));
function report(name: string, body: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(body));
  return path;
}
function summary(...args: string[]) {
  const run = spawnSync(process.execPath, ['scripts/ci-summary.mjs', ...args], { encoding: 'utf8' });
  const lines = run.stdout.trim().split('\n');
  return { status: run.status, last: lines.at(-1), stdout: run.stdout };
}

const vitestOk = report('unit.json', { numPassedTests: 7, numFailedTests: 0, numPendingTests: 1, testResults: [{ status: 'passed', assertionResults: [] }] });
const vitestBad = report('browser.json', {
  numPassedTests: 2,
  numFailedTests: 1,
  testResults: [
    { status: 'failed', assertionResults: [{ status: 'failed' }, { status: 'passed' }] },
    { status: 'failed', assertionResults: [] }, // the file did not even load
  ],
});
const playwrightOk = report('e2e.json', { stats: { expected: 3, unexpected: 0, flaky: 1, skipped: 2 }, errors: [] });
const playwrightServerDown = report('e2e-down.json', { stats: { expected: 0, unexpected: 0, flaky: 0, skipped: 0 }, errors: [{ message: 'webServer timed out' }] });

describe('ci-summary', () => {
  it('sums passing reports and exits 0', () => {
    const r = summary(vitestOk, playwrightOk);
    expect(r.last).toBe('11 passed, 0 failed');
    expect(r.status).toBe(0);
  });

  it('counts failed tests and a test file that failed to load', () => {
    const r = summary(vitestOk, vitestBad);
    expect(r.last).toBe('9 passed, 2 failed');
    expect(r.status).toBe(1);
  });

  it('counts a missing report, a Playwright run error and each failed step as one failure', () => {
    const r = summary(vitestOk, join(dir, 'nope.json'), playwrightServerDown, '--failed-step', 'typecheck');
    expect(r.stdout).toContain('nope.json: missing or unreadable');
    expect(r.stdout).toContain('step "typecheck" failed');
    expect(r.last).toBe('7 passed, 3 failed');
    expect(r.status).toBe(1);
  });

  it('fails when nothing passed', () => {
    const empty = report('empty.json', { numPassedTests: 0, numFailedTests: 0, testResults: [] });
    const r = summary(empty);
    expect(r.last).toBe('0 passed, 0 failed');
    expect(r.status).toBe(1);
  });
});
