#!/usr/bin/env node
/**
 * Bundle-size budget for the built site (run after `vite build`): the JavaScript the page loads
 * (index.html's module scripts and everything they import, statically or with import() — the
 * page imports its app chunk at once, so a dynamic import is no way around the budget) must stay
 * within 60 KB gzip, and the HSM worker (its chunk plus everything it imports) within 150 KB gzip.
 * Prints every file with raw and gzip sizes; exits 1 when a budget is exceeded.
 * @module
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';

const DIST = process.argv[2] ?? 'dist';
const KB = 1024;
const BUDGETS = { page: 60 * KB, worker: 150 * KB };

if (!existsSync(join(DIST, 'index.html'))) {
  console.error(`check-size: ${DIST}/index.html not found; run \`npm run build\` first`);
  process.exit(1);
}

/** Imports (static, re-exports and import()) of a built ES module. Workers are not imports. */
function staticImports(code) {
  const re = /\b(?:import|export)\s*(?:[^"'`();]*?\bfrom\s*|\(\s*)?["'`]([^"'`]+\.js)["'`]/g;
  return [...code.matchAll(re)].map((m) => m[1]).filter((s) => s.startsWith('.') || s.startsWith('/'));
}

/** `file` and every file it imports statically, transitively (paths relative to DIST). */
function closure(entries) {
  const seen = new Set();
  const todo = [...entries];
  while (todo.length) {
    const file = todo.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(join(DIST, file), 'utf8');
    for (const spec of staticImports(code)) {
      const target = spec.startsWith('/') ? spec.slice(1) : posix.normalize(posix.join(posix.dirname(file), spec));
      if (existsSync(join(DIST, target))) todo.push(target);
    }
  }
  return [...seen].sort();
}

function report(label, files, budget) {
  let raw = 0;
  let gz = 0;
  console.log(`${label}:`);
  for (const f of files) {
    const bytes = readFileSync(join(DIST, f));
    const g = gzipSync(bytes, { level: 9 }).length;
    raw += bytes.length;
    gz += g;
    console.log(`  ${f.padEnd(44)} ${(bytes.length / KB).toFixed(1).padStart(8)} KB  ${(g / KB).toFixed(1).padStart(7)} KB gzip`);
  }
  const ok = gz <= budget;
  console.log(`  total ${(raw / KB).toFixed(1)} KB, ${(gz / KB).toFixed(1)} KB gzip (budget ${budget / KB} KB gzip) ${ok ? 'OK' : 'OVER BUDGET'}`);
  return ok;
}

const html = readFileSync(join(DIST, 'index.html'), 'utf8');
const pageEntries = [
  ...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g),
  ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g),
].map((m) => posix.normalize(m[1].replace(/^\.?\//, '')));
if (pageEntries.length === 0) {
  console.error('check-size: no <script type="module" src> in dist/index.html');
  process.exit(1);
}

const assets = readdirSync(join(DIST, 'assets')).map((f) => `assets/${f}`);
const workerEntries = assets.filter((f) => /\/hsm\.worker-[^/]*\.js$/.test(f));
if (workerEntries.length !== 1) {
  console.error(`check-size: expected one assets/hsm.worker-*.js, found ${workerEntries.length}`);
  process.exit(1);
}

const pageFiles = closure(pageEntries);
const workerFiles = closure(workerEntries);
const okPage = report('page JS (entry and everything it imports)', pageFiles, BUDGETS.page);
const okWorker = report('HSM worker', workerFiles, BUDGETS.worker);

// Other pages' chunks (embed, sample docs) and other workers.
const lazy = assets.filter((f) => f.endsWith('.js') && !pageFiles.includes(f) && !workerFiles.includes(f));
if (lazy.length > 0) {
  const gz = lazy.reduce((sum, f) => sum + gzipSync(readFileSync(join(DIST, f)), { level: 9 }).length, 0);
  console.log(`other JS (other pages and workers; no budget): ${lazy.join(', ')}: ${(gz / KB).toFixed(1)} KB gzip`);
}
process.exit(okPage && okWorker ? 0 : 1);
