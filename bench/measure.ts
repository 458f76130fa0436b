/**
 * Benchmark mechanics shared by the Node and the browser benchmark: time one case for a fixed
 * budget after a warm-up, and print the results as a table with each engine's ratio to noble
 * measured in the same run. Absolute ops/s swing by ~1.6x on this VM (perf-baseline.md);
 * compare ratios, not single numbers.
 * @module
 */

/** One thing to time: a primitive at one input size through one engine. */
export interface BenchCase {
  /** e.g. "SHA-256", "ECDSA P-256 sign". */
  primitive: string;
  /** Input size label ("64 B", "1 KiB", "64 KiB") or "-" when the size is fixed by the primitive. */
  size: string;
  /** "noble", "hash-wasm", "webcrypto", "node:crypto", or "src/crypto → <engine>" for our own API. */
  engine: string;
  /** True for the reference engine the ratio column divides by. */
  baseline?: boolean;
  /** One operation; returning a promise makes the case awaited one call at a time. */
  run: () => unknown;
}

export interface BenchResult {
  primitive: string;
  size: string;
  engine: string;
  opsPerSecond: number;
  /** ops/s divided by the baseline's ops/s for the same primitive and size (1 for the baseline). */
  ratioToBaseline: number | undefined;
}

const now = (): number => performance.now();

/** Operations per second of `run`, timed for about `budgetMs` after a short warm-up. */
export async function measure(run: () => unknown, budgetMs = 400): Promise<number> {
  const first = run();
  const isAsync = first instanceof Promise;
  if (isAsync) await first;
  const once = isAsync ? async () => { await run(); } : undefined;
  // Warm-up: JIT, precomputed tables, WebAssembly tiers.
  const warmUntil = now() + Math.min(50, budgetMs / 4);
  while (now() < warmUntil) if (once) await once(); else run();
  let ops = 0;
  let batch = 1;
  const start = now();
  let elapsed = 0;
  while (elapsed < budgetMs) {
    if (once) for (let i = 0; i < batch; i++) await once();
    else for (let i = 0; i < batch; i++) run();
    ops += batch;
    elapsed = now() - start;
    if (elapsed < budgetMs / 8) batch *= 2;
  }
  return (ops * 1000) / elapsed;
}

/**
 * Time every case. The cases of one primitive and size are timed in interleaved rounds
 * (A B C, A B C, …) and each keeps its best round, so a burst of foreign load hits every engine
 * of the group alike instead of skewing one ratio.
 */
export async function runCases(
  cases: readonly BenchCase[],
  budgetMs = 400,
  onResult?: (r: BenchResult) => void,
  rounds = 3,
): Promise<BenchResult[]> {
  const groups = new Map<string, BenchCase[]>();
  for (const c of cases) {
    const key = `${c.primitive}|${c.size}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const results: BenchResult[] = [];
  for (const group of groups.values()) {
    const best = new Array<number>(group.length).fill(0);
    for (let round = 0; round < rounds; round++) {
      for (const [i, c] of group.entries()) best[i] = Math.max(best[i]!, await measure(c.run, budgetMs / rounds));
    }
    const baselineAt = group.findIndex((c) => c.baseline);
    const base = baselineAt >= 0 ? best[baselineAt] : undefined;
    for (const [i, c] of group.entries()) {
      const opsPerSecond = best[i]!;
      const r: BenchResult = { primitive: c.primitive, size: c.size, engine: c.engine, opsPerSecond, ratioToBaseline: base ? opsPerSecond / base : undefined };
      results.push(r);
      onResult?.(r);
    }
  }
  return results;
}

function formatOps(ops: number): string {
  if (ops >= 100_000) return `${(ops / 1000).toFixed(0)}k`;
  if (ops >= 10_000) return `${(ops / 1000).toFixed(1)}k`;
  return ops.toFixed(ops >= 100 ? 0 : 1);
}

/**
 * A plain-text table: primitive, size, engine, ops/s, ratio to noble, and a marker on the engine
 * that src/crypto currently chooses for that primitive (`chosen` maps primitive → engine name).
 */
export function formatTable(results: readonly BenchResult[], chosen: (primitive: string) => string): string {
  const header = ['primitive', 'size', 'engine', 'ops/s', 'x noble', 'chosen'];
  const rows = results.map((r) => [
    r.primitive,
    r.size,
    r.engine,
    formatOps(r.opsPerSecond),
    r.ratioToBaseline === undefined ? '-' : `${r.ratioToBaseline.toFixed(2)}x`,
    r.engine === chosen(r.primitive) ? '<= chosen' : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 3 || i === 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
