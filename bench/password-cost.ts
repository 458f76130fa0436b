/**
 * How long one password hash takes at the costs in src/crypto/password.ts (argon2id, hash-wasm),
 * next to PBKDF2-SHA256 at OWASP's 600,000 iterations in noble and node:crypto for comparison.
 * Run: `npx tsx bench/password-cost.ts`. Median of several runs; the first (cold) call is shown
 * separately because it includes compiling the WebAssembly module.
 * @module
 */
import { pbkdf2 } from '@noble/hashes/pbkdf2.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { pbkdf2Sync } from 'node:crypto';
import { DEFAULT_PASSWORD_COST, TEST_PASSWORD_COST, hashPassword, verifyPassword, type PasswordCost } from '../src/crypto/password.ts';
import { seededRandom } from '../src/crypto/random.ts';

async function medianMs(run: () => unknown, times: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(times / 2)]!;
}

const random = seededRandom('password-cost bench');
const coldStart = performance.now();
await hashPassword('correct horse battery', random, TEST_PASSWORD_COST);
console.log(`first call (WebAssembly compile + TEST cost): ${(performance.now() - coldStart).toFixed(1)} ms`);

const costs: [string, PasswordCost][] = [
  ['TEST_PASSWORD_COST', TEST_PASSWORD_COST],
  ['DEFAULT_PASSWORD_COST', DEFAULT_PASSWORD_COST],
];
for (const [name, cost] of costs) {
  const stored = await hashPassword('correct horse battery', random, cost);
  const ms = await medianMs(() => verifyPassword('correct horse battery', stored), 7);
  console.log(`argon2id ${name} ${JSON.stringify(cost)}: one login (verify) ${ms.toFixed(2)} ms`);
}
const salt = random.bytes(16);
console.log(`pbkdf2-sha256 600000 noble: ${(await medianMs(() => pbkdf2(sha256, 'correct horse battery', salt, { c: 600000, dkLen: 32 }), 3)).toFixed(0)} ms`);
console.log(`pbkdf2-sha256 600000 node:crypto: ${(await medianMs(() => pbkdf2Sync('correct horse battery', salt, 600000, 32, 'sha256'), 3)).toFixed(0)} ms`);
