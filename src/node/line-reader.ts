/**
 * Reads piped standard input one line at a time, on demand: the tool asks for the next line only
 * after it has answered the previous one, so commands and the answers to their prompts (a password
 * left off) come from the same stream in order. Accepts `\n` and `\r\n` line ends; a last line
 * without a newline still counts.
 * @module
 */

/** A stream of text chunks (process.stdin after setEncoding, or any Readable of strings). */
export interface TextStream {
  on(event: 'data', listener: (chunk: string | Uint8Array) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  pause(): unknown;
  resume(): unknown;
}

/** Where piped-mode lines come from. */
export interface LineSource {
  /** The next line without its line end, or undefined once the input has ended. */
  next(): Promise<string | undefined>;
}

/** A source that starts reading `open()`'s stream only when the first line is asked for. */
export function lazyLines(open: () => TextStream): LineSource {
  let reader: LineReader | undefined;
  return { next: () => (reader ??= new LineReader(open())).next() };
}

export class LineReader implements LineSource {
  #buffer = '';
  readonly #lines: string[] = [];
  #ended = false;
  #error: Error | undefined;
  #waiting: (() => void) | undefined;
  readonly #stream: TextStream;
  readonly #decoder = new TextDecoder();

  constructor(stream: TextStream) {
    this.#stream = stream;
    stream.on('data', (chunk) => {
      this.#buffer += typeof chunk === 'string' ? chunk : this.#decoder.decode(chunk, { stream: true });
      let newline = this.#buffer.indexOf('\n');
      while (newline >= 0) {
        this.#lines.push(this.#buffer.slice(0, newline).replace(/\r$/, ''));
        this.#buffer = this.#buffer.slice(newline + 1);
        newline = this.#buffer.indexOf('\n');
      }
      // Hold back a producer far ahead of us; resume when we have used up what we hold.
      if (this.#lines.length > 1000) stream.pause();
      this.#wake();
    });
    const finish = (): void => {
      if (this.#ended) return;
      this.#ended = true;
      this.#buffer += this.#decoder.decode();
      if (this.#buffer.length > 0) this.#lines.push(this.#buffer.replace(/\r$/, ''));
      this.#buffer = '';
      this.#wake();
    };
    stream.on('end', finish);
    stream.on('close', finish);
    stream.on('error', (error) => {
      this.#error = error;
      finish();
    });
  }

  #wake(): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.();
  }

  /** The next line without its line end, or undefined once the input has ended. Rejects on a read error. */
  async next(): Promise<string | undefined> {
    for (;;) {
      const line = this.#lines.shift();
      if (line !== undefined) {
        if (this.#lines.length === 0) this.#stream.resume();
        return line;
      }
      if (this.#error) throw this.#error;
      if (this.#ended) return undefined;
      await new Promise<void>((wake) => (this.#waiting = wake));
    }
  }
}
