/**
 * Pretty JSON for the terminal: the answer re-indented with two spaces (as cloudhsm-cli prints
 * it) and split into coloured pieces — keys, strings, numbers, literals — built as DOM text
 * nodes, never as HTML, so nothing in an answer can inject markup.
 * @module
 */

export type JsonTokenKind = 'key' | 'string' | 'number' | 'literal' | 'punct';
export interface JsonToken {
  readonly kind: JsonTokenKind;
  readonly text: string;
}

/** The text re-indented when it is one JSON document; otherwise the text unchanged. */
export function prettyJson(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return text;
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2);
  } catch {
    return text;
  }
}

const TOKEN = /("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false|null)\b/g;

/** Splits pretty JSON into tokens; concatenating their texts gives the input back exactly. */
export function jsonTokens(text: string): JsonToken[] {
  const out: JsonToken[] = [];
  let last = 0;
  for (const m of text.matchAll(TOKEN)) {
    const at = m.index;
    if (at > last) out.push({ kind: 'punct', text: text.slice(last, at) });
    if (m[1] !== undefined) {
      out.push({ kind: m[2] !== undefined ? 'key' : 'string', text: m[1] });
      if (m[2] !== undefined) out.push({ kind: 'punct', text: m[2] });
    } else if (m[3] !== undefined) out.push({ kind: 'number', text: m[3] });
    else out.push({ kind: 'literal', text: m[4] as string });
    last = at + m[0].length;
  }
  if (last < text.length) out.push({ kind: 'punct', text: text.slice(last) });
  return out;
}

/** A `<code>` holding the pretty JSON as coloured spans (plain text when it is not JSON). */
export function jsonElement(text: string): HTMLElement {
  const code = document.createElement('code');
  const pretty = prettyJson(text);
  if (pretty === text && !/^\s*[[{]/.test(text)) {
    code.textContent = text;
    return code;
  }
  for (const token of jsonTokens(pretty)) {
    if (token.kind === 'punct') code.append(token.text);
    else {
      const span = document.createElement('span');
      span.className = `json-${token.kind}`;
      span.textContent = token.text;
      code.append(span);
    }
  }
  return code;
}
