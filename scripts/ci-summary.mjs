#!/usr/bin/env node
/**
 * Sums the JSON reports of every suite into one plain last line, "N passed, N failed", which is
 * what CI reads. Understands vitest's json reporter and Playwright's json reporter.
 *
 * Usage: node scripts/ci-summary.mjs <report.json>... [--failed-step <name>]...
 *
 * A missing or unreadable report, a test file that failed to load, a Playwright run error
 * (e.g. the web server did not start) and each `--failed-step` (typecheck, size budget…) count
 * as one failure each, so a broken run can never print "0 failed". Exits 1 when anything failed
 * or nothing passed.
 * @module
 */
import { readFileSync } from 'node:fs';

/** @param {unknown} r @returns {{ passed: number, failed: number, skipped: number }} */
function countVitest(r) {
  const report = /** @type {any} */ (r);
  let failed = report.numFailedTests ?? 0;
  for (const file of report.testResults ?? []) {
    const hasFailedTest = (file.assertionResults ?? []).some((a) => a.status === 'failed');
    if (file.status === 'failed' && !hasFailedTest) failed += 1; // the file itself failed (import error…)
  }
  return {
    passed: report.numPassedTests ?? 0,
    failed,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
  };
}

/** @param {unknown} r @returns {{ passed: number, failed: number, skipped: number }} */
function countPlaywright(r) {
  const report = /** @type {any} */ (r);
  const s = report.stats;
  return {
    passed: (s.expected ?? 0) + (s.flaky ?? 0),
    failed: (s.unexpected ?? 0) + (report.errors?.length ?? 0),
    skipped: s.skipped ?? 0,
  };
}

const files = [];
const failedSteps = [];
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--failed-step') {
    const name = argv[++i];
    if (!name) throw new Error('--failed-step needs a step name');
    failedSteps.push(name);
  } else files.push(argv[i]);
}
if (files.length === 0 && failedSteps.length === 0) {
  console.error('usage: node scripts/ci-summary.mjs <report.json>... [--failed-step <name>]...');
  process.exit(2);
}

let passed = 0;
let failed = 0;
for (const file of files) {
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    console.log(`${file}: missing or unreadable (${e instanceof Error ? e.message.split('\n')[0] : e}) → 1 failed`);
    failed += 1;
    continue;
  }
  const isPlaywright = report.stats && 'expected' in report.stats;
  const isVitest = 'numPassedTests' in report;
  if (!isPlaywright && !isVitest) {
    console.log(`${file}: not a vitest or Playwright json report → 1 failed`);
    failed += 1;
    continue;
  }
  const c = isPlaywright ? countPlaywright(report) : countVitest(report);
  console.log(`${file}: ${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ''}`);
  passed += c.passed;
  failed += c.failed;
}
for (const step of failedSteps) console.log(`step "${step}" failed → 1 failed`);
failed += failedSteps.length;

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
