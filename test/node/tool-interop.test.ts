/**
 * Interoperability of `hsm-playground` output with OpenSSL, through real files in the working
 * directory: an ECDSA signature printed by `crypto sign ecdsa` (raw r‖s, converted to DER here)
 * verifies with `openssl dgst -verify` against the public key written by `key generate-file
 * --encoding pem`; an HMAC printed by `crypto mac generate hmac` over a key brought in by
 * `key unwrap rsa-oaep` (so its bytes are known) equals `openssl dgst -mac HMAC`.
 */
import { execFileSync } from 'node:child_process';
import { constants, publicEncrypt } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conversation, ok, tempDir } from './tool-harness.ts';

const SLOW = 60_000;

function openssl(args: readonly string[], options: { cwd: string; input?: Uint8Array }): string {
  try {
    return execFileSync('openssl', args, { cwd: options.cwd, input: options.input, encoding: 'utf8' });
  } catch (error) {
    const e = error as { code?: string; stdout?: string; stderr?: string };
    if (e.code === 'ENOENT') throw new Error('openssl is not installed (Debian: apt-get install -y openssl)');
    return `${e.stdout ?? ''}${e.stderr ?? ''}`;
  }
}

/** One DER INTEGER of an unsigned big-endian value. */
function derInteger(bytes: Uint8Array): number[] {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const value = [...bytes.subarray(start)];
  if (value[0]! & 0x80) value.unshift(0);
  return [0x02, value.length, ...value];
}

/** Raw ECDSA r‖s → DER `SEQUENCE { INTEGER r, INTEGER s }` (short-form lengths suffice up to P-384). */
function rawToDer(raw: Uint8Array): Uint8Array {
  const half = raw.length / 2;
  const body = [...derInteger(raw.subarray(0, half)), ...derInteger(raw.subarray(half))];
  if (body.length > 127) throw new RangeError('signature too long for this helper');
  return new Uint8Array([0x30, body.length, ...body]);
}

describe('hsm-playground output checked by openssl', () => {
  let dir: string;
  let tool: Conversation;

  beforeAll(async () => {
    expect(openssl(['version'], { cwd: '/' })).toMatch(/^OpenSSL \d/);
    dir = await tempDir('hsm-tool-interop-');
    tool = new Conversation(['--hsms', '2'], { cwd: dir });
    ok(await tool.send('cluster activate --password admin-pass-1'));
    ok(await tool.send('login --username admin --role admin --password admin-pass-1'));
    ok(await tool.send('user create --username cu1 --role crypto-user --password cu1-pass-1'));
    ok(await tool.send('logout'));
    ok(await tool.send('login --username cu1 --role crypto-user --password cu1-pass-1'));
  }, SLOW);

  afterAll(async () => {
    tool.write('quit');
    await tool.end();
  });

  it(
    'an ECDSA P-256 signature of a file verifies with openssl against the exported PEM public key',
    async () => {
      ok(await tool.send('key generate-asymmetric-pair ec --curve prime256v1 --public-label ec-pub --private-label ec-priv --private-attributes sign=true'));
      // relative paths are resolved against the tool's working directory
      expect(await tool.send('key generate-file --encoding pem --path pub.pem --filter attr.label=ec-pub')).toEqual({
        error_code: 0,
        data: { message: 'Successfully generated key file' },
      });
      expect(readFileSync(join(dir, 'pub.pem'), 'utf8')).toContain('-----BEGIN PUBLIC KEY-----');
      const message = new TextEncoder().encode('signed inside a simulated HSM\n');
      writeFileSync(join(dir, 'message.txt'), message);

      const { signature } = ok<{ signature: string }>(await tool.send('crypto sign ecdsa --key-filter attr.label=ec-priv --hash-function sha256 --data-path message.txt'));
      const raw = Buffer.from(signature, 'base64');
      expect(raw).toHaveLength(64);
      writeFileSync(join(dir, 'sig.der'), rawToDer(raw));
      expect(openssl(['dgst', '-sha256', '-verify', 'pub.pem', '-signature', 'sig.der', 'message.txt'], { cwd: dir })).toContain('Verified OK');

      // and openssl notices a changed message: the check above is not vacuous
      writeFileSync(join(dir, 'other.txt'), 'signed inside a simulated HSM!\n');
      expect(openssl(['dgst', '-sha256', '-verify', 'pub.pem', '-signature', 'sig.der', 'other.txt'], { cwd: dir })).toContain('Verification failure');
    },
    SLOW,
  );

  it(
    'an HMAC-SHA256 over a key unwrapped from known bytes equals openssl dgst -mac HMAC',
    async () => {
      ok(
        await tool.send(
          'key generate-asymmetric-pair rsa --modulus-size-bits 2048 --public-exponent 65537 --public-label rsa-pub --private-label rsa-priv --private-attributes unwrap=true --public-attributes wrap=true',
        ),
      );
      ok(await tool.send('key generate-file --encoding pem --path rsa-pub.pem --filter attr.label=rsa-pub'));
      const hmacKey = Buffer.from('00112233445566778899aabbccddeeff0f1e2d3c4b5a69788796a5b4c3d2e1f0', 'hex');
      const wrapped = publicEncrypt(
        { key: readFileSync(join(dir, 'rsa-pub.pem')), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
        hmacKey,
      ).toString('base64');
      const unwrapped = ok<{ key: { attributes: Record<string, unknown> } }>(
        await tool.send(
          `key unwrap rsa-oaep --filter attr.label=rsa-priv --key-type-class generic-secret --label hmac-key --data ${wrapped} --hash-function sha256 --mgf mgf1-sha256 --attributes sign=true verify=true`,
        ),
      );
      expect(unwrapped.key.attributes).toMatchObject({ 'key-type': 'generic-secret', local: false, 'key-length-bytes': 32 });

      const data = Buffer.from('The quick brown fox jumps over the lazy dog');
      const { mac } = ok<{ mac: string }>(await tool.send(`crypto mac generate hmac --key-filter attr.label=hmac-key --hash-function sha256 --data ${data.toString('base64')}`));
      const expected = openssl(['dgst', '-sha256', '-mac', 'HMAC', '-macopt', `hexkey:${hmacKey.toString('hex')}`, '-r'], { cwd: dir, input: data }).split(' ')[0];
      expect(expected).toMatch(/^[0-9a-f]{64}$/);
      expect(Buffer.from(mac, 'base64').toString('hex')).toBe(expected);
      // the MAC also verifies inside the HSM, and a changed one does not
      expect(await tool.send(`crypto mac verify hmac --key-filter attr.label=hmac-key --hash-function sha256 --data ${data.toString('base64')} --mac ${mac}`)).toEqual({
        error_code: 0,
        data: { message: 'MAC verified successfully' },
      });
    },
    SLOW,
  );
});
