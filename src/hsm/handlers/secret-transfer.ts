/**
 * Handlers that move a secret key across the HSM boundary in clear, for KMU `exSymKey` and
 * `imSymKey` (spec §9): `key.export-secret` answers the raw bytes of an AES or generic-secret key —
 * the one explicit export of an extractable key, so only its owner may ask, only when the key is
 * extractable, not bound to trusted wrapping and not under a key quorum — and `key.import-secret`
 * creates a secret key from raw bytes (`local` false, like an unwrapped key).
 * @module
 */
import type { Handlers } from '../context.ts';
import { HsmError } from '../envelope.ts';
import type { KeyRecord } from '../state.ts';
import { requireNoQuorum, requireOwner } from '../keys/access.ts';
import { optionalAttributes, rawArgs, requireBytes, requireFilter, requireOneOf, requireString } from '../keys/arguments.ts';
import { parseCreationAttributes } from '../keys/attributes.ts';
import { callerName, checkKeyLimits, insertKeys } from '../keys/creation.ts';
import { findOneKey } from '../keys/filter.ts';
import { formatKeyReference, keyToJson } from '../keys/key-json.ts';
import { checkSecretLength, describeKey, loadKey } from '../keys/material.ts';
import { checkLabel, creationChoices, draft } from './keys.ts';

const SECRET_KEY_TYPES = ['aes', 'generic-secret'] as const;

export const secretTransferHandlers = {
  'key.export-secret': (ctx, a) => {
    const key = findOneKey(ctx, requireFilter(rawArgs(a)['filter'], 'filter'));
    const ref = formatKeyReference(key.handle);
    requireOwner(key, callerName(ctx), 'export it');
    if (key.attributes.class !== 'secret-key') {
      throw new HsmError(
        'key-not-permitted',
        `Key ${ref} is a ${String(key.attributes.class)}: only secret keys can be exported in clear (wrap a private key, export a public key as PEM)`,
      );
    }
    if (key.attributes.extractable !== true) throw new HsmError('not-extractable', `Key is not extractable: key ${ref}`);
    if (key.attributes['wrap-with-trusted'] === true) {
      throw new HsmError('key-not-permitted', `Key ${ref} has wrap-with-trusted=true: it may only leave the HSM wrapped by a trusted key`);
    }
    requireNoQuorum(key, 'key-management');
    const parsed = loadKey(key);
    if (parsed.kind !== 'secret') throw new HsmError('internal-error', `Key ${ref} has secret-key class but no secret material`);
    return {
      'key-reference': ref,
      'key-type': parsed.keyType,
      'key-length-bytes': parsed.bytes.length,
      'key-material': parsed.bytes.slice(),
    };
  },

  'key.import-secret': (ctx, a) => {
    const args = rawArgs(a);
    const keyType = requireOneOf(args['keyType'], 'keyType', SECRET_KEY_TYPES);
    const label = checkLabel(requireString(args['label'], 'label'));
    const material = requireBytes(args['material'], 'material');
    checkSecretLength(keyType, material.length);
    const chosen = parseCreationAttributes(optionalAttributes(args['attributes'], 'attributes'), 'secret-key', keyType);
    const choices = creationChoices(ctx, args);
    checkKeyLimits(ctx, 1, 0);
    const facts = describeKey({ kind: 'secret', keyType, bytes: material.slice() });
    const [key] = insertKeys(ctx, [draft(ctx, facts, label, chosen, choices, false)]);
    return { key: keyToJson(key as KeyRecord) };
  },
} satisfies Partial<Handlers>;
