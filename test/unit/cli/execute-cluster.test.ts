/**
 * cloudhsm-cli against a real in-process cluster: role refusals carry the HSM message, signatures
 * verify with node:crypto against the exported key, and reference PEM files name the private key.
 * @module
 */
import { createPublicKey, verify } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.ts';
import { inProcessSpawner } from '../../../src/cluster/in-process-spawn.ts';
import { MemoryStorage } from '../../../src/store/memory.ts';
import { execute, type ExecutionContext } from '../../../src/cli/cloudhsm-cli/execute.ts';
import { commandRoles } from '../../../src/cli/cloudhsm-cli/command.ts';
import { CLOUDHSM_CLI } from '../../../src/cli/cloudhsm-cli/table.ts';
import { commandName } from '../../../src/cli/machinery/spec.ts';
import { VirtualFiles, ioOverFiles } from '../../../src/cli/files.ts';
import { readReferencePem } from '../../../src/cli/cloudhsm-cli/reference-pem.ts';

/** Runs lines in order against a real 2-HSM cluster (in-process HSMs) and returns the parsed answers. */
describe('cloudhsm-cli against a real cluster', () => {
  const files = new VirtualFiles();
  let ctx: ExecutionContext;
  const run = async (line: string) => {
    const r = await execute(line, ctx);
    return { ...(JSON.parse(r.output) as { error_code: number; data: unknown }), envelope: r.envelope };
  };

  beforeAll(async () => {
    const cluster = await Cluster.create({ hsms: 2, seed: 'cli-test', spawn: inProcessSpawner(() => new MemoryStorage()) });
    ctx = { session: cluster.openSession(), io: ioOverFiles(files, async () => '') };
    files.write('ec-public.pem', '-----BEGIN PUBLIC KEY-----\nAA==\n-----END PUBLIC KEY-----\n'); // read before the HSM refuses
    expect((await run('cluster activate --password Passw0rd!')).data).toBe('Cluster activation successful');
    expect((await run('login --username admin --role admin --password Passw0rd!')).data).toEqual({ username: 'admin', role: 'admin' });
    expect((await run('user create --username cu1 --role crypto-user --password Passw0rd!')).data).toEqual({ username: 'cu1', role: 'crypto-user' });
  });

  it('refuses every crypto-user-only command for a logged-in admin, with the HSM message', async () => {
    const adminForbidden = CLOUDHSM_CLI.commands.filter((c) => c.kind === 'request' && !commandRoles(c).includes('admin'));
    expect(adminForbidden.length).toBeGreaterThan(30);
    for (const c of adminForbidden) {
      const answer = await run(c.examples[0]?.line ?? '');
      expect(answer.error_code, commandName(c)).toBe(1);
      expect(answer.envelope, commandName(c)).toMatchObject({ reason: 'permission-denied' });
      expect(String(answer.data), commandName(c)).toMatch(/^Permission denied/);
      expect(answer).not.toHaveProperty('reason');
    }
  });

  it('signs as a crypto user; the signature verifies against the key written by key generate-file', async () => {
    expect((await run('logout')).data).toBe('Logout successful');
    expect((await run('login --username cu1 --role crypto-user --password Passw0rd!')).error_code).toBe(0);
    const pair = await run('key generate-asymmetric-pair ec --curve secp256r1 --public-label ec-public --private-label ec-private --private-attributes sign=true --public-attributes verify=true');
    expect(pair.data, JSON.stringify(pair.data)).toMatchObject({ public_key: { attributes: { label: 'ec-public' } }, private_key: { attributes: { label: 'ec-private', sign: true } } });
    const signed = await run('crypto sign ecdsa --key-filter attr.label=ec-private --hash-function sha256 --data YWJjMTIz');
    const signature = (signed.data as { signature: string }).signature;
    expect(Buffer.from(signature, 'base64')).toHaveLength(64);
    expect((await run('key generate-file --encoding pem --path ec-public.pem --filter attr.label=ec-public')).data).toEqual({ message: 'Successfully generated key file' });
    const pem = files.readText('ec-public.pem') ?? '';
    expect(verify('sha256', Buffer.from('abc123'), { key: createPublicKey(pem), dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64'))).toBe(true);
    expect((await run(`crypto verify ecdsa --key-filter attr.label=ec-public --hash-function sha256 --data YWJjMTIz --signature ${signature}`)).data).toEqual({
      message: 'Signature verified successfully',
    });
    expect(await run(`crypto verify ecdsa --key-filter attr.label=ec-public --hash-function sha256 --data YWJjMTI0 --signature ${signature}`)).toMatchObject({
      error_code: 1,
      data: 'Signature verification failed',
    });
  });

  it('key generate-file --encoding reference-pem writes a reference to the private key, and refuses a public key', async () => {
    // Runs after the signing test: cu1 is logged in and owns ec-public / ec-private.
    const listed = await run('key list --filter attr.label=ec-private');
    const reference = (listed.data as { matched_keys: { 'key-reference': string }[] }).matched_keys[0]?.['key-reference'];
    expect(reference).toMatch(/^0x[0-9a-f]{16}$/);
    expect((await run('key generate-file --encoding reference-pem --path ec-private.pem --filter attr.label=ec-private')).data).toEqual({ message: 'Successfully generated key file' });
    const pem = files.readText('ec-private.pem') ?? '';
    expect(readReferencePem(pem)).toEqual({ keyReference: reference, keyType: 'ec' });
    // Its public half is the key's own public key.
    expect(createPublicKey(pem).export({ type: 'spki', format: 'pem' })).toBe(files.readText('ec-public.pem'));
    const refused = await run('key generate-file --encoding reference-pem --path pub-ref.pem --filter attr.label=ec-public');
    expect(refused).toMatchObject({ error_code: 1, data: expect.stringMatching(/^The reference-pem encoding references a private key; key 0x[0-9a-f]{16} is a public-key: use --encoding pem for public keys$/) });
    expect(files.readText('pub-ref.pem')).toBeUndefined();
    expect((await run('key generate-asymmetric-pair ec --curve secp384r1 --public-label ec2-public --private-label ec2-private')).error_code).toBe(0);
    expect(await run('key generate-file --encoding reference-pem --path x.pem --filter attr.class=private-key')).toMatchObject({
      error_code: 1,
      data: 'Key selection criteria matched 2 keys. Refine selection criteria to select a single key.',
    });
  });
});
