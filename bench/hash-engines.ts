/**
 * Quick measurement behind the engine choice in src/crypto/engines.ts: SHA-256/512 digests and
 * HMAC-SHA256 at several sizes through each engine (noble, hash-wasm), ratio to noble measured in
 * the same run. Run: `npx tsx bench/hash-engines.ts`. Not a test: numbers swing ~1.6x on this VM.
 * @module
 */
import { initEngines, type EngineName } from '../src/crypto/engines.ts';
import { digestWith, type HashName } from '../src/crypto/hash.ts';
import { hmacWith } from '../src/crypto/hmac.ts';

const ENGINES: readonly EngineName[] = ['noble', 'hash-wasm'];
const SIZES = [32, 1024, 65536, 1048576] as const;

function opsPerSecond(run: () => unknown, budgetMs = 300): number {
  for (let i = 0; i < 20; i++) run();
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < budgetMs) {
    run();
    ops++;
    elapsed = performance.now() - start;
  }
  return (ops * 1000) / elapsed;
}

function label(bytes: number): string {
  return bytes >= 1048576 ? `${bytes / 1048576} MiB` : bytes >= 1024 ? `${bytes / 1024} KiB` : `${bytes} B`;
}

await initEngines();
const key = new Uint8Array(32).fill(0x0b);
const rows: string[] = [];
const cases: [string, (engine: EngineName, data: Uint8Array) => unknown][] = [
  ...(['sha256', 'sha512', 'sha1'] as HashName[]).map((h): [string, (e: EngineName, d: Uint8Array) => unknown] => [h, (e, d) => digestWith(e, h, d)]),
  ['hmac-sha256', (e, d) => hmacWith(e, 'sha256', key, d)],
  ['hmac-sha512', (e, d) => hmacWith(e, 'sha512', key, d)],
];
for (const [name, run] of cases) {
  for (const size of SIZES) {
    const data = new Uint8Array(size).fill(0xa5);
    const results = ENGINES.map((engine) => ({ engine, ops: opsPerSecond(() => run(engine, data), size >= 65536 ? 500 : 300) }));
    const noble = results[0]!.ops;
    for (const r of results) {
      rows.push(`${name.padEnd(12)} ${label(size).padStart(7)}  ${r.engine.padEnd(9)} ${r.ops.toFixed(0).padStart(9)} ops/s  ${(r.ops / noble).toFixed(2)}x noble`);
    }
  }
}
console.log(rows.join('\n'));
