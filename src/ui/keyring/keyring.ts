/**
 * A person's keyring for one page session: the RSA-2048 key pair a quorum approver or an MFA user
 * keeps on their own machine (spec §6.1, §7.1). It makes the pair with the crypto layer — from a
 * seeded stream when the page is seeded, so shared links with approvals replay — shows the public
 * key as PEM to register, and signs token files with the rule of src/hsm/quorum/signature.ts:
 * an operation token gets the holder's approval appended; a registration or MFA token file gets
 * every `unsigned` entry signed. No DOM here (see ./keyring-view.ts).
 * @module
 */
import { rsaPublicKeyToSpki, toPem } from '../../crypto/keys-encoding.ts';
import { seededRandom, systemRandom, type RandomSource } from '../../crypto/random.ts';
import { rsaGenerateKeyPair, type RsaPrivateKey } from '../../crypto/rsa.ts';
import { REGISTERED_KEY_BITS, signToken } from '../../hsm/quorum/signature.ts';
import { approveOperationTokenFile, signTokenListFile, tokenFileKind } from '../../hsm/quorum/token-format.ts';

/** What signing a token file did, for the status line. */
export interface SignedFile {
  readonly bytes: Uint8Array;
  /** `approval` (appended to an operation token) or `tokens` (every unsigned entry signed). */
  readonly kind: 'approval' | 'tokens';
}

export class Keyring {
  readonly #random: RandomSource;
  #key: RsaPrivateKey | undefined;

  /** `seed`: the page's seed plus something naming the session, for a reproducible key. */
  constructor(seed?: string) {
    this.#random = seed ? seededRandom(`hsm-playground keyring/${seed}`) : systemRandom();
  }

  get hasKey(): boolean {
    return this.#key !== undefined;
  }

  /** Make (or replace) the key pair; returns the public key PEM. */
  generate(): string {
    this.#key = rsaGenerateKeyPair(REGISTERED_KEY_BITS, 65537n, this.#random);
    return this.publicKeyPem();
  }

  /** The public key as a SubjectPublicKeyInfo PEM (what `--public-key` and the MFA prompt read). */
  publicKeyPem(): string {
    return toPem('PUBLIC KEY', rsaPublicKeyToSpki(this.#need()));
  }

  /** Sign a 32-byte token or challenge (RSASSA-PKCS1-v1_5 over DigestInfo(SHA-256, token)). */
  sign(token: Uint8Array): Uint8Array {
    return signToken(this.#need(), token);
  }

  /**
   * Sign a token file: an operation token gets `username`'s approval (replacing an earlier one by
   * the same user); a registration or MFA file gets every entry signed.
   */
  async signFile(bytes: Uint8Array, path: string, username: string): Promise<SignedFile> {
    const key = this.#need();
    const sign = (token: Uint8Array) => signToken(key, token);
    if (tokenFileKind(bytes, path) === 'operation') {
      if (!username) throw new Error('Log in first: an approval carries the approver\'s username');
      return { bytes: await approveOperationTokenFile(bytes, path, username, sign), kind: 'approval' };
    }
    return { bytes: signTokenListFile(bytes, path, sign), kind: 'tokens' };
  }

  #need(): RsaPrivateKey {
    if (!this.#key) throw new Error('The keyring has no key yet: make a key pair first');
    return this.#key;
  }
}
