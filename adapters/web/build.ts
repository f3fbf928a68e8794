import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAssets } from './build-assets.ts';
import { bundleServer } from './server-bundle.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Written after a complete build; a build is skipped while it is newer than every input. */
const STAMP = join(ROOT, 'dist', '.build-stamp');
const INPUTS = ['adapters', 'bot', 'dialogs', 'knowledge', 'package-lock.json', 'tsconfig.json'];

/** The newest modification time among the files below `path`, in milliseconds. */
function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(join(path, name))), stat.mtimeMs);
}

/**
 * `npm run build` (and `npm start` first): the browser pages and the server bundle, unless
 * nothing they are built from changed since the last complete build (`--force` builds anyway).
 */
async function build(): Promise<void> {
  const force = process.argv.includes('--force');
  if (!force && existsSync(STAMP) && statSync(STAMP).mtimeMs >= Math.max(...INPUTS.map((i) => newest(join(ROOT, i)))))
    return;
  await Promise.all([buildAssets(), bundleServer()]);
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}

build().catch((error: unknown) => {
  process.stderr.write(`cannot build because ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
