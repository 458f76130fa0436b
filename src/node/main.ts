/**
 * The `hsm-playground` command-line tool: reads the options, brings up the cluster (memory or
 * `--state DIR`), and runs one of three modes — the interactive shell (terminal input), piped
 * script mode (one command per line), or one command given as words — or a subcommand of the tool
 * itself (`transcript`). Exit status: 0 success, 1 a failed single command or a cluster that
 * cannot start, 2 bad options.
 * @module
 */
import { askHidden } from './hidden-prompt.ts';
import { LineReader, lazyLines } from './line-reader.ts';
import { ClusterSessions, multiClusterTool } from './multi-cluster.ts';
import { nodeIo } from './node-io.ts';
import { OptionConflictError, openCluster } from './open-cluster.ts';
import { parseOptions } from './options.ts';
import { writeLine, writeText, type TextSink } from './output.ts';
import { pipedIo, runScript } from './script-mode.ts';
import { runShell } from './shell.ts';
import { runSingleCommand } from './single-command.ts';
import { SUBCOMMANDS } from './subcommands.ts';
import { TOOLS } from './tools.ts';
import { usageText } from './usage.ts';
import { toolVersion } from './version.ts';

export interface MainIo {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function complain(stderr: TextSink, message: string): Promise<void> {
  await writeLine(stderr, `hsm-playground: ${message}`);
}

/** Run the tool; resolves with the exit status. */
export async function main(io: MainIo): Promise<number> {
  const parsed = parseOptions(io.argv, [...TOOLS.keys()]);
  if (!parsed.ok) {
    await complain(io.stderr, parsed.message);
    await writeLine(io.stderr, "Try 'hsm-playground --help'.");
    return 2;
  }
  const options = parsed.options;
  if (options.help) {
    await writeText(io.stdout, usageText([...TOOLS.keys()]));
    return 0;
  }
  if (options.version) {
    await writeLine(io.stdout, `hsm-playground ${toolVersion()}`);
    return 0;
  }
  const subcommand = options.words[0] === undefined ? undefined : SUBCOMMANDS.get(options.words[0]);
  if (subcommand) return subcommand(options.words.slice(1), options, { stdout: io.stdout, stderr: io.stderr });

  const baseTool = TOOLS.get(options.tool);
  if (!baseTool) {
    await complain(io.stderr, `no tool named '${options.tool}'`);
    return 2;
  }

  let opened;
  try {
    opened = await openCluster(options);
  } catch (error) {
    await complain(io.stderr, messageOf(error));
    return error instanceof OptionConflictError ? 2 : 1;
  }
  try {
    const session = opened.cluster.openSession();
    const ctx = { cluster: opened.cluster, session };
    // With several clusters (--clone-cluster, or a --state holding more), `--cluster-id` picks one.
    const tool = opened.registry && opened.registry.list().length > 1 ? multiClusterTool(baseTool, new ClusterSessions(opened.registry, session)) : baseTool;
    if (options.words.length > 0) {
      const toolIo = io.stdin.isTTY
        ? nodeIo((text, { secret }) => askHidden(io.stdin, io.stderr, text, secret))
        : pipedIo({ input: lazyLines(() => io.stdin.setEncoding('utf8')), stdout: io.stdout, stderr: io.stderr });
      const result = await runSingleCommand(tool, { ...ctx, io: toolIo }, options.words, io.env);
      await writeLine(io.stdout, result.output);
      return result.exitCode;
    }
    if (io.stdin.isTTY) return await runShell(tool, ctx, { input: io.stdin, output: io.stdout });
    return await runScript(tool, ctx, { input: new LineReader(io.stdin.setEncoding('utf8')), stdout: io.stdout, stderr: io.stderr });
  } finally {
    await opened.close();
  }
}

