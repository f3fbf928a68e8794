import { buildAssets } from '../adapters/web/build-assets.ts';
import { bundleServer } from './server-bundle.ts';

/** `npm run build` (and `npm start` first): the browser pages and the server bundle. */
Promise.all([buildAssets(), bundleServer()]).catch((error: unknown) => {
  process.stderr.write(`cannot build because ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
