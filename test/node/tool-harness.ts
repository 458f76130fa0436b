/**
 * Runs the real `hsm-playground` command for the tool tests: the launcher named by package.json's
 * "bin" (the file `npx hsm-playground` executes), either once with all of stdin given, or as a live
 * conversation where each line sent waits for its JSON answer.
 * @module
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The launcher file package.json's "bin" names for `hsm-playground`. */
export function binPath(): string {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { bin?: Record<string, string> };
  const bin = manifest.bin?.['hsm-playground'];
  if (!bin) throw new Error('package.json has no bin entry for hsm-playground');
  return join(REPO_ROOT, bin);
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly stdin?: string;
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Run through `npx --offline hsm-playground` in the repository instead of `node <bin>`. */
  readonly viaNpx?: boolean;
}

function cleanEnv(extra: Readonly<Record<string, string | undefined>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.CLOUDHSM_ROLE;
  delete env.CLOUDHSM_PIN;
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

function start(args: readonly string[], options: RunOptions): ChildProcessWithoutNullStreams {
  const env = cleanEnv(options.env);
  return options.viaNpx
    ? spawn('npx', ['--offline', 'hsm-playground', ...args], { cwd: REPO_ROOT, env })
    : spawn(process.execPath, [binPath(), ...args], { cwd: options.cwd ?? REPO_ROOT, env });
}

/** Run the tool to completion with `stdin` as its whole input. */
export function runTool(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = start(args, options);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

/**
 * Split piped-mode stdout into its answers: each is one pretty-printed JSON document whose
 * closing brace stands alone at the start of a line.
 */
export function splitAnswers(stdout: string): unknown[] {
  const answers: unknown[] = [];
  let rest = stdout;
  while (rest.length > 0) {
    const end = rest.indexOf('\n}\n');
    if (end < 0) throw new Error(`Output does not end with a complete JSON document: ${JSON.stringify(rest.slice(0, 200))}`);
    answers.push(JSON.parse(rest.slice(0, end + 2)));
    rest = rest.slice(end + 3);
  }
  return answers;
}

export interface Envelope {
  readonly error_code: number;
  readonly data: unknown;
}

/**
 * A live piped session: {@link send} writes one line and resolves with the next JSON answer, so a
 * test can use an answer (a key reference, a file just written) to build the next line.
 */
export class Conversation {
  readonly #child: ChildProcessWithoutNullStreams;
  #stdout = '';
  #stderr = '';
  #waiting: (() => void) | undefined;
  #exit: Promise<number | null>;

  constructor(args: readonly string[], options: RunOptions = {}) {
    this.#child = start(args, options);
    this.#child.stdout.setEncoding('utf8').on('data', (c: string) => {
      this.#stdout += c;
      this.#waiting?.();
    });
    this.#child.stderr.setEncoding('utf8').on('data', (c: string) => {
      this.#stderr += c;
      this.#waiting?.();
    });
    this.#exit = new Promise((resolve) => this.#child.on('close', (code) => {
      this.#waiting?.();
      resolve(code);
    }));
  }

  get stderr(): string {
    return this.#stderr;
  }

  /** Resolve once `ready()` is true (or throw when the process has ended without it). */
  async #until(ready: () => boolean, what: string): Promise<void> {
    while (!ready()) {
      if (this.#child.exitCode !== null) throw new Error(`hsm-playground exited while waiting for ${what}; stderr: ${this.#stderr}`);
      await new Promise<void>((wake) => (this.#waiting = wake));
    }
  }

  /** Send one line without waiting for anything. */
  write(line: string): void {
    this.#child.stdin.write(`${line}\n`);
  }

  /** The next complete JSON answer on stdout. */
  async answer(): Promise<Envelope> {
    await this.#until(() => this.#stdout.includes('\n}\n'), 'an answer');
    const end = this.#stdout.indexOf('\n}\n');
    const text = this.#stdout.slice(0, end + 2);
    this.#stdout = this.#stdout.slice(end + 3);
    return JSON.parse(text) as Envelope;
  }

  /** Send a line and wait for its answer. */
  async send(line: string): Promise<Envelope> {
    this.write(line);
    return this.answer();
  }

  /** Wait until stderr contains `text` (a prompt). */
  async stderrShows(text: string): Promise<void> {
    await this.#until(() => this.#stderr.includes(text), `'${text}' on stderr`);
  }

  /** Whatever stdout holds that has not been taken as an answer. */
  pendingStdout(): string {
    return this.#stdout;
  }

  /** Close stdin and resolve with the exit status. */
  async end(): Promise<number | null> {
    this.#child.stdin.end();
    return this.#exit;
  }
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** The `data` of a successful answer (fails the test with the message otherwise). */
export function ok<T = Record<string, unknown>>(answer: Envelope | unknown): T {
  const envelope = answer as Envelope;
  if (envelope.error_code !== 0) throw new Error(`expected success, got ${JSON.stringify(envelope)}`);
  return envelope.data as T;
}
