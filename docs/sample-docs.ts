/**
 * The sample documentation page's script (docs/sample-docs.html): embeds the sandbox trusting only
 * this page's origin, adds a Run button to each code block, and sends each command through the
 * postMessage API (format 1), showing the JSON answer under the block. A host site copies this.
 * @module
 */
const frame = document.getElementById('sandbox-frame') as HTMLIFrameElement;
const statusLine = document.getElementById('docs-status') as HTMLElement;
const embedUrl = new URL('../embed.html', location.href);
embedUrl.searchParams.set('trust', location.origin);
embedUrl.searchParams.set('seed', 'sample-docs');
const sandboxOrigin = embedUrl.origin;

let nextId = 1;
const pending = new Map<number, (answer: { ok: boolean; result?: unknown; error?: string }) => void>();
let ready: () => void;
const whenReady = new Promise<void>((resolve) => (ready = resolve));

window.addEventListener('message', (event: MessageEvent) => {
  if (event.origin !== sandboxOrigin || event.source !== frame.contentWindow) return;
  const data = event.data as { type?: string; event?: string; id?: number; ok?: boolean; result?: unknown; error?: string };
  if (data?.type !== 'hsm-playground') return;
  if (data.event === 'ready') {
    statusLine.textContent = 'Sandbox ready.';
    document.body.dataset.sandboxReady = 'true';
    ready();
    return;
  }
  if (typeof data.id === 'number') pending.get(data.id)?.(data as { ok: boolean });
});

function request(body: Record<string, unknown>): Promise<{ ok: boolean; result?: unknown; error?: string }> {
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    frame.contentWindow!.postMessage({ type: 'hsm-playground', version: 1, id, ...body }, sandboxOrigin);
  });
}

for (const pre of document.querySelectorAll<HTMLPreElement>('pre')) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'run';
  button.textContent = 'Run';
  const answer = document.createElement('div');
  answer.className = 'answer';
  answer.hidden = true;
  button.addEventListener('click', async () => {
    await whenReady;
    const command = pre.textContent!.replace(/Run$/, '').trim();
    const reply = await request({ action: 'run', command, session: pre.dataset.session ?? 'default' });
    answer.hidden = false;
    answer.textContent = reply.ok ? (reply.result as { output: string }).output : `Error: ${reply.error}`;
  });
  pre.append(button);
  pre.after(answer);
}

document.getElementById('reset-sandbox')!.addEventListener('click', async () => {
  await whenReady;
  await request({ action: 'reset' });
  for (const a of document.querySelectorAll<HTMLElement>('.answer')) a.hidden = true;
  statusLine.textContent = 'Sandbox reset.';
});

frame.src = embedUrl.href;
