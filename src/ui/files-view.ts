/**
 * The virtual file area on the page: the files cloudhsm-cli's `--path` / `--data-path` name
 * (e.g. a public key written by `key generate-file`, data to sign, a PEM to import). The user can
 * list them, upload files from the computer into the area, download them, and delete them.
 * @module
 */
import type { VirtualFiles } from '../cli/files.ts';
import { fill, h } from './dom.ts';

export class FilesView {
  readonly #files: VirtualFiles;
  readonly #list: HTMLElement;

  constructor(files: VirtualFiles, elements: { list: HTMLElement; upload: HTMLInputElement }) {
    this.#files = files;
    this.#list = elements.list;
    elements.upload.addEventListener('change', () => {
      const chosen = [...(elements.upload.files ?? [])];
      elements.upload.value = '';
      void Promise.all(chosen.map(async (f) => this.#files.write(f.name, new Uint8Array(await f.arrayBuffer())))).then(() => this.render());
    });
  }

  render(): void {
    const entries = this.#files.list();
    if (entries.length === 0) {
      fill(this.#list, h('p', { class: 'muted' }, 'No files yet. Upload one, or write one with a command such as key generate-file --encoding pem --path pub.pem --filter …'));
      return;
    }
    fill(
      this.#list,
      h(
        'table',
        { class: 'files-table' },
        h('caption', { class: 'visually-hidden' }, 'Files in the virtual file area'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Path'), h('th', { scope: 'col' }, 'Bytes'), h('th', { scope: 'col' }, 'Actions'))),
        h(
          'tbody',
          {},
          ...entries.map((entry) => {
            const download = h('button', { type: 'button', 'aria-label': `Download ${entry.path}` }, 'Download');
            download.addEventListener('click', () => this.#download(entry.path));
            const remove = h('button', { type: 'button', 'aria-label': `Delete ${entry.path}` }, 'Delete');
            remove.addEventListener('click', () => {
              this.#files.delete(entry.path);
              this.render();
            });
            return h('tr', { 'data-path': entry.path }, h('td', {}, entry.path), h('td', {}, String(entry.size)), h('td', {}, download, ' ', remove));
          }),
        ),
      ),
    );
  }

  #download(path: string): void {
    const bytes = this.#files.read(path);
    if (!bytes) return;
    const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>]));
    const link = h('a', { href: url, download: path.split('/').at(-1) ?? 'file' });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
