/**
 * The keyring's own worker — the page's stand-in for a person's machine: the private key is made
 * and used here and never reaches the page. It also keeps RSA key generation off the page's main
 * thread and the RSA code out of the page's own bundle. Exposes {@link KeyringWorkerApi} over
 * comlink.
 * @module
 */
import { expose } from 'comlink';
import { Keyring, type SignedFile } from './keyring.ts';

let keyring: Keyring | undefined;

function ring(): Keyring {
  if (!keyring) throw new Error('The keyring worker was not started (init first)');
  return keyring;
}

const api = {
  /** Start with a seed (reproducible key) or with system randomness. */
  init(seed?: string): void {
    keyring = new Keyring(seed);
  },
  generate(): string {
    return ring().generate();
  },
  signFile(bytes: Uint8Array, path: string, username: string): Promise<SignedFile> {
    return ring().signFile(bytes, path, username);
  },
};

export type KeyringWorkerApi = typeof api;

expose(api);
