/**
 * The embed frame's side of the postMessage API: given a message and the origin it came from,
 * decide whether to answer at all (trusted origins only), run the action on the {@link Sandbox},
 * and produce the answer. The frame's entry (src/ui/embed-main.ts) only moves messages between
 * `window` and this class, so the whole API is tested in Node.
 * @module
 */
import { formatEnvelope } from '../../cli/cloudhsm-cli/output.ts';
import { ACTIONS, API_VERSION, MESSAGE_TYPE, isOurMessage, parseRequest, response, type EmbedReadyEvent, type EmbedRequest, type EmbedResponse } from './embed-protocol.ts';
import type { Sandbox } from './sandbox.ts';
import type { CommandRun } from './script-runner.ts';
import { decodeScenario } from './scenario.ts';
import { shareableScenario } from './share-link.ts';

export class EmbedServer {
  readonly #sandbox: Sandbox;
  readonly #trusted: ReadonlySet<string>;
  /** Messages of ours refused because of their origin (shown in the frame for authors debugging their setup). */
  ignored = 0;

  readonly #runLine: (line: string, session: string | undefined) => Promise<CommandRun>;

  /** `runLine` lets the frame show API commands in its terminal; by default they run on the sandbox directly. */
  constructor(sandbox: Sandbox, trustedOrigins: readonly string[], runLine?: (line: string, session: string | undefined) => Promise<CommandRun>) {
    this.#sandbox = sandbox;
    this.#trusted = new Set(trustedOrigins);
    this.#runLine = runLine ?? ((line, session) => sandbox.run(line, session));
  }

  get trustedOrigins(): string[] {
    return [...this.#trusted];
  }

  isTrusted(origin: string): boolean {
    return this.#trusted.has(origin);
  }

  readyEvent(): EmbedReadyEvent {
    return { type: MESSAGE_TYPE, version: API_VERSION, event: 'ready', actions: ACTIONS };
  }

  /** The answer to post back to `origin`, or undefined when the message gets none (not ours, or untrusted). */
  async handle(data: unknown, origin: string): Promise<EmbedResponse | undefined> {
    if (!isOurMessage(data)) return undefined;
    if (!this.isTrusted(origin)) {
      this.ignored++;
      return undefined;
    }
    const parsed = parseRequest(data);
    if ('error' in parsed) return response(parsed.id, { ok: false, error: parsed.error });
    try {
      return response(parsed.request.id, { ok: true, result: await this.#perform(parsed.request) });
    } catch (error) {
      return response(parsed.request.id, { ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  }

  async #perform(request: EmbedRequest): Promise<unknown> {
    const sandbox = this.#sandbox;
    switch (request.action) {
      case 'ping':
        return { version: API_VERSION, actions: ACTIONS, settings: sandbox.settings };
      case 'run': {
        const run = await this.#runLine(request.command, request.session);
        return { session: run.session, output: run.output, envelope: run.envelope ? JSON.parse(formatEnvelope(run.envelope)) : null };
      }
      case 'reset':
        await sandbox.reset(request.settings);
        return { settings: sandbox.settings };
      case 'load-scenario': {
        const scenario = request.scenario ?? (await decodeScenario(request.encoded!));
        const runs = await sandbox.load(scenario, request.passwords ?? {});
        return { steps: runs.length, failed: runs.filter((r) => r.envelope?.error_code === 1).length, settings: sandbox.settings };
      }
      case 'get-scenario':
        return shareableScenario(sandbox.scenario(), request.includePasswords === true);
    }
  }
}
