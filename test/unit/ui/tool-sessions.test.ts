/**
 * The page's tool switch logic on a real in-process cluster: each (page session, tool) pair gets
 * its own connection with its own login, the prompt/completion/executor follow the chosen tool,
 * CMU's y/n confirmation goes through the Io prompt, `quit`/`exit` log the tool out and return to
 * cloudhsm-cli, and a key made with KMU is seen by cloudhsm-cli on the page session.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { execute } from '../../../src/cli/cloudhsm-cli/execute.ts';
import { PROMPT as CLI_PROMPT } from '../../../src/cli/cloudhsm-cli/table.ts';
import { ioOverFiles, VirtualFiles } from '../../../src/cli/files.ts';
import type { ClusterSession } from '../../../src/cli/session-port.ts';
import { TOOLS } from '../../../src/cli/tools.ts';
import type { Cluster } from '../../../src/cluster/cluster.ts';
import { parseToolName, TOOL_CHOICES, ToolSessions, type ToolHost } from '../../../src/ui/tool-sessions.ts';
import { newCluster } from '../cli/cmu-kmu-world.ts';

let cluster: Cluster;
let pageSession: ClusterSession;
let opened: ClusterSession[];
let loads: number;
let prompts: string[];
let tools: ToolSessions;
let changes: string[];
let seed = 0;

beforeEach(async () => {
  cluster = await newCluster(`tool-sessions-${seed++}`);
  pageSession = cluster.openSession();
  opened = [];
  loads = 0;
  prompts = [];
  changes = [];
  const host: ToolHost = {
    openSession: () => {
      const s = cluster.openSession();
      opened.push(s);
      return s;
    },
    get hsms() {
      return cluster.hsms;
    },
  };
  const io = ioOverFiles(new VirtualFiles(), async (text) => {
    prompts.push(text);
    return 'y';
  });
  tools = new ToolSessions(host, io, async () => {
    loads++;
    return TOOLS;
  });
  tools.onChange((t) => changes.push(t));
});

async function ok(line: string): Promise<string> {
  const a = await tools.run(line);
  if (a.failed) throw new Error(`${line} failed:\n${a.output}`);
  return a.output;
}

/** Activates the cluster with CMU and creates crypto user alice; leaves CMU logged in as CO. */
async function activateWithCmu(): Promise<void> {
  await tools.select('cmu');
  await ok('loginHSM PRECO admin password');
  await ok('changePswd PRECO admin Admin-pw1');
  await ok('logoutHSM');
  await ok('loginHSM CO admin Admin-pw1');
  await ok('createUser CU alice Passw0rd!');
}

describe('tool choices', () => {
  it('lists cloudhsm-cli first, then CMU and KMU, each naming its program', () => {
    expect(TOOL_CHOICES.map((c) => [c.name, c.program])).toEqual([
      ['cli', 'cloudhsm-cli'],
      ['cmu', 'cloudhsm_mgmt_util'],
      ['kmu', 'key_mgmt_util'],
    ]);
  });

  it('parses the three names and refuses anything else by name', () => {
    expect(TOOL_CHOICES.map((c) => parseToolName(c.name))).toEqual(['cli', 'cmu', 'kmu']);
    expect(() => parseToolName('CMU')).toThrow('unknown tool "CMU": expected one of cli, cmu, kmu');
  });
});

describe('ToolSessions', () => {
  it('starts on cloudhsm-cli without loading the legacy tools or opening a connection', () => {
    expect(tools.current).toBe('cli');
    expect(tools.prompt()).toBe(CLI_PROMPT);
    expect(tools.complete('key l', 5).candidates).toEqual([]);
    expect(loads).toBe(0);
    expect(opened).toHaveLength(0);
  });

  it('refuses to run a cloudhsm-cli line (those run on the page session)', async () => {
    await expect(tools.run('key list')).rejects.toThrow('ToolSessions.run is for CMU and KMU');
  });

  it('gives CMU and KMU each one new connection, loading the tools once', async () => {
    expect(await tools.select('cmu')).toBe(true);
    expect(tools.prompt()).toBe('aws-cloudhsm> ');
    expect(await tools.select('kmu')).toBe(true);
    expect(tools.prompt()).toBe('Command: ');
    expect(await tools.select('cmu')).toBe(false);
    expect(await tools.select('cli')).toBe(false);
    expect(loads).toBe(1);
    expect(opened).toHaveLength(2);
    expect(opened[0]).not.toBe(opened[1]);
    expect(tools.sessionOf('cmu')).toBe(opened[0]);
    expect(tools.sessionOf('kmu')).toBe(opened[1]);
    expect(changes).toEqual(['cmu', 'kmu', 'cmu', 'cli']);
  });

  it('completes with the chosen tool’s table', async () => {
    await tools.select('cmu');
    expect(tools.complete('loginH', 6).candidates).toEqual(['loginHSM']);
    await tools.select('kmu');
    expect(tools.complete('genSym', 6).candidates).toEqual(['genSymKey']);
  });

  it('logs CMU in on its own connection, not on the page session, and prints the CMU user table', async () => {
    await tools.select('cmu');
    const login = await tools.run('loginHSM PRECO admin password');
    expect(login.failed).toBe(false);
    expect(login.output).toMatch(/loginHSM success on server 0\(/);
    expect(tools.sessionOf('cmu')?.identity).toEqual({ username: 'admin', role: 'unactivated-admin' });
    expect(pageSession.identity).toBeUndefined();
    const users = await ok('listUsers');
    expect(users).toMatch(/Users on server 0\(/);
    expect(users).toMatch(/User Id\s+User Type\s+User Name/);
    expect(users).toMatch(/\b1\s+PRECO\s+admin\b/);
  });

  it('asks CMU’s y/n confirmation through the Io prompt', async () => {
    await activateWithCmu();
    expect(prompts.filter((p) => p.includes('(y/n)')).length).toBeGreaterThan(0);
  });

  it('follows CMU’s server mode in the prompt', async () => {
    await tools.select('cmu');
    await ok('server 0');
    expect(tools.prompt()).toBe('server0> ');
  });

  it('reports a refused legacy command as failed', async () => {
    await tools.select('kmu');
    const a = await tools.run('genSymKey -t 31 -s 32 -l nobody');
    expect(a.failed).toBe(true);
  });

  it('lets a key made with KMU be listed by cloudhsm-cli on the page session', async () => {
    await activateWithCmu();
    await tools.select('kmu');
    await ok('loginHSM -u CU -s alice -p Passw0rd!');
    expect(await ok('genSymKey -t 31 -s 32 -l k1')).toMatch(/Key Handle: \d+/);
    await tools.select('cli');
    const io = ioOverFiles(new VirtualFiles(), async () => '');
    expect((await execute('login --username alice --role crypto-user --password Passw0rd!', { session: pageSession, io })).envelope?.error_code).toBe(0);
    const list = await execute('key list --verbose', { session: pageSession, io });
    expect(list.output).toContain('"label": "k1"');
  });

  it('ends a tool on quit/exit: logs it out, returns to cloudhsm-cli, and opens a fresh connection next time', async () => {
    await tools.select('cmu');
    await ok('loginHSM PRECO admin password');
    const first = tools.sessionOf('cmu');
    const quit = await tools.run('quit');
    expect(quit.ended).toBe('cloudhsm_mgmt_util ended (its login closed); back to cloudhsm-cli.');
    expect(first?.identity).toBeUndefined();
    expect(tools.current).toBe('cli');
    expect(changes.at(-1)).toBe('cli');
    expect(tools.sessionOf('cmu')).toBeUndefined();
    expect(await tools.select('cmu')).toBe(true);
    expect(tools.sessionOf('cmu')).not.toBe(first);
  });

  it('logs out every tool connection when the page session closes', async () => {
    await tools.select('cmu');
    await ok('loginHSM PRECO admin password');
    const cmu = tools.sessionOf('cmu');
    await tools.closeAll();
    expect(cmu?.identity).toBeUndefined();
    expect(tools.sessionOf('cmu')).toBeUndefined();
  });
});
