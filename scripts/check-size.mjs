#!/usr/bin/env node
/**
 * Bundle-size budget for the built site (run after `vite build`): the JavaScript the page loads at
 * start (index.html's module scripts, the chunks they import() right away, and everything those
 * import statically) must stay within 60 KB gzip, and the HSM worker (its chunk plus its imports)
 * within 150 KB gzip. Chunks loaded on demand deeper down are listed apart, with their size.
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

/** Static imports and re-exports of a built ES module. */
function staticImports(code) {
  return relative(code, /\b(?:import|export)\s*(?:[^"'`();]*?\bfrom\s*)?["'`]([^"'`]+\.js)["'`]/g);
}

/** import("…") of a built ES module (Vite writes the name in backquotes). */
function dynamicImports(code) {
  return relative(code, /\bimport\(\s*["'`]([^"'`]+\.js)["'`]/g);
}

function relative(code, re) {
  return [...code.matchAll(re)].map((m) => m[1]).filter((s) => s.startsWith('.') || s.startsWith('/'));
}

function resolve(from, spec) {
  return spec.startsWith('/') ? spec.slice(1) : posix.normalize(posix.join(posix.dirname(from), spec));
}

/**
 * The files loaded when `entries` start: their static imports, transitively, plus the chunks the
 * entries themselves import() — a page entry that imports its app at once does so to paint first,
 * not to load less. import() deeper down (a tool loaded when the user picks it) is on demand.
 */
function closure(entries) {
  const seen = new Set();
  const todo = [...entries];
  for (const entry of entries) {
    const code = readFileSync(join(DIST, entry), 'utf8');
    for (const spec of dynamicImports(code)) todo.push(resolve(entry, spec));
  }
  while (todo.length) {
    const file = todo.pop();
    if (seen.has(file) || !existsSync(join(DIST, file))) continue;
    seen.add(file);
    for (const spec of staticImports(readFileSync(join(DIST, file), 'utf8'))) todo.push(resolve(file, spec));
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
const okPage = report('page JS at start', pageFiles, BUDGETS.page);
const okWorker = report('HSM worker', workerFiles, BUDGETS.worker);

// On-demand chunks, other pages' chunks (embed, sample docs) and other workers.
const lazy = assets.filter((f) => f.endsWith('.js') && !pageFiles.includes(f) && !workerFiles.includes(f));
if (lazy.length > 0) {
  const gz = lazy.reduce((sum, f) => sum + gzipSync(readFileSync(join(DIST, f)), { level: 9 }).length, 0);
  console.log(`other JS (on demand, other pages and workers; no budget): ${lazy.join(', ')}: ${(gz / KB).toFixed(1)} KB gzip`);
}
process.exit(okPage && okWorker ? 0 : 1);
