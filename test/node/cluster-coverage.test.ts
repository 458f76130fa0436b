/**
 * The pure parts of the cluster client: finding key objects and references in answers, coverage
 * from per-HSM presence, "inconsistent" attribute values, and the op routing table.
 */
import { describe, expect, it } from 'vitest';
import {
  coverageOf,
  findKeyObjects,
  findKeyReferences,
  keyObjectName,
  markInconsistencies,
  parseKeyReference,
  setKeyCoverage,
  type KeyObjectJson,
} from '../../src/cluster/coverage.ts';
import { changesState, OP_KINDS } from '../../src/cluster/op-kinds.ts';
import { OPS } from '../../src/hsm/policy.ts';

function keyObject(ref: string, attributes: Record<string, unknown>, owners = ['cu1'], shared: string[] = []): KeyObjectJson {
  return {
    'key-reference': ref,
    'key-info': {
      'key-owners': owners.map((username) => ({ username, 'key-coverage': 'full' })),
      'shared-users': shared.map((username) => ({ username, 'key-coverage': 'full' })),
      'cluster-coverage': 'full',
    },
    attributes,
  };
}

describe('finding keys in answers', () => {
  it('finds key objects in generate, pair and list answers', () => {
    const a = keyObject('0x0000000000000001', {});
    const b = keyObject('0x0000000000000002', {});
    expect(findKeyObjects({ key: a })).toEqual([a]);
    expect(findKeyObjects({ public_key: a, private_key: b })).toEqual([a, b]);
    expect(findKeyObjects({ matched_keys: [a, b], total_key_count: 2 })).toEqual([a, b]);
    expect(findKeyObjects({ matched_keys: [{ 'key-reference': '0x01' }] })).toEqual([]);
    expect(findKeyObjects('Logout successful')).toEqual([]);
  });

  it('finds every key reference once, brief or full', () => {
    expect(findKeyReferences({ 'key-reference': '0x0000000000000007' })).toEqual(['0x0000000000000007']);
    expect(findKeyReferences({ public_key: keyObject('0x02', {}), private_key: keyObject('0x03', {}) })).toEqual(['0x02', '0x03']);
    expect(findKeyReferences({ blob: new Uint8Array(3) })).toEqual([]);
  });

  it('parses references and names sync objects', () => {
    expect(parseKeyReference('0x00000000002e06bf')).toBe(0x2e06bf);
    expect(parseKeyReference('42')).toBe(42);
    expect(() => parseKeyReference('label')).toThrow(/not a key reference/);
    expect(keyObjectName('0x2e06bf')).toBe('key:0x00000000002e06bf');
    expect(keyObjectName(7)).toBe('key:0x0000000000000007');
  });
});

describe('coverage', () => {
  it('is full only when every live HSM holds the same version and no stopped HSM missed a write', () => {
    expect(coverageOf('d1', [])).toBe('full');
    expect(coverageOf('d1', [{ live: true, digest: 'd1' }, { live: false, missedWrite: false }])).toBe('full');
    expect(coverageOf('d1', [{ live: true, digest: undefined }])).toBe('partial');
    expect(coverageOf('d1', [{ live: true, digest: 'd2' }])).toBe('partial');
    expect(coverageOf('d1', [{ live: true, digest: 'd1' }, { live: false, missedWrite: true }])).toBe('partial');
  });

  it('sets cluster and per-user coverage together', () => {
    const key = keyObject('0x01', {}, ['cu1'], ['cu2']);
    setKeyCoverage(key, 'partial');
    expect(key['key-info']!['cluster-coverage']).toBe('partial');
    expect(key['key-info']!['key-owners']![0]!['key-coverage']).toBe('partial');
    expect(key['key-info']!['shared-users']![0]!['key-coverage']).toBe('partial');
  });

  it('marks disagreeing attributes "inconsistent" and users not everywhere "partial"', () => {
    const mine = keyObject('0x01', { label: 'a', encrypt: true, sign: true }, ['cu1'], ['cu2']);
    const theirs = keyObject('0x01', { label: 'a', encrypt: false, sign: true }, ['cu1'], []);
    markInconsistencies(mine, [theirs]);
    expect(mine.attributes).toEqual({ label: 'a', encrypt: 'inconsistent', sign: true });
    expect(mine['key-info']!['key-owners']![0]!['key-coverage']).toBe('full');
    expect(mine['key-info']!['shared-users']![0]!['key-coverage']).toBe('partial');
  });
});

describe('op routing table', () => {
  it('classifies every op of the policy', () => {
    expect(Object.keys(OP_KINDS).sort()).toEqual([...OPS].sort());
  });

  it('treats creations, key writes, user writes and logins as state changes, reads not', () => {
    expect(changesState('key.generate-symmetric')).toBe(true);
    expect(changesState('key.set-attribute')).toBe(true);
    expect(changesState('user.create')).toBe(true);
    expect(changesState('session.login')).toBe(true);
    expect(changesState('crypto.sign')).toBe(false);
    expect(changesState('key.list')).toBe(false);
    expect(changesState('hsm.info')).toBe(false);
  });
});
