/**
 * Run a crypto-layer call on behalf of a request: a {@link CryptoError} (bad IV, wrong tag, a
 * blob that does not open, …) becomes a refusal whose message says what the request did wrong,
 * instead of an 'internal-error'. {@link usingCryptoAsync} does the same for the asynchronous
 * crypto facade (src/crypto/accelerated.ts).
 * @module
 */
import { CryptoError } from '../../crypto/errors.ts';
import { HsmError, type Reason } from '../envelope.ts';

/** Call `fn`; rethrow a CryptoError as `HsmError(reason, "<what>: <crypto message>")`. */
export function usingCrypto<T>(what: string, fn: () => T, reason: Reason = 'bad-request'): T {
  try {
    return fn();
  } catch (error) {
    throw asRefusal(what, error, reason);
  }
}

/** {@link usingCrypto} for an asynchronous call: awaits `fn` and maps its CryptoError the same way. */
export async function usingCryptoAsync<T>(what: string, fn: () => Promise<T>, reason: Reason = 'bad-request'): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw asRefusal(what, error, reason);
  }
}

function asRefusal(what: string, error: unknown, reason: Reason): unknown {
  if (!(error instanceof CryptoError)) return error;
  const code: Reason = error.code === 'auth-failed' ? 'verification-failed' : reason;
  return new HsmError(code, `${what}: ${error.message}`);
}
