import { buildAssets } from '../adapters/web/build-assets.ts';

/** The browser pages are built once, as `npm start` builds them. */
export default async function setup(): Promise<void> {
  await buildAssets();
}
