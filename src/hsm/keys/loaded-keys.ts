/**
 * One parsed key per stored key material: {@link loadKeyOnce} parses a record's bytes the first
 * time and returns the same {@link ParsedKey} object afterwards, for as long as the record's
 * material object lives. The crypto handlers use it so the WebCrypto engine's CryptoKey cache
 * (keyed by key object, src/crypto/webcrypto.ts) imports each HSM key once, and RSA keys are not
 * re-parsed from PKCS#8 on every signature. Material is never mutated in place (a key change
 * stores new bytes), so a cached parse cannot go stale; a rollback restores new objects.
 * @module
 */
import type { KeyRecord } from '../state.ts';
import { loadKey, type ParsedKey } from './material.ts';

const parsedByMaterial = new WeakMap<Uint8Array, ParsedKey>();

/** {@link loadKey}, memoised on the record's material object. */
export function loadKeyOnce(record: KeyRecord): ParsedKey {
  const cached = parsedByMaterial.get(record.material);
  if (cached !== undefined) return cached;
  const parsed = loadKey(record);
  parsedByMaterial.set(record.material, parsed);
  return parsed;
}
