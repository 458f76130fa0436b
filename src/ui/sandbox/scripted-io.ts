/**
 * The {@link Io} of an unattended run (transcripts, scenario replay, the embed API, tutorial
 * commands): files live in a virtual file area, and a prompt is answered from a queue of answers
 * given in advance or — when there is none — refused with a message saying how to put the value
 * on the command line instead. Never waits for a person.
 * @module
 */
import { ioOverFiles, type VirtualFiles } from '../../cli/files.ts';
import type { Io } from '../../cli/machinery/io.ts';

/** Raised (and turned into an error envelope by `execute`) when a prompt has no answer. */
export class UnansweredPromptError extends Error {
  override readonly name = 'UnansweredPromptError';
}

/**
 * An Io over `files` whose prompts take the next of `answers` (consumed in order), or fail with
 * a message naming the prompt.
 */
export function scriptedIo(files: VirtualFiles, answers: string[] = []): Io {
  return ioOverFiles(files, async (text) => {
    const answer = answers.shift();
    if (answer === undefined) {
      throw new UnansweredPromptError(`The command asked '${text.trim()}' and an unattended run cannot answer: give the value on the command line (e.g. --password)`);
    }
    return answer;
  });
}
