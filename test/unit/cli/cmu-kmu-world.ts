/**
 * The shared world of the CMU and KMU tests: a 2-HSM cluster activated with CMU, crypto users
 * alice (id 3, owns the keys), bob (4), carol (5), alice's keys (an AES wrapping key, an AES
 * payload, an EC pair) and the files KMU commands read; sessions of any role; and the helpers
 * that say, from POLICY and a command's role rule, whether a role may run it and whether an
 * output is a policy refusal.
 * @module
 */
import { TEST_PASSWORD_COST } from '../../../src/crypto/password.ts';
import { Cluster } from '../../../src/cluster/cluster.ts';
import { inProcessSpawner } from '../../../src/cluster/in-process-spawn.ts';
import type { ClusterSession } from '../../../src/cli/session-port.ts';
import { isAllowed, OPS, whoMay, type Role } from '../../../src/hsm/policy.ts';
import { MemoryStorage } from '../../../src/store/memory.ts';
import type { RoleRule } from '../../../src/cli/cloudhsm-cli/command.ts';
import { executeCmu, newCmuState, type CmuContext } from '../../../src/cli/cmu/execute.ts';
import { executeKmu, type KmuContext } from '../../../src/cli/kmu/execute.ts';
import { VirtualFiles, ioOverFiles } from '../../../src/cli/files.ts';
import type { Io } from '../../../src/cli/machinery/io.ts';

export const ADMIN_PW = 'Admin-pw1';
export const CU_PW = 'Passw0rd!';
export const ROLES_UNDER_TEST: readonly Role[] = ['unactivated-admin', 'admin', 'crypto-user', 'appliance-user', 'unauthenticated'];

export interface LegacyWorld {
  readonly cluster: Cluster;
  readonly files: VirtualFiles;
  readonly io: Io;
  /** Every prompt text shown, in order. */
  readonly prompts: string[];
  /** alice's KMU context (owner of the keys). */
  readonly alice: KmuContext;
  /** A CO's CMU context. */
  readonly admin: CmuContext;
  readonly keys: { aes: number; payload: number; pub: number; priv: number };
}

function handleIn(output: string, pattern: RegExp): number {
  const m = pattern.exec(output);
  if (!m?.[1]) throw new Error(`no handle in:\n${output}`);
  return Number(m[1]);
}

/** Answers CMU's y/n with y and KMU's boolean prompt with 1. */
function answering(files: VirtualFiles, prompts: string[]): Io {
  return ioOverFiles(files, async (text) => {
    prompts.push(text);
    return text.includes('(y/n)') ? 'y' : '1';
  });
}

export function newCluster(seed: string): Promise<Cluster> {
  return Cluster.create({ hsms: 2, seed, passwordCost: TEST_PASSWORD_COST, spawn: inProcessSpawner(() => new MemoryStorage()) });
}

export function cmuContext(world: Pick<LegacyWorld, 'io'>, cluster: Cluster, session: ClusterSession, server?: number): CmuContext {
  return { session, io: world.io, servers: () => cluster.hsms, state: { ...newCmuState(), server } };
}

export function kmuContext(world: Pick<LegacyWorld, 'io'>, cluster: Cluster, session: ClusterSession): KmuContext {
  return { session, io: world.io, servers: () => cluster.hsms };
}

async function must(result: Promise<{ output: string; error_code: number }>): Promise<string> {
  const r = await result;
  if (r.error_code !== 0) throw new Error(`world setup failed:\n${r.output}`);
  return r.output;
}

export async function buildWorld(seed: string): Promise<LegacyWorld> {
  const cluster = await newCluster(seed);
  const files = new VirtualFiles();
  const prompts: string[] = [];
  const io = answering(files, prompts);
  const admin = cmuContext({ io }, cluster, cluster.openSession());
  await must(executeCmu('loginHSM PRECO admin password', admin));
  await must(executeCmu(`changePswd PRECO admin ${ADMIN_PW}`, admin));
  await must(executeCmu('logoutHSM', admin));
  await must(executeCmu(`loginHSM CO admin ${ADMIN_PW}`, admin));
  for (const name of ['alice', 'bob', 'carol']) await must(executeCmu(`createUser CU ${name} ${CU_PW}`, admin));
  const alice = kmuContext({ io }, cluster, cluster.openSession());
  await must(executeKmu(`loginHSM -u CU -s alice -p ${CU_PW}`, alice));
  const aes = handleIn(await must(executeKmu('genSymKey -t 31 -s 32 -l wrapping', alice)), /Key Handle: (\d+)/);
  const payload = handleIn(await must(executeKmu('genSymKey -t 31 -s 16 -l payload', alice)), /Key Handle: (\d+)/);
  const pair = await must(executeKmu('genECCKeyPair -i 2 -l ec-pair', alice));
  const pub = handleIn(pair, /public key handle: (\d+)/);
  const priv = handleIn(pair, /private key handle: (\d+)/);
  files.write('msg.txt', 'legacy tools');
  files.write('kw.bin', new Uint8Array(24).fill(0x42));
  await must(executeKmu(`sign -f msg.txt -k ${priv} -m 17 -out msg.sig`, alice));
  await must(executeKmu(`wrapKey -k ${payload} -w ${aes} -m 4 -out wrapped.key`, alice));
  await must(executeKmu(`extractMaskedObject -o ${payload} -out masked.obj`, alice));
  await must(executeKmu(`exportPubKey -k ${pub} -out pub.pem`, alice));
  await must(executeKmu(`exSymKey -k ${payload} -w ${aes} -out payload.key`, alice));
  return { cluster, files, io, prompts, alice, admin, keys: { aes, payload, pub, priv } };
}

/** CMU user type and credentials of each role (PRECO exists only on an unactivated cluster). */
export const ROLE_CREDENTIALS: Record<Exclude<Role, 'unauthenticated'>, { type: string; username: string; password: string }> = {
  'unactivated-admin': { type: 'PRECO', username: 'admin', password: 'password' },
  admin: { type: 'CO', username: 'admin', password: ADMIN_PW },
  'crypto-user': { type: 'CU', username: 'alice', password: CU_PW },
  'appliance-user': { type: 'AU', username: 'app_user', password: 'password' },
};

/** A new session of `role`: PRECO on a fresh unactivated cluster, the others on the world's cluster. */
export async function sessionAs(world: LegacyWorld, role: Role, seed: string): Promise<{ cluster: Cluster; session: ClusterSession }> {
  const cluster = role === 'unactivated-admin' ? await newCluster(seed) : world.cluster;
  const session = cluster.openSession();
  if (role !== 'unauthenticated') {
    const who = ROLE_CREDENTIALS[role];
    await must(executeCmu(`loginHSM ${who.type} ${who.username} ${who.password}`, cmuContext(world, cluster, session)));
  }
  return { cluster, session };
}

/** May `role` run a command with this rule, per POLICY? */
export function ruleAllows(rule: RoleRule, role: Role): boolean {
  if (rule === 'everyone') return true;
  if ('allOf' in rule) return rule.allOf.every((op) => isAllowed(op, role));
  return rule.anyOf.some((op) => isAllowed(op, role));
}

const POLICY_REFUSALS = OPS.flatMap((op) => [`Permission denied: ${whoMay(op)}`, `Not logged in: ${whoMay(op)}`]);

/** Does this output carry the HSM's policy refusal (never an ownership or argument refusal)? */
export function isPolicyRefusal(output: string): boolean {
  return POLICY_REFUSALS.some((text) => output.includes(text));
}
