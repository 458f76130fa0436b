/**
 * A comlink Endpoint wrapper that reports every message crossing the worker boundary, in both
 * directions, before passing it on unchanged. Used by the test that proves no key material or
 * password hash ever leaves an HSM in clear, and handy for a protocol inspector on the page.
 * @module
 */
import type { Endpoint } from 'comlink';

export type Direction = 'to-hsm' | 'from-hsm';
export type WireListener = (direction: Direction, message: unknown) => void;

export function tapEndpoint(inner: Endpoint, listener: WireListener): Endpoint {
  const wrappers = new Map<EventListenerOrEventListenerObject, EventListener>();
  return {
    postMessage(message: unknown, transfer?: Transferable[]) {
      listener('to-hsm', message);
      inner.postMessage(message, transfer);
    },
    addEventListener(type: string, handler: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions) {
      const wrapped: EventListener = (event) => {
        listener('from-hsm', (event as MessageEvent).data);
        if (typeof handler === 'function') handler(event);
        else handler.handleEvent(event);
      };
      wrappers.set(handler, wrapped);
      inner.addEventListener(type, wrapped, options);
    },
    removeEventListener(type: string, handler: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions) {
      const wrapped = wrappers.get(handler);
      wrappers.delete(handler);
      inner.removeEventListener(type, wrapped ?? handler, options);
    },
    ...(inner.start ? { start: () => inner.start?.() } : {}),
  };
}
