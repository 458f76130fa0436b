/**
 * Small DOM helpers for the page: build an element with attributes and children in one call,
 * and find a required element by id with a precise error when index.html lacks it.
 * No framework: the page is plain DOM, and these two functions are most of what it needs.
 * @module
 */

export type Child = Node | string | null | undefined | false;

/** Attributes: strings set as attributes, booleans toggle presence, functions become `on…` listeners. */
export type Attributes = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;

/**
 * Create an element. `h('button', { class: 'x', 'aria-label': 'Stop', onclick: stop }, 'Stop')`.
 * `false`/`undefined` attribute values are left off, `true` sets an empty attribute.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') {
      if (!name.startsWith('on')) throw new TypeError(`h(${tag}): a function is only allowed for on… attributes, not "${name}"`);
      element.addEventListener(name.slice(2), value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

/** Append children, skipping empty ones; strings become text nodes (never parsed as HTML). */
export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** The element with this id, checked to be of the expected type. */
export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`the page is missing #${id} (${type.name})`);
  return found;
}

/** Replace all children of `parent`. */
export function fill(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}
