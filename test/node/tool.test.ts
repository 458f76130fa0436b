/**
 * `hsm-playground` in piped mode, run for real (the package.json bin, through `npx` once): a script
 * on stdin answered one JSON document per command, prompts on stderr answered by the next line,
 * comments and blank lines silent, help as plain text, and seeded runs byte-identical.
 */
import { describe, expect, it } from 'vitest';
import { Conversation, ok, runTool, splitAnswers, type Envelope } from './tool-harness.ts';

const SLOW = 60_000;

const SCRIPT = [
  '# set up a cluster from scratch',
  '',
  'cluster hsm-info',
  'user list',
  'cluster activate',
  'admin-pass-1',
  'admin-pass-1',
  'login --username admin --role admin --password admin-pass-1',
  'user create --username cu1 --role crypto-user --password cu1-pass-1',
  'key generate-symmetric aes --label not-for-admins --key-length-bytes 32',
  'logout',
  '   # an indented comment',
  'login --username cu1 --role crypto-user',
  'cu1-pass-1',
  'key generate-asymmetric-pair ec --curve prime256v1 --public-label ec-pub --private-label ec-priv --private-attributes sign=true --public-attributes verify=true',
  'crypto sign ecdsa --key-filter attr.label=ec-priv --hash-function sha256 --data YWJjMTIz',
  'crypto verify ecdsa --key-filter attr.label=ec-pub --hash-function sha256 --data YWJjMTIz --signature AAAA',
  'key list',
  'help crypto sign',
].join('\n');

function answersAndHelp(stdout: string): { answers: Envelope[]; help: string } {
  const at = stdout.indexOf("Commands under 'crypto sign'");
  expect(at).toBeGreaterThan(0);
  return { answers: splitAnswers(stdout.slice(0, at)) as Envelope[], help: stdout.slice(at) };
}

describe('hsm-playground with a script on stdin', () => {
  it(
    'answers each command with one JSON document, reads prompts from the next line and exits 0',
    async () => {
      const run = await runTool(['--hsms', '2'], { stdin: `${SCRIPT}\n`, viaNpx: true });
      expect(run.code).toBe(0);
      const { answers, help } = answersAndHelp(run.stdout);
      // 12 commands before help: comments, blanks and the prompt answers print nothing
      expect(answers).toHaveLength(12);
      const [info, users, activate, adminLogin, create, refused, logout, cuLogin, pair, sign, verify, list] = answers;

      expect(ok<{ hsms: unknown[] }>(info).hsms).toHaveLength(2);
      const before = ok<{ users: { username: string; role: string; locked: string }[] }>(users).users;
      expect(before.find((u) => u.username === 'admin')).toMatchObject({ role: 'unactivated-admin', locked: 'false' });
      expect(activate).toEqual({ error_code: 0, data: 'Cluster activation successful' });
      expect(adminLogin).toEqual({ error_code: 0, data: { username: 'admin', role: 'admin' } });
      expect(create).toEqual({ error_code: 0, data: { username: 'cu1', role: 'crypto-user' } });
      expect(refused!.error_code).toBe(1);
      expect(typeof refused!.data).toBe('string');
      expect(logout).toEqual({ error_code: 0, data: 'Logout successful' });
      expect(cuLogin).toEqual({ error_code: 0, data: { username: 'cu1', role: 'crypto-user' } });

      const keys = ok<{ public_key: { 'key-reference': string; attributes: Record<string, unknown> }; private_key: { 'key-reference': string; attributes: Record<string, unknown> } }>(pair);
      expect(keys.private_key.attributes).toMatchObject({ 'key-type': 'ec', class: 'private-key', label: 'ec-priv', sign: true, curve: 'prime256v1' });
      expect(keys.public_key.attributes['ec-point']).toMatch(/^0x04[0-9a-f]{128}$/);
      const signature = ok<{ 'key-reference': string; signature: string }>(sign);
      expect(signature['key-reference']).toBe(keys.private_key['key-reference']);
      expect(Buffer.from(signature.signature, 'base64')).toHaveLength(64); // raw r‖s on P-256
      expect(verify!.error_code).toBe(1);
      const listed = ok<{ matched_keys: { 'key-reference': string }[]; total_key_count: number }>(list);
      expect(listed.matched_keys.map((k) => k['key-reference']).sort()).toEqual([keys.private_key['key-reference'], keys.public_key['key-reference']].sort());
      expect(help).toContain('crypto sign ecdsa');
      expect(help.trimStart().startsWith('{')).toBe(false);

      // the three prompts went to stderr, never stdout; no password was echoed anywhere
      expect(run.stderr).toContain('Enter password:');
      expect(run.stderr).toContain('Confirm password:');
      expect(run.stderr.split('Enter password:')).toHaveLength(3);
      expect(run.stdout).not.toContain('Enter password');
      expect(run.stdout + run.stderr).not.toContain('cu1-pass-1\n');
    },
    SLOW,
  );

  it(
    'writes each answer before reading the next line, so a script can use it (sign, then verify that signature)',
    async () => {
      const tool = new Conversation(['--hsms', '1']);
      ok(await tool.send('cluster activate --password admin-pass-1'));
      ok(await tool.send('login --username admin --role admin --password admin-pass-1'));
      ok(await tool.send('user create --username cu1 --role crypto-user --password cu1-pass-1'));
      ok(await tool.send('logout'));
      // a prompt arrives on stderr, and nothing on stdout until the password line is sent
      tool.write('login --username cu1 --role crypto-user');
      await tool.stderrShows('Enter password:');
      expect(tool.pendingStdout()).toBe('');
      expect(await tool.send('cu1-pass-1')).toEqual({ error_code: 0, data: { username: 'cu1', role: 'crypto-user' } });
      ok(await tool.send('key generate-asymmetric-pair ec --curve secp384r1 --public-label p --private-label s --private-attributes sign=true --public-attributes verify=true'));
      const { signature } = ok<{ signature: string }>(await tool.send('crypto sign ecdsa --key-filter attr.label=s --hash-function sha384 --data aGVsbG8='));
      expect(Buffer.from(signature, 'base64')).toHaveLength(96);
      expect(await tool.send(`crypto verify ecdsa --key-filter attr.label=p --hash-function sha384 --data aGVsbG8= --signature ${signature}`)).toEqual({
        error_code: 0,
        data: { message: 'Signature verified successfully' },
      });
      expect(await tool.send(`crypto verify ecdsa --key-filter attr.label=p --hash-function sha384 --data aGVsbG8h --signature ${signature}`)).toEqual({
        error_code: 1,
        data: 'Signature verification failed',
      });
      // `quit` ends the run with status 0 even though input is still open
      tool.write('quit');
      expect(await tool.end()).toBe(0);
    },
    SLOW,
  );

  it(
    'answers unknown commands and bad flags with an error document and carries on',
    async () => {
      const run = await runTool(['--hsms', '1'], { stdin: 'key generat\nuser list --bogus\nuser list\n' });
      expect(run.code).toBe(0);
      const [unknown, badFlag, list] = splitAnswers(run.stdout) as Envelope[];
      expect(unknown!.error_code).toBe(1);
      expect(String(unknown!.data)).toContain('generate');
      expect(badFlag!.error_code).toBe(1);
      expect(String(badFlag!.data)).toContain('bogus');
      expect(list!.error_code).toBe(0);
    },
    SLOW,
  );

  it(
    'reports a command whose prompt finds the input ended, and still exits 0',
    async () => {
      const run = await runTool(['--hsms', '1'], { stdin: 'cluster activate\n' });
      expect(run.code).toBe(0);
      const [answer] = splitAnswers(run.stdout) as Envelope[];
      expect(answer!.error_code).toBe(1);
      expect(String(answer!.data)).toContain('Input ended');
      expect(run.stderr).toContain('Enter password:');
    },
    SLOW,
  );

  it(
    'prints byte-identical output for the same --seed, and different keys for another seed',
    async () => {
      const script = SCRIPT.replace('\nhelp crypto sign', '');
      const [a, b, c] = await Promise.all([
        runTool(['--seed', 'tutorial-1'], { stdin: script }),
        runTool(['--seed', 'tutorial-1'], { stdin: script }),
        runTool(['--seed', 'tutorial-2'], { stdin: script }),
      ]);
      expect(a.code).toBe(0);
      expect(splitAnswers(a.stdout)).toHaveLength(12);
      expect(b.stdout).toBe(a.stdout);
      const signature = (out: string): string => (splitAnswers(out)[9] as { data: { signature: string } }).data.signature;
      expect(signature(c.stdout)).not.toBe(signature(a.stdout));
    },
    SLOW,
  );
});
