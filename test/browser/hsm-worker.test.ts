/**
 * The HSM worker as the page starts it (a module worker, through comlink) runs the crypto
 * self-test in Chromium: every check passes, digests and HMAC run on hash-wasm's WebAssembly
 * inside the worker, and the seeded check proves the worker reproduces Node's bytes.
 */
import { releaseProxy, wrap, type Remote } from 'comlink';
import { afterAll, describe, expect, it } from 'vitest';
import type { HsmWorkerApi } from '../../workers/hsm.worker.ts';
import { SEEDED_TRANSCRIPT } from '../../src/crypto/self-test.ts';

const worker = new Worker(new URL('../../workers/hsm.worker.ts', import.meta.url), { type: 'module' });
const hsm: Remote<HsmWorkerApi> = wrap(worker);
/** Rejects if the worker script fails to load, so a broken worker fails fast instead of timing out. */
const workerFailed = new Promise<never>((_, reject) => {
  worker.addEventListener('error', (e) => reject(new Error(`the HSM worker failed to load: ${e.message || 'error event'}`)));
});

afterAll(() => {
  hsm[releaseProxy]();
  worker.terminate();
});

describe('HSM worker self-test in Chromium', () => {
  it('passes every check, with WebAssembly serving digests, HMAC and argon2id', async () => {
    const results = await Promise.race([hsm.selfTest(), workerFailed]);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results.length).toBeGreaterThanOrEqual(21);
    const engineOf = (prefix: string) => results.find((r) => r.name.startsWith(prefix))?.engine;
    expect(engineOf('SHA-256')).toBe('hash-wasm');
    expect(engineOf('HMAC-SHA256')).toBe('hash-wasm');
    expect(engineOf('Password hash')).toBe('hash-wasm');
    expect(results.find((r) => r.name.startsWith('Seeded keys'))?.output).toBe(SEEDED_TRANSCRIPT.sha256);
  });
});
