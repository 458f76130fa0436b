/**
 * PEM text (RFC 7468): one BEGIN/END block around base64 DER. Kept apart from the key encodings
 * so that code which only moves PEM files around (the command tables) carries no curve math.
 * @module
 */
import { fromBase64, toBase64 } from './bytes.ts';
import { CryptoError } from './errors.ts';

const LABEL = /^[A-Z0-9]+(?: [A-Z0-9]+)*$/;

/** PEM text: BEGIN line, base64 in 64-character lines, END line, final newline. */
export function toPem(label: string, der: Uint8Array): string {
  if (!LABEL.test(label)) throw new CryptoError('bad-input', `PEM label must be upper-case words such as "PUBLIC KEY", got ${JSON.stringify(label)}`);
  const base64 = toBase64(der);
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += 64) lines.push(base64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/**
 * Reads one PEM block. Surrounding whitespace and CRLF line ends are accepted; anything else —
 * text around the block, a second block, headers (encrypted PEM), mismatched labels, bad base64 —
 * is refused with a message saying which.
 */
export function fromPem(pem: string): { label: string; der: Uint8Array } {
  if (typeof pem !== 'string') throw new CryptoError('bad-encoding', 'PEM must be a string');
  const lines = pem.replace(/\r\n/g, '\n').trim().split('\n').map((line) => line.trim());
  const begin = /^-----BEGIN (.*)-----$/.exec(lines[0] ?? '');
  if (!begin) throw new CryptoError('bad-encoding', 'PEM must start with a "-----BEGIN <label>-----" line');
  const label = begin[1]!;
  if (!LABEL.test(label)) throw new CryptoError('bad-encoding', `PEM label ${JSON.stringify(label)} is not valid`);
  const endIndex = lines.findIndex((line) => line.startsWith('-----END'));
  if (endIndex < 0) throw new CryptoError('bad-encoding', `PEM has no "-----END ${label}-----" line`);
  if (lines[endIndex] !== `-----END ${label}-----`)
    throw new CryptoError('bad-encoding', `PEM END line ${JSON.stringify(lines[endIndex])} does not match BEGIN ${label}`);
  if (endIndex !== lines.length - 1) throw new CryptoError('bad-encoding', 'PEM has text after the END line (only one block is accepted)');
  const body = lines.slice(1, endIndex);
  if (body.some((line) => line.includes(':')))
    throw new CryptoError('unsupported', 'PEM has headers (e.g. Proc-Type: encrypted); encrypted PEM is not supported');
  const base64 = body.join('');
  if (base64.length === 0) throw new CryptoError('bad-encoding', 'PEM body is empty');
  let der: Uint8Array;
  try {
    der = fromBase64(base64);
  } catch (error) {
    throw new CryptoError('bad-encoding', `PEM body: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { label, der };
}
