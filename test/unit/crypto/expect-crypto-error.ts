/**
 * Test helpers shared by the crypto tests for "this call must be refused": each runs a function,
 * fails the test if it returns, and checks that what it threw is a {@link CryptoError}.
 * @module
 */
import { expect } from 'vitest';
import { CryptoError } from '../../../src/crypto/errors.ts';

/** Run `fn`, expecting a CryptoError; returns its code for the caller to assert on. */
export function cryptoErrorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CryptoError);
    return (error as CryptoError).code;
  }
  throw new Error('expected a CryptoError, but the call succeeded');
}

/** Run `fn`, expecting a CryptoError with exactly this code and a message matching `message`. */
export function expectCryptoError(fn: () => unknown, code: string, message: RegExp): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CryptoError);
    expect((error as CryptoError).code).toBe(code);
    expect((error as CryptoError).message).toMatch(message);
    return;
  }
  throw new Error('expected a CryptoError, but the call succeeded');
}
