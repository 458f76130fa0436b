/**
 * Run a crypto-layer call on behalf of a request: a {@link CryptoError} (bad IV, wrong tag, a
 * blob that does not open, …) becomes a refusal whose message says what the request did wrong,
 * instead of an 'internal-error'.
 * @module
 */
import { CryptoError } from '../../crypto/errors.ts';
import { HsmError, type Reason } from '../envelope.ts';

/** Call `fn`; rethrow a CryptoError as `HsmError(reason, "<what>: <crypto message>")`. */
export function usingCrypto<T>(what: string, fn: () => T, reason: Reason = 'bad-request'): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof CryptoError) {
      const code: Reason = error.code === 'auth-failed' ? 'verification-failed' : reason;
      throw new HsmError(code, `${what}: ${error.message}`);
    }
    throw error;
  }
}
