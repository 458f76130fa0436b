/**
 * What an HSM model allows and what it says about itself: the limits of spec §2.4 and the
 * hardware facts `cluster hsm-info` prints (spec §4.1). Values the documentation does not give for
 * hsm2m.medium are marked [SIM] and chosen to look like the hsm1.medium ones.
 * @module
 */
import type { HsmModel } from './state.ts';

export const HSM_MODELS: readonly HsmModel[] = ['hsm2m.medium', 'hsm1.medium'];

export function isHsmModel(value: unknown): value is HsmModel {
  return typeof value === 'string' && (HSM_MODELS as readonly string[]).includes(value);
}

/** Numeric limits of one HSM (spec §2.4). Keys and users are per cluster; each HSM holds a full copy. */
export interface HsmLimits {
  /** All keys, token and session. */
  readonly maxKeys: number;
  /** Public and private halves of asymmetric pairs, counted one each. */
  readonly maxAsymmetricKeys: number;
  /** Including `admin` and `app_user`. */
  readonly maxUsers: number;
  readonly maxUsernameLength: number;
  readonly maxPasswordLength: number;
  /** Key label length (SDK ≥ 5.11). */
  readonly maxLabelLength: number;
  /** Concurrent client connections; we count open sessions. */
  readonly maxSessions: number;
  /** Audit entries kept; the oldest are dropped first ([SIM]). */
  readonly maxAuditEntries: number;
}

const COMMON = {
  maxUsernameLength: 31,
  maxPasswordLength: 32,
  maxLabelLength: 127,
  maxSessions: 900,
  maxAuditEntries: 10_000,
} as const;

export const MODEL_LIMITS: Readonly<Record<HsmModel, HsmLimits>> = {
  'hsm1.medium': { ...COMMON, maxKeys: 3_300, maxAsymmetricKeys: 3_300, maxUsers: 250 },
  'hsm2m.medium': { ...COMMON, maxKeys: 16_666, maxAsymmetricKeys: 3_333, maxUsers: 1_024 },
};

/** The fixed part of one `cluster hsm-info` element (all strings, spec §4.1), per model. */
export interface HsmHardwareInfo {
  readonly vendor: string;
  readonly model: string;
  readonly 'hardware-version-major': string;
  readonly 'hardware-version-minor': string;
  readonly 'firmware-version-major': string;
  readonly 'firmware-version-minor': string;
  readonly 'firmware-build-number': string;
  readonly 'firmware-id': string;
  readonly 'fips-state': string;
}

export const MODEL_HARDWARE: Readonly<Record<HsmModel, HsmHardwareInfo>> = {
  // The documented example (spec §4.1).
  'hsm1.medium': {
    vendor: 'Marvell Semiconductors, Inc.',
    model: 'NITROX-III CNN35XX-NFBE',
    'hardware-version-major': '3',
    'hardware-version-minor': '0',
    'firmware-version-major': '2',
    'firmware-version-minor': '6',
    'firmware-build-number': '16',
    'firmware-id': 'CNN35XX-NFBE-FW-2.06-16',
    'fips-state': '2 [FIPS mode with single factor authentication]',
  },
  // [SIM] the docs print no hsm2m.medium example; a LiquidSecurity 2 style answer.
  'hsm2m.medium': {
    vendor: 'Marvell Semiconductors, Inc.',
    model: 'LS2 CNL12XX-NFBE',
    'hardware-version-major': '4',
    'hardware-version-minor': '0',
    'firmware-version-major': '3',
    'firmware-version-minor': '2',
    'firmware-build-number': '8',
    'firmware-id': 'CNL12XX-NFBE-FW-3.02-08',
    'fips-state': '2 [FIPS mode with single factor authentication]',
  },
};
