/**
 * The one error the crypto layer throws: a precise message naming the argument that was wrong
 * ("AES key must be 16, 24 or 32 bytes, got 15") and a stable code for callers that branch on it.
 * @module
 */
export type CryptoErrorCode =
  | 'bad-key'
  | 'bad-iv'
  | 'bad-tag'
  | 'bad-input'
  | 'bad-padding'
  | 'bad-point'
  | 'bad-signature'
  | 'bad-encoding'
  | 'auth-failed'
  | 'unsupported';

export class CryptoError extends Error {
  constructor(
    readonly code: CryptoErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CryptoError';
  }
}
