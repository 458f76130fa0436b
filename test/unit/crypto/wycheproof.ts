/**
 * Loads the Wycheproof vector files shared by the project (test/vectors/wycheproof, copied from the project's shared test data,
 * reached relative to this folder) and counts outcomes so each test can print
 * "aes_gcm: 193 valid passed, 87 invalid refused, …".
 * @module
 */
import { readFileSync } from 'node:fs';
import { fromHex } from '../../../src/crypto/bytes.ts';

export const WYCHEPROOF_DIR = new URL('../../vectors/wycheproof/', import.meta.url);

export type WycheproofResult = 'valid' | 'invalid' | 'acceptable';

export interface WycheproofTest {
  readonly tcId: number;
  readonly comment: string;
  readonly flags: readonly string[];
  readonly result: WycheproofResult;
  readonly [field: string]: unknown;
}

export interface WycheproofGroup {
  readonly tests: readonly WycheproofTest[];
  readonly [field: string]: unknown;
}

export interface WycheproofFile {
  readonly algorithm: string;
  readonly numberOfTests: number;
  readonly testGroups: readonly WycheproofGroup[];
}

/** Parse one file, e.g. `loadWycheproof('aes_gcm_test.json')`. */
export function loadWycheproof(name: string): WycheproofFile {
  return JSON.parse(readFileSync(new URL(name, WYCHEPROOF_DIR), 'utf8')) as WycheproofFile;
}

/** A hex field of a test case as bytes. */
export function hexField(test: WycheproofTest, field: string): Uint8Array {
  const value = test[field];
  if (typeof value !== 'string') throw new Error(`tcId ${test.tcId}: field ${field} is not a hex string`);
  return fromHex(value);
}

/** Every test case with its group, flattened. */
export function casesOf(file: WycheproofFile): { group: WycheproofGroup; test: WycheproofTest }[] {
  return file.testGroups.flatMap((group) => group.tests.map((test) => ({ group, test })));
}

/** Named counters printed as one line. */
export class Tally {
  private readonly counts = new Map<string, number>();
  constructor(private readonly title: string) {}
  add(outcome: string): void {
    this.counts.set(outcome, (this.counts.get(outcome) ?? 0) + 1);
  }
  get(outcome: string): number {
    return this.counts.get(outcome) ?? 0;
  }
  total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }
  line(): string {
    return `${this.title}: ${[...this.counts].map(([k, v]) => `${v} ${k}`).join(', ')}`;
  }
}
