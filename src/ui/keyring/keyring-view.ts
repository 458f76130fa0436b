/**
 * The keyring panel of one page session: "Make key pair" (RSA-2048, seeded with the page),
 * the public key PEM shown and saved into the virtual file area to register, and one-click
 * signing of a token file there — an approval for a quorum token, or every entry of a
 * registration / MFA token file. Mounted into a session's panel with {@link mountKeyring}. The
 * keyring itself (RSA key generation and signing) runs in its own worker, started on first use:
 * the private key never enters the page, and the RSA code is not part of the page's bundle.
 * @module
 */
import type { VirtualFiles } from '../../cli/files.ts';
import { h } from '../dom.ts';
import { wrap, type Remote } from 'comlink';
import type { KeyringWorkerApi } from './keyring.worker.ts';

export interface KeyringOptions {
  /** The shared file area the terminal's `--token` / `--public-key` paths name. */
  readonly files: VirtualFiles;
  /** Used in element ids and the default file names, e.g. `session-2`. */
  readonly sessionId: string;
  /** The user approvals are signed as (the session's login), if any. */
  username(): string | undefined;
  /** The page's seed, for a reproducible key pair (undefined: system randomness). */
  readonly seed?: string;
  /** Called after the keyring wrote a file (so the page can redraw its file list). */
  onFilesChanged?(): void;
}

export interface MountedKeyring {
  readonly element: HTMLElement;
  /** The keyring worker, started on first use. */
  keyring(): Promise<Remote<KeyringWorkerApi>>;
  /** Make the pair and save the public key; resolves with the PEM file's path. */
  makeKeyPair(): Promise<string>;
  /** Sign the token file at `path` in place; resolves with a one-line description. */
  signFile(path: string): Promise<string>;
}

/** Build the keyring panel, append it to `container`, and return it. */
export function mountKeyring(container: HTMLElement, options: KeyringOptions): MountedKeyring {
  const id = (part: string) => `${options.sessionId}-keyring-${part}`;
  let started: Promise<Remote<KeyringWorkerApi>> | undefined;
  const keyring = (): Promise<Remote<KeyringWorkerApi>> =>
    (started ??= (async () => {
      const remote = wrap<KeyringWorkerApi>(new Worker(new URL('./keyring.worker.ts', import.meta.url), { type: 'module', name: 'keyring' }));
      await remote.init(options.seed === undefined ? undefined : `${options.seed}/${options.sessionId}`);
      return remote;
    })());
  const publicPath = () => `${options.username() ?? options.sessionId}.pub.pem`;

  const status = h('p', { class: 'keyring-status', id: id('status'), role: 'status', 'aria-live': 'polite' }, 'No key pair yet.');
  const pem = h('pre', { class: 'keyring-pem', id: id('pem'), hidden: true });
  const make = h('button', { type: 'button', id: id('make') }, 'Make key pair');
  const pathInput = h('input', { type: 'text', id: id('path'), value: 'token.json', spellcheck: false, autocomplete: 'off' });
  const sign = h('button', { type: 'button', id: id('sign'), disabled: true }, 'Sign token file');

  const say = (text: string, failed = false) => {
    status.textContent = text;
    status.dataset.state = failed ? 'failed' : 'ok';
  };

  const api: MountedKeyring = {
    element: h(
      'details',
      { class: 'keyring', id: id('panel') },
      h('summary', {}, 'Keyring (your own RSA key for quorum approvals and MFA)'),
      h('p', { class: 'muted' }, 'In real life this key stays on your computer: sign with openssl pkeyutl -sign -pkeyopt digest:sha256.'),
      h('div', { class: 'keyring-row' }, make),
      pem,
      h('div', { class: 'keyring-row' }, h('label', { for: id('path') }, 'Token file'), ' ', pathInput, ' ', sign),
      status,
    ),
    keyring,
    async makeKeyPair() {
      const text = await (await keyring()).generate();
      const path = publicPath();
      options.files.write(path, text);
      pem.textContent = text;
      pem.hidden = false;
      sign.disabled = false;
      options.onFilesChanged?.();
      say(`Key pair made. Public key saved as ${path}: register it with user change-quorum token-sign register --public-key ${path} …`);
      return path;
    },
    async signFile(path) {
      const bytes = options.files.read(path);
      if (!bytes) throw new Error(`No file '${path}' in the file area`);
      const signed = await (await keyring()).signFile(bytes, path, options.username() ?? '');
      options.files.write(path, signed.bytes);
      options.onFilesChanged?.();
      const text = signed.kind === 'approval' ? `Approved ${path} as ${options.username() ?? '?'}.` : `Signed every token in ${path}.`;
      say(text);
      return text;
    },
  };

  const report = (e: unknown) => say(e instanceof Error ? e.message : String(e), true);
  make.addEventListener('click', () => {
    make.disabled = true;
    say('Making an RSA-2048 key pair…');
    api.makeKeyPair().catch(report).finally(() => (make.disabled = false));
  });
  sign.addEventListener('click', () => void api.signFile(pathInput.value.trim()).catch(report));
  container.append(api.element);
  return api;
}
