/**
 * A sandbox of in-process HSMs (no threads) with cheap password hashing, for the sandbox tests.
 * @module
 */
import { inProcessSpawner } from '../../../src/cluster/in-process-spawn.ts';
import { TEST_PASSWORD_COST } from '../../../src/crypto/password.ts';
import { MemoryStorage } from '../../../src/store/memory.ts';
import { Sandbox, type SandboxSettings } from '../../../src/ui/sandbox/sandbox.ts';

export function testSandbox(settings: SandboxSettings = { hsms: 2, model: 'hsm2m.medium', seed: 'unit' }): Promise<Sandbox> {
  return Sandbox.create({ spawn: inProcessSpawner(() => new MemoryStorage()), passwordCost: TEST_PASSWORD_COST }, settings);
}

export const ACTIVATE_AND_CU: readonly { session: string; line: string }[] = [
  { session: 'admin', line: 'cluster activate --password admin-pass-1' },
  { session: 'admin', line: 'login --username admin --role admin --password admin-pass-1' },
  { session: 'admin', line: 'user create --username alice --role crypto-user --password alice-pass-1' },
  { session: 'alice', line: 'login --username alice --role crypto-user --password alice-pass-1' },
  { session: 'alice', line: 'key generate-symmetric aes --label k1 --key-length-bytes 16' },
];
