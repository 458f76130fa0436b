/**
 * Cluster-level operations of one HSM: `cluster activate` (spec §1.2) and the `cluster hsm-info`
 * element this HSM contributes (spec §4.1, plus the simulator's ip and device id for the page).
 * @module
 */
import { hashPassword } from '../../crypto/password.ts';
import type { Handlers } from '../context.ts';
import { HsmError } from '../envelope.ts';
import { MODEL_HARDWARE } from '../limits.ts';
import { ADMIN_USERNAME, checkNewPassword } from '../users-rules.ts';

export const clusterHandlers = {
  'hsm.info': (ctx) => {
    const hw = MODEL_HARDWARE[ctx.model];
    const id = ctx.state.identity;
    return {
      vendor: hw.vendor,
      model: hw.model,
      'serial-number': id.serialNumber,
      'hardware-version-major': hw['hardware-version-major'],
      'hardware-version-minor': hw['hardware-version-minor'],
      'firmware-version-major': hw['firmware-version-major'],
      'firmware-version-minor': hw['firmware-version-minor'],
      'firmware-build-number': hw['firmware-build-number'],
      'firmware-id': hw['firmware-id'],
      'fips-state': hw['fips-state'],
      ip: id.ip,
      'device-id': id.deviceId,
    };
  },

  'cluster.activate': async (ctx, args) => {
    if (ctx.state.activated) throw new HsmError('already-activated', 'Cluster is already activated');
    const admin = ctx.state.users.find((u) => u.username === ADMIN_USERNAME && u.role === 'unactivated-admin');
    if (!admin) throw new HsmError('already-activated', 'Cluster is already activated');
    const password = checkNewPassword(args.password, ctx.state.settings, ctx.limits, args.legacy);
    const hash = await hashPassword(password, ctx.random, ctx.passwordCost);
    admin.password = hash;
    admin.role = 'admin';
    admin.failedLogins = 0;
    ctx.state.activated = true;
    ctx.markChanged();
    return 'Cluster activation successful';
  },
} satisfies Partial<Handlers>;
