import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** Where the built pages go; the server serves this folder. */
export const PUBLIC_DIR = fileURLToPath(new URL('../../dist/public/', import.meta.url));

/** Bundles the browser code (web chat, officers' tab, curators' page) and copies the pages next to it. */
export async function buildAssets(): Promise<void> {
  mkdirSync(PUBLIC_DIR, { recursive: true });
  const root = fileURLToPath(new URL('../../', import.meta.url));
  await build({
    entryPoints: {
      chat: `${root}adapters/webchat/browser/chat.ts`,
      tab: `${root}adapters/teams/tab/tab.ts`,
      curate: `${root}adapters/teams/tab/curate.ts`,
    },
    bundle: true,
    format: 'esm',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    outdir: PUBLIC_DIR,
    logLevel: 'warning',
    legalComments: 'none',
  });
  copyFileSync(`${root}adapters/webchat/browser/index.html`, `${PUBLIC_DIR}index.html`);
  copyFileSync(`${root}adapters/webchat/browser/chat.css`, `${PUBLIC_DIR}chat.css`);
  copyFileSync(`${root}adapters/teams/tab/tab.html`, `${PUBLIC_DIR}tab.html`);
  copyFileSync(`${root}adapters/teams/tab/tab.css`, `${PUBLIC_DIR}tab.css`);
  copyFileSync(`${root}adapters/teams/tab/curate.html`, `${PUBLIC_DIR}curate.html`);
  copyFileSync(`${root}adapters/teams/tab/curate.css`, `${PUBLIC_DIR}curate.css`);
}
