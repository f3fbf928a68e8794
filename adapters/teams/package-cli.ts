import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import JSZip from 'jszip';
import { loadConfig } from '../../bot/config.ts';
import { runTool } from '../console/boot.ts';
import { buildManifest, icons, ManifestSchema } from './teams-package.ts';

/** `npm run teams:package [-- --out FILE]`: manifest.json and the two icons, zipped for upload to Teams. */
async function teamsPackage(argv: string[]): Promise<void> {
  const out =
    argv[argv.indexOf('--out') + 1] && argv.includes('--out') ? argv[argv.indexOf('--out') + 1] : 'dist/teams-app.zip';
  const config = loadConfig();
  const appId = config.MicrosoftAppId ?? '00000000-0000-0000-0000-000000000000';
  const baseUrl = config.PUBLIC_BASE_URL ?? 'https://example.invalid';
  if (!config.MicrosoftAppId || !config.PUBLIC_BASE_URL)
    process.stderr.write(
      'MicrosoftAppId or PUBLIC_BASE_URL is not set: the package uses placeholders and will not work in Teams until they are.\n',
    );
  const manifest = ManifestSchema.parse(buildManifest({ appId, baseUrl }));
  const { color, outline } = icons();
  const zip = new JSZip();
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  zip.file('color.png', color);
  zip.file('outline.png', outline);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  process.stderr.write(`wrote ${out}\n`);
}

runTool(() => teamsPackage(process.argv.slice(2)));
