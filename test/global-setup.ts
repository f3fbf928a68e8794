import { buildAssets } from '../adapters/web/build-assets.ts';
import { bundleServer } from '../adapters/web/server-bundle.ts';

/** The browser pages and the server bundle are built once, as `npm start` builds them. */
export default async function setup(): Promise<void> {
  await Promise.all([buildAssets(), bundleServer()]);
}
