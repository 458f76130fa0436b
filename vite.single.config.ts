/**
 * `npm run build:single`: the sandbox view (embed.html: terminal, cluster strip, share links,
 * tutorials) as ONE self-contained HTML file, dist-single/hsm-playground.html, that runs from
 * file:// with no server. Three things make that work (toolchain notes §11):
 *  - the HSM worker is a classic (iife) script inlined as a Blob URL (src/ui/sandbox/single-file-spawn.ts
 *    replaces src/cluster/browser-spawn.ts here), since module workers do not start from file://;
 *  - all page JavaScript is one chunk, inlined into the HTML as a module script;
 *  - the CSS is inlined as a <style>.
 * @module
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const SINGLE_SPAWN = fileURLToPath(new URL('./src/ui/sandbox/single-file-spawn.ts', import.meta.url));

/** Swap the module-worker spawner for the inline classic-worker one. */
function singleFileSpawner(): Plugin {
  return {
    name: 'hsm-single-file-spawner',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (!importer || !/browser-spawn(\.ts)?$/.test(source) || importer.endsWith('single-file-spawn.ts')) return null;
      const resolved = await this.resolve(source, importer, { skipSelf: true });
      return resolved && resolved.id.endsWith('src/cluster/browser-spawn.ts') ? SINGLE_SPAWN : null;
    },
  };
}

/** Inline the emitted JS and CSS into the HTML and drop them from the output. */
function inlineEverything(): Plugin {
  return {
    name: 'hsm-inline-everything',
    enforce: 'post',
    generateBundle(_options, bundle) {
      for (const html of Object.values(bundle)) {
        if (html.type !== 'asset' || !html.fileName.endsWith('.html')) continue;
        let text = String(html.source);
        text = text.replace(/<script type="module" crossorigin src="\.\/([^"]+)"><\/script>/g, (match, file: string) => {
          const chunk = bundle[file];
          if (!chunk || chunk.type !== 'chunk') return match;
          delete bundle[file];
          return `<script type="module">${chunk.code.replace(/<\/script/gi, '<\\/script')}</script>`;
        });
        text = text.replace(/<link rel="stylesheet" crossorigin href="\.\/([^"]+)">/g, (match, file: string) => {
          const asset = bundle[file];
          if (!asset || asset.type !== 'asset') return match;
          delete bundle[file];
          return `<style>${String(asset.source)}</style>`;
        });
        text = text.replace(/<link rel="modulepreload"[^>]*>/g, '');
        html.source = text;
        html.fileName = 'hsm-playground.html';
      }
    },
  };
}

export default defineConfig({
  root,
  base: './',
  worker: { format: 'iife' },
  plugins: [singleFileSpawner(), inlineEverything()],
  build: {
    target: 'es2022',
    outDir: 'dist-single',
    emptyOutDir: true,
    assetsInlineLimit: Number.MAX_SAFE_INTEGER,
    cssCodeSplit: false,
    modulePreload: false,
    rollupOptions: {
      input: fileURLToPath(new URL('./embed.html', import.meta.url)),
      output: { codeSplitting: false },
    },
  },
});
