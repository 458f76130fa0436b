/**
 * Renders the small markdown subset tutorial text uses — paragraphs, `code`, **bold**, *italic*
 * — as DOM nodes built with textContent, never innerHTML, so tutorial text cannot inject markup.
 * @module
 */
import { h } from '../dom.ts';

const INLINE = /(`[^`]+`|\*\*[^*]+\*\*|\*[^*]+\*)/g;

export function inlineNodes(text: string): (Node | string)[] {
  return text.split(INLINE).filter(Boolean).map((part) => {
    if (part.startsWith('`')) return h('code', {}, part.slice(1, -1));
    if (part.startsWith('**')) return h('strong', {}, part.slice(2, -2));
    if (part.startsWith('*') && part.length > 2) return h('em', {}, part.slice(1, -1));
    return part;
  });
}

/** Paragraphs separated by blank lines; `slot(name)` supplies nodes for `{{name}}` lines. */
export function renderParagraphs(text: string, slot: (name: string) => Node | undefined = () => undefined): Node[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const m = /^\{\{(.+)\}\}$/.exec(p);
      if (m) return slot(m[1]!) ?? h('p', {}, p);
      return h('p', {}, ...inlineNodes(p.replace(/\s*\n\s*/g, ' ')));
    });
}
