/**
 * One question at a terminal outside the shell (single-command mode with a password left off):
 * the prompt is written to `output` (stderr, keeping stdout for the JSON answer) and, for
 * secrets, what is typed is not echoed.
 * @module
 */
import * as readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';

export function askHidden(input: Readable, output: Writable, text: string, secret: boolean): Promise<string> {
  const prompt = text.endsWith(' ') ? text : `${text} `;
  const rl = readline.createInterface({ input, output, terminal: true });
  const internals = rl as unknown as { _writeToOutput(text: string): void };
  if (secret) {
    const writeToOutput = internals._writeToOutput.bind(rl);
    // readline redraws "prompt + typed text": show the prompt only
    internals._writeToOutput = (written: string) => {
      if (written.startsWith(prompt)) writeToOutput(prompt);
      else if (/[\r\n]/.test(written)) writeToOutput('\r\n');
    };
  }
  return new Promise((resolve, reject) => {
    let answered = false;
    rl.once('close', () => {
      if (!answered) reject(new Error(`Input ended while waiting for an answer to '${text}'`));
    });
    rl.question(prompt, (answer) => {
      answered = true;
      rl.close();
      resolve(answer);
    });
  });
}
