/**
 * HSM backups (spec §1.3): the whole state — users, token keys, settings, cluster id and key —
 * encrypted inside the HSM with a fresh ephemeral backup key (EBK, AES-256-GCM), the EBK wrapped
 * by a persistent backup key (PBK) derived with the SP 800-108 counter-mode KDF from a built-in
 * "manufacturer" secret and an "AWS" secret. The page (playing the control plane) can store a
 * backup but not read it; any simulated HSM can restore it.
 *
 * Simulator note: the two secrets are constants in this source file, so the protection is against
 * the page, not against someone reading the code — a real HSM keeps the manufacturer key in silicon.
 *
 * Layout: "HSMB" ‖ version (1 byte) ‖ iv₁ (12) ‖ GCM_PBK(EBK) (48) ‖ iv₂ (12) ‖ GCM_EBK(state) (≥16);
 * each GCM authenticates every byte before its own ciphertext as AAD.
 * @module
 */
import { aesGcmDecrypt, aesGcmEncrypt } from '../crypto/aes.ts';
import { concatBytes, fromHex, utf8 } from '../crypto/bytes.ts';
import { kdfCounterHmacSha256 } from '../crypto/kdf.ts';
import type { RandomSource } from '../crypto/random.ts';
import { HsmError } from './envelope.ts';
import { decodeState, encodeState } from './serialize.ts';
import type { HsmState } from './state.ts';

export const BACKUP_MAGIC = utf8('HSMB');
export const BACKUP_VERSION = 1;
const IV = 12;
const WRAPPED_EBK = 32 + 16;
const HEADER = BACKUP_MAGIC.length + 1;
const STATE_START = HEADER + IV + WRAPPED_EBK + IV;

/** The simulated manufacturer key every HSM is "born" with (see the module comment). */
const MANUFACTURER_KEY = fromHex('6d616e7566616374757265722d6b65792d68736d2d706c617967726f756e6421');
const AWS_KEY_CONTEXT = utf8('aws-cloudhsm-simulated-service-key');

function persistentBackupKey(): Uint8Array {
  return kdfCounterHmacSha256(MANUFACTURER_KEY, utf8('hsm-playground persistent backup key v1'), AWS_KEY_CONTEXT, 32);
}

/** Encrypt the state for a backup. Audit log and session keys stay behind (they are per HSM). */
export function sealBackup(state: HsmState, random: RandomSource): Uint8Array {
  const portable: HsmState = { ...state, audit: [], keys: state.keys.filter((k) => k.sessionId === undefined) };
  const header = concatBytes(BACKUP_MAGIC, Uint8Array.of(BACKUP_VERSION));
  const ebk = random.bytes(32);
  const iv1 = random.bytes(IV);
  const wrapped = aesGcmEncrypt(persistentBackupKey(), iv1, ebk, header);
  const iv2 = random.bytes(IV);
  const aad = concatBytes(header, iv1, wrapped, iv2);
  const sealed = aesGcmEncrypt(ebk, iv2, encodeState(portable), aad);
  ebk.fill(0);
  return concatBytes(aad, sealed);
}

function bad(message: string): never {
  throw new HsmError('bad-backup', message);
}

/** Decrypt and check a backup; throws HsmError('bad-backup', …) for anything not made by {@link sealBackup}. */
export function openBackup(backup: Uint8Array): HsmState {
  if (!(backup instanceof Uint8Array)) bad('backup must be bytes (a Uint8Array)');
  if (backup.length < STATE_START + 16) bad(`Backup is truncated: ${backup.length} bytes, at least ${STATE_START + 16} expected`);
  for (let i = 0; i < BACKUP_MAGIC.length; i++) if (backup[i] !== BACKUP_MAGIC[i]) bad('Not an HSM backup: it does not start with "HSMB"');
  if (backup[4] !== BACKUP_VERSION) bad(`Backup format version ${backup[4]} is not supported (expected ${BACKUP_VERSION})`);
  const header = backup.subarray(0, HEADER);
  const iv1 = backup.subarray(HEADER, HEADER + IV);
  const wrapped = backup.subarray(HEADER + IV, HEADER + IV + WRAPPED_EBK);
  let ebk: Uint8Array;
  let plain: Uint8Array;
  try {
    ebk = aesGcmDecrypt(persistentBackupKey(), iv1, wrapped, header);
    const iv2 = backup.subarray(STATE_START - IV, STATE_START);
    plain = aesGcmDecrypt(ebk, iv2, backup.subarray(STATE_START), backup.subarray(0, STATE_START));
    ebk.fill(0);
  } catch {
    bad('Backup failed authentication: it was changed or corrupted, or was not made by a simulated HSM');
  }
  try {
    return decodeState(plain);
  } catch (e) {
    bad(`Backup content is invalid: ${(e as Error).message}`);
  }
}
