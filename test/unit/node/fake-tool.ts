/**
 * A small stand-in for an emulated tool in the src/node unit tests: records the lines it runs,
 * answers `ask <text>` by prompting (hidden when the text starts with "secret", and then
 * reporting only the answer's length), `fail` with
 * error_code 1, `bye` by asking to exit, and completes from a fixed word list.
 * @module
 */
import type { EmulatedTool, ToolContext } from '../../../src/node/tools.ts';
import type { Cluster } from '../../../src/cluster/cluster.ts';
import type { ClusterSession } from '../../../src/cluster/session.ts';

export const WORDS = ['cluster', 'crypto', 'key', 'login', 'logout', 'quit'];

export function fakeTool(): EmulatedTool & { readonly lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    program: 'fake-cli',
    table: { program: 'fake-cli', commands: [], commonFlags: [] },
    prompt: 'fake > ',
    async execute(line, ctx) {
      lines.push(line);
      const [word, ...rest] = line.trim().split(/\s+/);
      if (word === 'ask') {
        const text = rest.join(' ');
        try {
          const secret = text.startsWith('secret');
          const typed = await ctx.io.prompt(text, { secret });
          // a secret answer is reported by its length only, so tests can check it never shows
          const answer = secret ? `${typed.length} characters` : typed;
          return { output: JSON.stringify({ error_code: 0, data: answer }), envelope: { error_code: 0, data: answer } };
        } catch (error) {
          return { output: JSON.stringify({ error_code: 1, data: (error as Error).message }), envelope: { error_code: 1, data: (error as Error).message } };
        }
      }
      if (word === 'fail') return { output: '{"error_code":1,"data":"failed"}', envelope: { error_code: 1, data: 'failed' } };
      if (word === 'bye') return { output: '', exit: true };
      if (word === 'help') return { output: 'plain help text' };
      return { output: JSON.stringify({ error_code: 0, data: line }), envelope: { error_code: 0, data: line } };
    },
    complete(line) {
      const start = line.lastIndexOf(' ') + 1;
      const current = line.slice(start);
      return { start, candidates: WORDS.filter((w) => w.startsWith(current)) };
    },
    formatFailure: (message) => JSON.stringify({ error_code: 1, data: message }),
    loginLine: (role, username, password) => (role === 'bad' ? { error: 'bad role' } : { line: `login ${username} ${role} ${password}` }),
  };
}

/** The tool context minus io: the fake tool never touches the cluster. */
export const NO_CLUSTER = { cluster: undefined as unknown as Cluster, session: undefined as unknown as ClusterSession } satisfies Omit<ToolContext, 'io'>;
