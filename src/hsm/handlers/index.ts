/**
 * The handler registry: every operation's handler, gathered from the handler modules. The type
 * annotation makes the compiler refuse a registry that misses an operation of the policy table.
 * @module
 */
import type { Handlers } from '../context.ts';
import { auditHandlers } from './audit.ts';
import { clusterHandlers } from './cluster.ts';
import { cryptoHandlers } from './crypto.ts';
import { keyHandlers } from './keys.ts';
import { objectHandlers } from './objects.ts';
import { quorumHandlers } from './quorum.ts';
import { secretTransferHandlers } from './secret-transfer.ts';
import { sessionHandlers } from './session.ts';
import { userHandlers } from './users.ts';

export const HANDLERS: Handlers = {
  ...clusterHandlers,
  ...sessionHandlers,
  ...userHandlers,
  ...objectHandlers,
  ...auditHandlers,
  ...keyHandlers,
  ...secretTransferHandlers,
  ...cryptoHandlers,
  ...quorumHandlers,
};
