/**
 * Reading the audit log (policy: admins and the appliance user). Entries come oldest first,
 * newest last; `limit` keeps only the newest N.
 * @module
 */
import type { Handlers } from '../context.ts';
import { HsmError } from '../envelope.ts';

export const auditHandlers = {
  'audit.read': (ctx, args) => {
    const limit = args.limit;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
      throw new HsmError('bad-request', `limit must be a non-negative integer, got ${JSON.stringify(limit)}`);
    }
    const all = ctx.state.audit.slice(-ctx.limits.maxAuditEntries);
    const entries = limit === undefined ? all : limit === 0 ? [] : all.slice(-limit);
    return { entries: entries.map((e) => ({ ...e })) };
  },
} satisfies Partial<Handlers>;
