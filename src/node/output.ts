/**
 * Writing to stdout/stderr and waiting until the text has been handed to the operating system,
 * so a script reading our answers sees each one before we read its next line.
 * @module
 */

/** The part of a Node writable stream this module uses. */
export interface TextSink {
  write(text: string, callback: (error?: Error | null) => void): boolean;
}

/** Write `text` and resolve once it is flushed; rejects with the stream's error (e.g. EPIPE). */
export function writeText(sink: TextSink, text: string): Promise<void> {
  if (text.length === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    sink.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

/** Write `text` followed by a newline (nothing at all for empty text). */
export function writeLine(sink: TextSink, text: string): Promise<void> {
  return text.length === 0 ? Promise.resolve() : writeText(sink, text.endsWith('\n') ? text : `${text}\n`);
}
