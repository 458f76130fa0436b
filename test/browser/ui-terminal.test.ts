/**
 * The terminal and the permission table in real Chromium DOM: Enter runs, answers are
 * pretty-printed with a copy button, ↑/↓ walk the history, Tab completes, prompts hide what is
 * typed, a refusal shows its explanation; the permission table is drawn from POLICY and highlights
 * one column.
 */
import { describe, expect, it } from 'vitest';
import { ROLES } from '../../src/hsm/policy.ts';
import { PermissionTable } from '../../src/ui/permission-table.ts';
import { Terminal, type TerminalAnswer, type TerminalBackend } from '../../src/ui/terminal.ts';

function key(input: HTMLInputElement, k: string): void {
  input.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
}

function submit(input: HTMLInputElement, text: string): void {
  input.value = text;
  input.form?.requestSubmit();
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
}

function makeTerminal(run: (line: string, t: Terminal) => Promise<TerminalAnswer>) {
  const ran: string[] = [];
  let terminal!: Terminal;
  const backend: TerminalBackend = {
    run: (line) => {
      ran.push(line);
      return run(line, terminal);
    },
    complete: (line) => {
      const words = ['generate-symmetric', 'generate-asymmetric-pair', 'list'];
      const start = line.lastIndexOf(' ') + 1;
      return { start, candidates: words.filter((w) => w.startsWith(line.slice(start))) };
    },
  };
  terminal = new Terminal(backend, { id: 't1', name: 'Session T' });
  document.body.append(terminal.element);
  return { terminal, ran, input: terminal.input };
}

describe('Terminal', () => {
  it('runs a line on Enter and prints pretty JSON with a copy button, marking failures', async () => {
    const { terminal, ran, input } = makeTerminal(async (line) =>
      line === 'bad'
        ? { output: '{"error_code":1,"data":"only a crypto user may sign"}', failed: true, explanation: 'Refused for CO: only a crypto user (CU) may run this.' }
        : { output: '{"error_code":0,"data":{"users":[]}}', failed: false },
    );
    submit(input, 'user list');
    await until(() => terminal.element.querySelectorAll('.term-answer').length === 1);
    expect(ran).toEqual(['user list']);
    const answer = terminal.element.querySelector('.term-answer')!;
    expect(answer.querySelector('.term-output')!.textContent).toBe('{\n  "error_code": 0,\n  "data": {\n    "users": []\n  }\n}');
    expect(answer.querySelector('.json-key')!.textContent).toBe('"error_code"');
    expect(answer.querySelector('button.copy')!.getAttribute('aria-label')).toBe('Copy this answer');
    expect(answer.getAttribute('data-failed')).toBe('false');

    submit(input, 'bad');
    await until(() => terminal.element.querySelectorAll('.term-answer').length === 2);
    const refused = terminal.element.querySelectorAll('.term-answer')[1]!;
    expect(refused.getAttribute('data-failed')).toBe('true');
    expect(refused.querySelector('.term-explain')!.textContent).toBe('Refused for CO: only a crypto user (CU) may run this.');
    expect(terminal.element.querySelector('.term-log')!.getAttribute('role')).toBe('log');
    terminal.element.remove();
  });

  it('walks history with the arrow keys and completes with Tab', async () => {
    const { terminal, input } = makeTerminal(async () => ({ output: '{}', failed: false }));
    submit(input, 'first');
    submit(input, 'second');
    await until(() => terminal.element.querySelectorAll('.term-answer').length === 2);
    key(input, 'ArrowUp');
    expect(input.value).toBe('second');
    key(input, 'ArrowUp');
    expect(input.value).toBe('first');
    key(input, 'ArrowDown');
    key(input, 'ArrowDown');
    expect(input.value).toBe('');

    input.value = 'key gen';
    input.setSelectionRange(7, 7);
    key(input, 'Tab');
    expect(input.value).toBe('key generate-');
    expect(terminal.element.querySelector('.term-candidates')!.textContent).toBe('generate-symmetric  generate-asymmetric-pair');
    input.value = 'key li';
    input.setSelectionRange(6, 6);
    key(input, 'Tab');
    expect(input.value).toBe('key list ');
    terminal.element.remove();
  });

  it('asks secrets in a password field, echoes stars, and restores the command line', async () => {
    const { terminal, input } = makeTerminal(async (_line, t) => {
      const password = await t.prompt('Enter password:', true);
      return { output: JSON.stringify({ error_code: 0, data: `got ${password.length} characters` }), failed: false };
    });
    submit(input, 'cluster activate');
    await until(() => input.type === 'password');
    expect(terminal.element.querySelector('label')!.textContent).toBe('Enter password:');
    submit(input, 'hunter22');
    await until(() => terminal.element.querySelectorAll('.term-answer').length === 1);
    expect(terminal.element.textContent).not.toContain('hunter22');
    expect(terminal.element.textContent).toContain('********');
    expect(terminal.element.textContent).toContain('got 8 characters');
    expect(input.type).toBe('text');
    expect(terminal.element.querySelector('label')!.textContent).toBe('Command for Session T');
    terminal.element.remove();
  });

  it('Esc cancels a prompt', async () => {
    const { terminal, input } = makeTerminal(async (_line, t) => {
      try {
        await t.prompt('Username:', false);
        return { output: 'answered', failed: false };
      } catch (e) {
        return { output: `cancelled: ${(e as Error).message}`, failed: true };
      }
    });
    submit(input, 'x');
    await until(() => terminal.element.querySelector('.term-ask') !== null);
    key(input, 'Escape');
    await until(() => terminal.element.querySelectorAll('.term-answer').length === 1);
    expect(terminal.element.querySelector('.term-output')!.textContent).toBe('cancelled: cancelled');
    terminal.element.remove();
  });
});

describe('PermissionTable', () => {
  it('has a column per role and highlights only the current one', () => {
    const table = new PermissionTable();
    document.body.append(table.element);
    const headers = [...table.element.querySelectorAll('thead th')].map((th) => th.textContent);
    expect(headers).toEqual(['Operation', 'PRECO', 'CO', 'CU', 'AU', 'none', 'Commands']);
    table.highlight('crypto-user');
    const current = table.element.querySelectorAll('.current');
    expect([...current].every((c) => c.getAttribute('data-role') === 'crypto-user')).toBe(true);
    expect(current.length).toBe(table.element.querySelectorAll('tbody tr').length + 1);
    expect(table.element.querySelector('th[aria-current="true"]')!.textContent).toBe('CU');
    const sign = table.element.querySelector('tr[data-class="sign-verify"]')!;
    expect(sign.querySelector('td.commands')!.textContent).toContain('crypto sign ecdsa');
    expect([...sign.querySelectorAll('td[data-role]')].map((td) => td.textContent)).toEqual(ROLES.map((r) => (r === 'crypto-user' ? 'yes' : 'no')));
    table.highlight('admin');
    expect(table.element.querySelector('th[aria-current="true"]')!.textContent).toBe('CO');
    table.element.remove();
  });
});
