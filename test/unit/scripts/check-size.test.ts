/**
 * scripts/check-size.mjs: follows the page's and the worker's static imports (not dynamic
 * ones), sums their gzip sizes, and fails when a budget is exceeded.
 */
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** A fake dist/: index.html → index.js → shared chunk; a worker; a lazily imported chunk. */
function dist(workerBytes: Buffer | string): string {
  const root = mkdtempSync(join(tmpdir(), 'check-size-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<script type="module" crossorigin src="./assets/index-abc.js"></script>');
  writeFileSync(join(root, 'assets/index-abc.js'), 'import{a as b}from"./shared-1.js";import("./lazy-2.js");new URL("hsm.worker-x.js",import.meta.url);');
  writeFileSync(join(root, 'assets/shared-1.js'), 'export const a=1;');
  writeFileSync(join(root, 'assets/lazy-2.js'), 'export const big=1;');
  writeFileSync(join(root, 'assets/hsm.worker-x.js'), workerBytes);
  return root;
}
function check(root: string) {
  return spawnSync(process.execPath, ['scripts/check-size.mjs', root], { encoding: 'utf8' });
}

describe('check-size', () => {
  it('lists the page closure (static imports only), the worker, and lazy chunks apart, and passes within budget', () => {
    const r = check(dist('export const x = 1;'));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('assets/index-abc.js');
    expect(r.stdout).toContain('assets/shared-1.js');
    const pageSection = r.stdout.slice(0, r.stdout.indexOf('HSM worker:'));
    expect(pageSection).not.toContain('lazy-2.js');
    expect(r.stdout).toMatch(/other JS \(dynamic imports[^\n]*assets\/lazy-2\.js/);
    expect(r.stdout).toContain('assets/hsm.worker-x.js');
    expect(r.stdout).not.toContain('OVER BUDGET');
  });

  it('fails when the worker is over 150 KB gzip (incompressible bytes)', () => {
    const r = check(dist(randomBytes(160 * 1024).toString('base64')));
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/HSM worker:[\s\S]*OVER BUDGET/);
  });

  it('says to build first when there is no dist', () => {
    const r = check(join(tmpdir(), 'no-such-dist'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('run `npm run build` first');
  });
});
