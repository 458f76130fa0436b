/**
 * The tool switch in real Chromium DOM: a select labelled and described by the hint; choosing CMU
 * or KMU changes the terminal's prompt and completion, notes the change in the log and shows the
 * tool's login line; a typed CMU line runs on the tool's connection, and `quit` brings the select
 * back to cloudhsm-cli. The cluster is a fake session that answers every request with a refusal.
 */
import { describe, expect, it } from 'vitest';
import type { ClusterSession } from '../../src/cli/session-port.ts';
import { TOOLS } from '../../src/cli/tools.ts';
import { VirtualFiles, ioOverFiles } from '../../src/cli/files.ts';
import { Terminal } from '../../src/ui/terminal.ts';
import { ToolSessions } from '../../src/ui/tool-sessions.ts';
import { TOOL_HINT, ToolSwitch } from '../../src/ui/tool-switch.ts';

function fakeSession(): ClusterSession {
  return { clusterId: 'cluster-fake', identity: undefined, request: async () => ({ error_code: 1, data: 'fake cluster' }) } as unknown as ClusterSession;
}

function mount() {
  let terminal!: Terminal;
  const io = ioOverFiles(new VirtualFiles(), (text, o) => terminal.prompt(text, o.secret));
  const tools = new ToolSessions({ openSession: fakeSession, hsms: [{ index: 0, ip: '10.0.0.1', state: 'live' }] }, io, async () => TOOLS);
  terminal = new Terminal(
    {
      run: async (line) => (tools.current === 'cli' ? { output: `cli ran ${line}`, failed: false } : tools.run(line)),
      complete: (line, cursor) => (tools.current === 'cli' ? { start: 0, candidates: ['cli-word'] } : tools.complete(line, cursor)),
      prompt: () => tools.prompt(),
    },
    { id: 'sw', name: 'Session S' },
  );
  const toolSwitch = new ToolSwitch(tools, terminal, { id: 'sw', name: 'Session S' });
  document.body.replaceChildren(toolSwitch.element, terminal.element);
  return { tools, terminal, toolSwitch };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
}

const promptText = () => document.querySelector('.term-prompt')?.textContent;

describe('ToolSwitch', () => {
  it('is a select labelled with the session and described by the login hint', () => {
    const { toolSwitch } = mount();
    expect(toolSwitch.select.labels[0]?.textContent).toBe('Tool for Session S');
    const hint = document.getElementById(toolSwitch.select.getAttribute('aria-describedby') ?? '');
    expect(hint?.textContent).toBe(TOOL_HINT);
    expect([...toolSwitch.select.options].map((o) => o.value)).toEqual(['cli', 'cmu', 'kmu']);
    expect(toolSwitch.select.value).toBe('cli');
    expect(promptText()).toBe('aws-cloudhsm > ');
  });

  it('changes prompt, completion and log note when CMU then KMU are chosen', async () => {
    const { toolSwitch, tools } = mount();
    toolSwitch.select.value = 'cmu';
    toolSwitch.select.dispatchEvent(new Event('change'));
    await until(() => promptText() === 'aws-cloudhsm> ');
    expect(document.querySelector('.term-note:last-child')?.textContent).toBe('Now typing to cloudhsm_mgmt_util (a new connection, not logged in: loginHSM to log in).');
    expect(document.querySelector('.tool-login')?.textContent).toBe('CMU not logged in');
    expect(tools.complete('listU', 5).candidates).toEqual(['listUsers']);
    await toolSwitch.choose('kmu');
    expect(promptText()).toBe('Command: ');
    await toolSwitch.choose('cmu');
    expect(document.querySelector('.term-note:last-child')?.textContent).toBe('Now typing to cloudhsm_mgmt_util (its connection as you left it).');
  });

  it('runs a CMU line on the tool and returns to cloudhsm-cli on quit', async () => {
    const { toolSwitch, terminal } = mount();
    await toolSwitch.choose('cmu');
    const answer = await terminal.run('quit');
    expect(answer.failed).toBe(false);
    expect(toolSwitch.select.value).toBe('cli');
    expect(promptText()).toBe('aws-cloudhsm > ');
    expect((await terminal.run('key list')).output).toBe('cli ran key list');
  });
});
