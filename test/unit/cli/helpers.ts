/**
 * Test doubles for the CLI: a recording cluster session and an in-memory Io with scripted prompt answers.
 * @module
 */
import { ok, type Envelope } from '../../../src/hsm/envelope.ts';
import type { Op, Role } from '../../../src/hsm/policy.ts';
import type { OpArgs } from '../../../src/hsm/requests.ts';
import { VirtualFiles, ioOverFiles } from '../../../src/cli/files.ts';
import type { Io } from '../../../src/cli/machinery/io.ts';
import type { ClusterSession } from '../../../src/cli/session-port.ts';

export interface RecordedRequest {
  readonly op: Op;
  readonly args: unknown;
}

export class RecordingSession implements ClusterSession {
  readonly requests: RecordedRequest[] = [];
  identity: { username: string; role: Role } | undefined = undefined;
  constructor(
    readonly clusterId = 'cluster-1',
    private readonly answerFor: (op: Op, args: unknown) => Envelope = () => ok({ done: true }),
  ) {}
  async request<O extends Op>(op: O, args: OpArgs[O]): Promise<Envelope> {
    this.requests.push({ op, args });
    return this.answerFor(op, args);
  }
}

export function scriptedIo(answers: string[] = [], files = new VirtualFiles()): Io & { prompts: string[]; files: VirtualFiles } {
  const prompts: string[] = [];
  const io = ioOverFiles(files, async (text) => {
    prompts.push(text);
    return answers.shift() ?? '';
  });
  return Object.assign(io, { prompts, files });
}
