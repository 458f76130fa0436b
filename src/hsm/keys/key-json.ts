/**
 * The key object JSON of cloudhsm-cli (spec §3.4): `key-reference`, `key-info` (owners, shared
 * users, quorum values, coverage) and `attributes` in documentation order, and the short form
 * `key list` prints without `--verbose`. One HSM always sees its own copy as "full" coverage; the
 * cluster client merges answers across HSMs and rewrites coverage.
 * @module
 */
import type { Role } from '../policy.ts';
import type { KeyAttributes, KeyRecord } from '../state.ts';
import { ATTRIBUTE_ORDER } from './attributes.ts';

export interface KeyUserJson {
  readonly username: string;
  readonly 'key-coverage': string;
}

export interface KeyObjectJson {
  readonly 'key-reference': string;
  readonly 'key-info': {
    readonly 'key-owners': readonly KeyUserJson[];
    readonly 'shared-users': readonly KeyUserJson[];
    readonly 'key-quorum-values': {
      readonly 'manage-key-quorum-value': number;
      readonly 'use-key-quorum-value': number;
    };
    readonly 'cluster-coverage': string;
  };
  readonly attributes: KeyAttributes;
}

export interface KeyListEntryJson {
  readonly 'key-reference': string;
  readonly attributes: { readonly label: string };
}

/** `0x` + 16 lower-case hex digits, e.g. `0x00000000002e06bf`. */
export function formatKeyReference(handle: number): string {
  return `0x${handle.toString(16).padStart(16, '0')}`;
}

/** Who is looking: admins get full objects from `key list` whatever `--verbose` says. */
export interface KeyJsonViewer {
  readonly session: { readonly role: Role } | undefined;
}

/**
 * The JSON of one key. `verbose: false` gives the `key list` short form, except for admins, for
 * whom `--verbose` "has no effect" (spec §4.5) and who always see the full object.
 */
export function keyToJson(record: KeyRecord, viewer?: KeyJsonViewer, options?: { readonly verbose: true }): KeyObjectJson;
export function keyToJson(
  record: KeyRecord,
  viewer: KeyJsonViewer | undefined,
  options: { readonly verbose: boolean },
): KeyObjectJson | KeyListEntryJson;
export function keyToJson(
  record: KeyRecord,
  viewer?: KeyJsonViewer,
  options: { readonly verbose: boolean } = { verbose: true },
): KeyObjectJson | KeyListEntryJson {
  if (!options.verbose && viewer?.session?.role !== 'admin') {
    return { 'key-reference': formatKeyReference(record.handle), attributes: { label: String(record.attributes.label ?? '') } };
  }
  const attributes: KeyAttributes = {};
  for (const name of ATTRIBUTE_ORDER) {
    const v = record.attributes[name];
    if (v !== undefined) attributes[name] = v;
  }
  return {
    'key-reference': formatKeyReference(record.handle),
    'key-info': {
      'key-owners': [{ username: record.owner, 'key-coverage': 'full' }],
      'shared-users': record.shared.map((username) => ({ username, 'key-coverage': 'full' })),
      'key-quorum-values': {
        'manage-key-quorum-value': record.manageKeyQuorumValue,
        'use-key-quorum-value': record.useKeyQuorumValue,
      },
      'cluster-coverage': 'full',
    },
    attributes,
  };
}
