/**
 * Handlers of the key-management operations of one HSM (spec §4.5, §4.6, §5): generate, import,
 * export, list, delete, share, unshare, set attributes, mark trusted, wrap and unwrap. Each one
 * validates everything first — arguments, filters, ownership, attributes, quorum, limits — and
 * only then changes the state, so a refused request leaves the HSM as it was.
 * @module
 */
import { toBase64, toHex } from '../../crypto/bytes.ts';
import { curveFromName } from '../../crypto/ecdsa.ts';
import { fromPem, toPem } from '../../crypto/keys-encoding.ts';
import { rsaGenerateKeyPair } from '../../crypto/rsa.ts';
import { ecGenerateKeyPair } from '../../crypto/ecdsa.ts';
import type { Handlers, RequestContext } from '../context.ts';
import { HsmError } from '../envelope.ts';
import type { WrapMechanism } from '../requests.ts';
import type { KeyRecord } from '../state.ts';
import { requireAttribute, requireNoQuorum, requireOwner } from '../keys/access.ts';
import {
  optionalAttributes,
  optionalBoolean,
  optionalBytes,
  optionalFilter,
  optionalHash,
  optionalInteger,
  optionalString,
  optionalStringList,
  requireBytes,
  requireFilter,
  requireInteger,
  requireOneOf,
  requireString,
  rawArgs,
  type RawArgs,
} from '../keys/arguments.ts';
import {
  buildAttributes,
  checkAttributeChange,
  checkTrustedChange,
  isTokenKey,
  MAX_LABEL_LENGTH,
  parseCreationAttributes,
  type AttributeName,
  type KeyClass,
  type KeyType,
} from '../keys/attributes.ts';
import { callerName, checkKeyLimits, checkQuorumValues, checkShareTargets, insertKeys, type KeyDraft } from '../keys/creation.ts';
import { usingCrypto } from '../keys/crypto-call.ts';
import { findKeys, findOneKey } from '../keys/filter.ts';
import { formatKeyReference, keyToJson } from '../keys/key-json.ts';
import {
  checkSecretLength,
  describeKey,
  loadKey,
  parsePublicKey,
  parseUnwrapped,
  publicKeySpki,
  wrapPayload,
  type MaterialFacts,
  type ParsedKey,
} from '../keys/material.ts';
import { isAesMechanism, unwrapBytes, WRAP_MECHANISMS, wrapBytes, type WrappingKey } from '../keys/wrap.ts';

type Args = RawArgs;
type Chosen = Partial<Record<AttributeName, string | boolean>>;

/** RSA moduli this HSM generates (spec §4.5: at least 2048; the crypto layer stops at 4096). */
export const RSA_MIN_MODULUS_BITS = 2048;
export const RSA_MAX_MODULUS_BITS = 4096;
/** Smallest public exponent accepted (spec §4.5: odd, ≥ 65537); we also cap it at 256 bits. */
const MIN_PUBLIC_EXPONENT = 65537n;
const MAX_PUBLIC_EXPONENT_BITS = 256;

/** Sharing, quorum and session choices common to every command that creates a key. */
export interface CreationChoices {
  readonly owner: string;
  readonly session: boolean | undefined;
  readonly shared: readonly string[];
  readonly manageKeyQuorumValue: number;
  readonly useKeyQuorumValue: number;
}

export function creationChoices(ctx: RequestContext, args: Args): CreationChoices {
  const owner = callerName(ctx);
  const session = optionalBoolean(args['session'], 'session');
  const shared = checkShareTargets(ctx, owner, optionalStringList(args['shareCryptoUsers'], 'shareCryptoUsers'));
  const quorum = checkQuorumValues(
    optionalInteger(args['manageKeyQuorumValue'], 'manageKeyQuorumValue'),
    optionalInteger(args['useKeyQuorumValue'], 'useKeyQuorumValue'),
    shared.length,
  );
  return { owner, session, shared, ...quorum };
}

export function checkLabel(label: string): string {
  if (label.length > MAX_LABEL_LENGTH) {
    throw new HsmError('bad-request', `Invalid label: at most ${MAX_LABEL_LENGTH} characters, got ${label.length}`);
  }
  return label;
}

/** A validated key ready for insertion. Public keys never carry shares or quorum values. */
export function draft(
  ctx: RequestContext,
  facts: MaterialFacts,
  label: string,
  chosen: Chosen,
  choices: CreationChoices,
  local: boolean,
): KeyDraft {
  const token = isTokenKey(choices.session, chosen);
  const isPublic = facts.keyClass === 'public-key';
  const attributes = buildAttributes({ ...facts, label, local }, chosen, { token });
  const base = {
    owner: choices.owner,
    shared: isPublic ? [] : choices.shared,
    manageKeyQuorumValue: isPublic ? 0 : choices.manageKeyQuorumValue,
    useKeyQuorumValue: isPublic ? 0 : choices.useKeyQuorumValue,
    attributes,
    material: facts.material,
  };
  return token ? base : { ...base, sessionId: ctx.session?.id ?? '' };
}

function parsePublicExponent(text: string | undefined): bigint {
  const raw = text ?? '65537';
  const valid = /^0x[0-9a-f]+$/i.test(raw) || /^[0-9]+$/.test(raw);
  const e = valid ? BigInt(raw) : -1n;
  if (e < MIN_PUBLIC_EXPONENT || e % 2n === 0n || e.toString(2).length > MAX_PUBLIC_EXPONENT_BITS) {
    throw new HsmError('bad-request', `Invalid public exponent "${raw}": it must be odd and at least 65537`);
  }
  return e;
}

function checkModulusBits(bits: number): number {
  if (bits < RSA_MIN_MODULUS_BITS || bits > RSA_MAX_MODULUS_BITS || bits % 8 !== 0) {
    throw new HsmError(
      'bad-request',
      `Invalid modulus size ${bits}: RSA keys are ${RSA_MIN_MODULUS_BITS} to ${RSA_MAX_MODULUS_BITS} bits, a multiple of 8`,
    );
  }
  return bits;
}

/** Single-key selection that also requires the caller to own the key. */
function ownedKey(ctx: RequestContext, filter: unknown, name: string, action: string): KeyRecord {
  const key = findOneKey(ctx, requireFilter(filter, name));
  requireOwner(key, callerName(ctx), action);
  return key;
}

/** The target of `key share` / `key unshare`: role must be crypto-user and the user must exist as one. */
function shareTarget(ctx: RequestContext, args: Args, key: KeyRecord): string {
  const username = requireString(args['username'], 'username');
  const role = requireOneOf(args['role'], 'role', ['admin', 'crypto-user', 'appliance'] as const);
  if (role !== 'crypto-user') throw new HsmError('bad-request', 'Keys can only be shared with crypto users (--role crypto-user)');
  const [name] = checkShareTargets(ctx, key.owner, [username]);
  return name as string;
}

function keyClassForUnwrap(keyTypeClass: string): { keyClass: KeyClass; keyType: KeyType } {
  switch (keyTypeClass) {
    case 'aes':
    case 'generic-secret':
      return { keyClass: 'secret-key', keyType: keyTypeClass };
    case 'ec-private':
      return { keyClass: 'private-key', keyType: 'ec' };
    case 'rsa-private':
      return { keyClass: 'private-key', keyType: 'rsa' };
    default:
      throw new HsmError(
        'bad-request',
        `Invalid --key-type-class "${keyTypeClass}" for unwrap: expected aes, generic-secret, ec-private or rsa-private`,
      );
  }
}

/** The wrapping/unwrapping key of a mechanism, checked for type, class and attribute. */
function wrappingKeyFor(key: KeyRecord, mechanism: WrapMechanism, direction: 'wrap' | 'unwrap'): WrappingKey {
  const type = key.attributes['key-type'];
  const cls = key.attributes.class;
  const ref = formatKeyReference(key.handle);
  if (isAesMechanism(mechanism)) {
    if (type !== 'aes') throw new HsmError('key-not-permitted', `Mechanism ${mechanism} needs an AES key; key ${ref} is ${String(type)}`);
  } else {
    const wanted = direction === 'wrap' ? 'public-key' : 'private-key';
    if (type !== 'rsa' || cls !== wanted) {
      throw new HsmError(
        'key-not-permitted',
        `Mechanism ${mechanism} needs an RSA ${direction === 'wrap' ? 'public' : 'private'} key; key ${ref} is ${String(type)} ${String(cls)}`,
      );
    }
  }
  requireAttribute(key, direction, `${direction} keys`);
  requireNoQuorum(key, 'key-management');
  const parsed = loadKey(key);
  if (parsed.kind === 'secret') return { kind: 'aes', key: parsed.bytes };
  if (parsed.kind === 'rsa-public') return { kind: 'rsa-public', key: parsed.key };
  if (parsed.kind === 'rsa-private') return { kind: 'rsa-private', key: parsed.key };
  throw new HsmError('key-not-permitted', `Key ${ref} cannot ${direction} keys`);
}

function wrapParameters(args: Args) {
  return {
    tagLengthBits: optionalInteger(args['tagLengthBits'], 'tagLengthBits'),
    aad: optionalBytes(args['aad'], 'aad'),
    hashFunction: optionalHash(args['hashFunction'], 'hashFunction'),
    mgf: optionalHash(args['mgf'], 'mgf'),
    iv: optionalBytes(args['iv'], 'iv'),
  };
}

const SET_OK = { message: 'Attribute set successfully' } as const;

export const keyHandlers = {
  'key.generate-symmetric': (ctx, a) => {
    const args = rawArgs(a);
    const keyType = requireOneOf(args['keyType'], 'keyType', ['aes', 'generic-secret'] as const);
    const label = checkLabel(requireString(args['label'], 'label'));
    const length = requireInteger(args['keyLengthBytes'], 'keyLengthBytes');
    checkSecretLength(keyType, length);
    const chosen = parseCreationAttributes(optionalAttributes(args['attributes'], 'attributes'), 'secret-key', keyType);
    const choices = creationChoices(ctx, args);
    checkKeyLimits(ctx, 1, 0);
    const facts = describeKey({ kind: 'secret', keyType, bytes: ctx.random.bytes(length) });
    const [key] = insertKeys(ctx, [draft(ctx, facts, label, chosen, choices, true)]);
    return { key: keyToJson(key as KeyRecord) };
  },

  'key.generate-asymmetric-pair': (ctx, a) => {
    const args = rawArgs(a);
    const keyType = requireOneOf(args['keyType'], 'keyType', ['ec', 'rsa'] as const);
    const publicLabel = checkLabel(requireString(args['publicLabel'], 'publicLabel'));
    const privateLabel = checkLabel(requireString(args['privateLabel'], 'privateLabel'));
    const pubChosen = parseCreationAttributes(optionalAttributes(args['publicAttributes'], 'publicAttributes'), 'public-key', keyType, 'public key');
    const privChosen = parseCreationAttributes(optionalAttributes(args['privateAttributes'], 'privateAttributes'), 'private-key', keyType, 'private key');
    // Both halves carry the same id (spec §4.5).
    if (pubChosen.id !== undefined && privChosen.id !== undefined && pubChosen.id !== privChosen.id) {
      throw new HsmError('bad-request', 'The public and private key of a pair must have the same id');
    }
    const id = privChosen.id ?? pubChosen.id;
    if (id !== undefined) {
      pubChosen.id = id;
      privChosen.id = id;
    }
    let generate: () => { priv: ParsedKey; pub: ParsedKey };
    if (keyType === 'ec') {
      const curveText = requireString(args['curve'], 'curve');
      const curve = usingCrypto('Invalid curve', () => curveFromName(curveText));
      generate = () => {
        const pair = ecGenerateKeyPair(curve, ctx.random);
        return {
          priv: { kind: 'ec-private', curve, privateKey: pair.privateKey, publicKey: pair.publicKey },
          pub: { kind: 'ec-public', curve, publicKey: pair.publicKey },
        };
      };
    } else {
      const bits = checkModulusBits(requireInteger(args['modulusSizeBits'], 'modulusSizeBits'));
      const e = parsePublicExponent(optionalString(args['publicExponent'], 'publicExponent'));
      generate = () => {
        const key = rsaGenerateKeyPair(bits, e, ctx.random);
        return { priv: { kind: 'rsa-private', key }, pub: { kind: 'rsa-public', key: { n: key.n, e: key.e } } };
      };
    }
    const choices = creationChoices(ctx, args);
    checkKeyLimits(ctx, 2, 2);
    // Both drafts are validated (token/session choices) before either key is stored.
    const { priv, pub } = generate();
    const pubDraft = draft(ctx, describeKey(pub), publicLabel, pubChosen, choices, true);
    const privDraft = draft(ctx, describeKey(priv), privateLabel, privChosen, choices, true);
    const [publicKey, privateKey] = insertKeys(ctx, [pubDraft, privDraft]);
    return { public_key: keyToJson(publicKey as KeyRecord), private_key: keyToJson(privateKey as KeyRecord) };
  },

  'key.import-pem': (ctx, a) => {
    const args = rawArgs(a);
    const pem = requireString(args['pem'], 'pem');
    const label = checkLabel(requireString(args['label'], 'label'));
    const keyTypeClass = requireOneOf(args['keyTypeClass'], 'keyTypeClass', ['ec-public', 'rsa-public'] as const);
    const keyType = keyTypeClass === 'ec-public' ? 'ec' : 'rsa';
    const chosen = parseCreationAttributes(optionalAttributes(args['attributes'], 'attributes'), 'public-key', keyType, 'public key');
    const decoded = usingCrypto('Invalid PEM', () => fromPem(pem));
    if (decoded.label !== 'PUBLIC KEY') {
      throw new HsmError('bad-request', `Invalid PEM: expected a "PUBLIC KEY" (SubjectPublicKeyInfo) block, got "${decoded.label}"`);
    }
    const parsed = parsePublicKey(decoded.der, keyTypeClass);
    const owner = callerName(ctx);
    checkKeyLimits(ctx, 1, 1);
    const choices: CreationChoices = { owner, session: undefined, shared: [], manageKeyQuorumValue: 0, useKeyQuorumValue: 0 };
    const [key] = insertKeys(ctx, [draft(ctx, describeKey(parsed), label, chosen, choices, false)]);
    return { key: keyToJson(key as KeyRecord), message: 'Successfully imported key' };
  },

  'key.export-pem': (ctx, a) => {
    const key = findOneKey(ctx, requireFilter(rawArgs(a)['filter'], 'filter'));
    if (key.attributes.class === 'secret-key') {
      throw new HsmError('key-not-permitted', `Key ${formatKeyReference(key.handle)} is a secret key; it has no public key to export`);
    }
    return { pem: toPem('PUBLIC KEY', publicKeySpki(loadKey(key))) };
  },

  'key.list': (ctx, a) => {
    const args = rawArgs(a);
    const filter = optionalFilter(args['filter'], 'filter');
    const verbose = optionalBoolean(args['verbose'], 'verbose') ?? false;
    const maxItems = optionalInteger(args['maxItems'], 'maxItems') ?? 10;
    if (maxItems < 1) throw new HsmError('bad-request', `Invalid --max-items ${maxItems}: it must be at least 1`);
    const token = optionalString(args['startingToken'], 'startingToken');
    const start = token === undefined ? 0 : /^[0-9]{1,9}$/.test(token) ? Number(token) : NaN;
    if (Number.isNaN(start)) throw new HsmError('bad-request', `Invalid --starting-token "${token}": use the next_token of a previous key list`);
    const matches = findKeys(ctx, filter);
    const page = matches.slice(start, start + maxItems);
    const data: Record<string, unknown> = {
      matched_keys: page.map((k) => keyToJson(k, ctx, { verbose })),
      total_key_count: matches.length,
      returned_key_count: page.length,
    };
    if (start + page.length < matches.length) data['next_token'] = String(start + page.length);
    return data;
  },

  'key.delete': (ctx, a) => {
    const key = ownedKey(ctx, rawArgs(a)['filter'], 'filter', 'delete it');
    if (key.attributes.destroyable !== true) {
      throw new HsmError('key-not-permitted', `Key ${formatKeyReference(key.handle)} cannot be deleted: its "destroyable" attribute is false`);
    }
    requireNoQuorum(key, 'key-management');
    ctx.state.keys.splice(ctx.state.keys.indexOf(key), 1);
    ctx.markChanged();
    return { message: 'Key deleted successfully' };
  },

  'key.share': (ctx, a) => {
    const args = rawArgs(a);
    const key = ownedKey(ctx, args['filter'], 'filter', 'share it');
    if (key.attributes.class === 'public-key') {
      throw new HsmError('key-not-permitted', 'Public keys cannot be shared: every crypto user can already use them');
    }
    const username = shareTarget(ctx, args, key);
    if (key.shared.includes(username)) throw new HsmError('bad-request', `Key is already shared with ${username}`);
    requireNoQuorum(key, 'key-management');
    key.shared.push(username);
    ctx.markChanged();
    return { message: 'Key shared successfully' };
  },

  'key.unshare': (ctx, a) => {
    const args = rawArgs(a);
    const key = ownedKey(ctx, args['filter'], 'filter', 'unshare it');
    const username = shareTarget(ctx, args, key);
    if (!key.shared.includes(username)) throw new HsmError('bad-request', `Key is not shared with ${username}`);
    requireNoQuorum(key, 'key-management');
    checkQuorumValues(key.manageKeyQuorumValue, key.useKeyQuorumValue, key.shared.length - 1);
    key.shared.splice(key.shared.indexOf(username), 1);
    ctx.markChanged();
    return { message: 'Key unshared successfully' };
  },

  'key.set-attribute': (ctx, a) => {
    const args = rawArgs(a);
    const name = requireString(args['name'], 'name');
    const raw = requireString(args['value'], 'value');
    const key = ownedKey(ctx, args['filter'], 'filter', 'change its attributes');
    const value = checkAttributeChange(key, name, raw, ctx);
    requireNoQuorum(key, 'key-management');
    if (key.attributes[name] !== value) {
      key.attributes[name] = value;
      if (name === 'token' && value === true) delete key.sessionId;
      ctx.markChanged();
    }
    return SET_OK;
  },

  'key.set-trusted': (ctx, a) => {
    const args = rawArgs(a);
    const raw = requireString(args['value'], 'value');
    const key = findOneKey(ctx, requireFilter(args['filter'], 'filter'));
    const value = checkTrustedChange(key, raw);
    if (key.attributes.trusted !== value) {
      key.attributes.trusted = value;
      ctx.markChanged();
    }
    return SET_OK;
  },

  'key.wrap': (ctx, a) => {
    const args = rawArgs(a);
    const mechanism = requireOneOf(args['mechanism'], 'mechanism', WRAP_MECHANISMS);
    const params = wrapParameters(args);
    const payload = ownedKey(ctx, args['payloadFilter'], 'payloadFilter', 'wrap it');
    const wrapping = findOneKey(ctx, requireFilter(args['wrappingFilter'], 'wrappingFilter'));
    const payloadRef = formatKeyReference(payload.handle);
    if (payload.attributes.class === 'public-key') {
      throw new HsmError('key-not-permitted', `Key ${payloadRef} is a public key: export it as PEM instead of wrapping it`);
    }
    if (payload.attributes.extractable !== true) throw new HsmError('not-extractable', `Key is not extractable: key ${payloadRef}`);
    if (payload.attributes['wrap-with-trusted'] === true && wrapping.attributes.trusted !== true) {
      throw new HsmError(
        'key-not-permitted',
        `Key ${payloadRef} has wrap-with-trusted=true: it can only be wrapped by a trusted key, and key ${formatKeyReference(wrapping.handle)} is not trusted`,
      );
    }
    requireNoQuorum(payload, 'key-management');
    const wrappingKey = wrappingKeyFor(wrapping, mechanism, 'wrap');
    const bytes = wrapPayload(loadKey(payload));
    const result = usingCrypto(`Wrap with ${mechanism} failed`, () => wrapBytes(mechanism, wrappingKey, bytes, params, ctx.random));
    const data: Record<string, string> = {
      payload_key_reference: payloadRef,
      wrapping_key_reference: formatKeyReference(wrapping.handle),
    };
    if (result.iv) data['iv'] = `0x${toHex(result.iv)}`;
    data['wrapped_key_data'] = toBase64(result.wrapped);
    return data;
  },

  'key.unwrap': (ctx, a) => {
    const args = rawArgs(a);
    const mechanism = requireOneOf(args['mechanism'], 'mechanism', WRAP_MECHANISMS);
    const params = wrapParameters(args);
    const keyTypeClass = requireString(args['keyTypeClass'], 'keyTypeClass');
    const { keyClass, keyType } = keyClassForUnwrap(keyTypeClass);
    const label = checkLabel(requireString(args['label'], 'label'));
    const data = requireBytes(args['data'], 'data');
    const chosen = parseCreationAttributes(optionalAttributes(args['attributes'], 'attributes'), keyClass, keyType);
    const choices = creationChoices(ctx, args);
    const unwrapping = findOneKey(ctx, requireFilter(args['filter'], 'filter'));
    const unwrappingKey = wrappingKeyFor(unwrapping, mechanism, 'unwrap');
    checkKeyLimits(ctx, 1, keyClass === 'secret-key' ? 0 : 1);
    const bytes = usingCrypto(`Unwrap with ${mechanism} failed`, () => unwrapBytes(mechanism, unwrappingKey, data, params));
    const parsed = parseUnwrapped(keyTypeClass, bytes);
    const [key] = insertKeys(ctx, [draft(ctx, describeKey(parsed), label, chosen, choices, false)]);
    return { key: keyToJson(key as KeyRecord) };
  },
} satisfies Partial<Handlers>;
