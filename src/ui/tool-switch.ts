/**
 * The tool switch of a page session: a labelled select (cloudhsm-cli, CMU, KMU) above the
 * terminal, with a one-line hint saying that each tool is its own client connection with its own
 * login, and a live line naming who the chosen tool is logged in as. Choosing a tool changes the
 * terminal's prompt, completion and executor (through {@link ToolSessions}); the terminal notes
 * the change in its log. A native select, so it is keyboard-usable and announced by its label.
 * @module
 */
import { roleBadge, roleOf } from './roles.ts';
import { h } from './dom.ts';
import type { Terminal } from './terminal.ts';
import { parseToolName, TOOL_CHOICES, type ToolSessions } from './tool-sessions.ts';
import type { ToolName } from '../cli/tools.ts';

export const TOOL_HINT =
  'Each tool is its own client connection with its own login, as on a real machine: CMU and KMU start not logged in (use loginHSM); the badge and buttons follow the CloudHSM CLI login.';

export class ToolSwitch {
  readonly element: HTMLElement;
  readonly select: HTMLSelectElement;
  readonly #login: HTMLElement;
  readonly #tools: ToolSessions;
  readonly #terminal: Terminal;

  constructor(tools: ToolSessions, terminal: Terminal, options: { readonly id: string; readonly name: string }) {
    this.#tools = tools;
    this.#terminal = terminal;
    const selectId = `${options.id}-tool`;
    const hintId = `${options.id}-tool-hint`;
    this.select = h(
      'select',
      { id: selectId, class: 'tool-select', 'aria-describedby': hintId },
      ...TOOL_CHOICES.map((c) => h('option', { value: c.name }, `${c.label} — ${c.program}`)),
    );
    this.#login = h('span', { class: 'tool-login', 'aria-live': 'polite' });
    this.element = h(
      'div',
      { class: 'tool-switch' },
      h('label', { for: selectId }, `Tool for ${options.name}`),
      ' ',
      this.select,
      ' ',
      this.#login,
      h('p', { id: hintId, class: 'tool-hint' }, TOOL_HINT),
    );
    this.select.addEventListener('change', () => void this.choose(parseToolName(this.select.value)));
    tools.onChange((tool) => {
      this.select.value = tool;
      this.#terminal.refreshPrompt();
      this.refresh();
    });
    this.refresh();
  }

  /** Switches the terminal to `tool` and notes it in the log (what the select's change does). */
  async choose(tool: ToolName): Promise<void> {
    try {
      const opened = await this.#tools.select(tool);
      const choice = TOOL_CHOICES.find((c) => c.name === tool);
      const how = tool === 'cli' ? 'the session’s own login' : opened ? 'a new connection, not logged in: loginHSM to log in' : 'its connection as you left it';
      this.#terminal.note(`Now typing to ${choice?.program ?? tool} (${how}).`);
    } catch (error) {
      this.#terminal.note(`Could not switch to ${tool}: ${(error as Error).message}`);
      this.select.value = this.#tools.current;
    }
  }

  /** Re-reads who the current tool's connection is logged in as (after each command). */
  refresh(): void {
    const tool = this.#tools.current;
    if (tool === 'cli') {
      this.#login.textContent = '';
      return;
    }
    const identity = this.#tools.sessionOf(tool)?.identity;
    this.#login.textContent = identity ? `${tool.toUpperCase()} logged in as ${identity.username} (${roleBadge(roleOf(identity)).short})` : `${tool.toUpperCase()} not logged in`;
  }
}
