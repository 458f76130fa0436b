/**
 * scripts/check-size.mjs: follows the page's and the worker's static imports and the chunks the
 * entry import()s at once (the page's app), sums their gzip sizes, and fails when a budget is
 * exceeded. Chunks import()ed deeper down (on demand) and other pages' chunks are listed apart.
 */
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** A fake dist/: index.html → index.js → shared chunk and an import()ed chunk; a worker; another page's chunk. */
function dist(workerBytes: Buffer | string): string {
  const root = mkdtempSync(join(tmpdir(), 'check-size-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<script type="module" crossorigin src="./assets/index-abc.js"></script>');
  writeFileSync(join(root, 'assets/index-abc.js'), 'import{a as b}from"./shared-1.js";import("./lazy-2.js");new URL("hsm.worker-x.js",import.meta.url);');
  writeFileSync(join(root, 'assets/shared-1.js'), 'export const a=1;const t=()=>import(`./tool-4.js`);');
  writeFileSync(join(root, 'assets/tool-4.js'), 'export const onDemand=1;');
  writeFileSync(join(root, 'assets/lazy-2.js'), 'export const big=1;');
  writeFileSync(join(root, 'assets/hsm.worker-x.js'), workerBytes);
  writeFileSync(join(root, 'assets/embed-3.js'), 'export const other=1;');
  return root;
}
function check(root: string) {
  return spawnSync(process.execPath, ['scripts/check-size.mjs', root], { encoding: 'utf8' });
}

describe('check-size', () => {
  it('counts the page closure (static and import()), the worker, and lists other pages apart, and passes within budget', () => {
    const r = check(dist('export const x = 1;'));
    expect(r.status).toBe(0);
    const pageSection = r.stdout.slice(0, r.stdout.indexOf('HSM worker:'));
    expect(pageSection).toContain('assets/index-abc.js');
    expect(pageSection).toContain('assets/shared-1.js');
    expect(pageSection).toContain('assets/lazy-2.js');
    expect(pageSection).not.toContain('embed-3.js');
    expect(pageSection).not.toContain('tool-4.js');
    expect(r.stdout).toMatch(/other JS \(on demand[^\n]*assets\/tool-4\.js/);
    expect(r.stdout).toMatch(/other JS \(on demand[^\n]*assets\/embed-3\.js/);
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
