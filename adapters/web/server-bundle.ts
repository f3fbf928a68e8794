import { readFile, rm } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const ROOT = new URL('../../', import.meta.url);
const SERVER_DIR = new URL('dist/server/', ROOT);

/**
 * Keeps each module's `import.meta.url` pointing at its own source file inside a bundle, so
 * paths next to the source (the knowledge content, dist/public) resolve as they do unbundled.
 */
const sourceUrls: Plugin = {
  name: 'source-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => ({
      contents: (await readFile(args.path, 'utf8')).replaceAll(
        'import.meta.url',
        JSON.stringify(pathToFileURL(args.path).href),
      ),
      loader: 'ts',
    }));
  },
};

/**
 * Bundles our modules (packages stay imports) into dist/server: main.mjs (from bot/start.ts) and
 * their shared chunks. Node then runs plain JavaScript: no TypeScript loader thread in the
 * server, and a faster start.
 */
export async function bundleServer(): Promise<void> {
  // The modules the server imports lazily stay in chunks of their own, loaded when first needed.
  await rm(new URL('chunks/', SERVER_DIR), { recursive: true, force: true });
  await build({
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node24',
    logLevel: 'warning',
    plugins: [sourceUrls],
    entryPoints: { main: fileURLToPath(new URL('bot/start.ts', ROOT)) },
    outdir: fileURLToPath(SERVER_DIR),
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    sourcemap: 'linked',
  });
}
