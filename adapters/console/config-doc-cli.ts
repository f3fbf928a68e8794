import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configurationPage } from '../../bot/config-doc.ts';
import { runTool } from './boot.ts';

const ROOT = new URL('../../', import.meta.url);

/** `npm run docs:config`: writes docs/configuration.md from the config schema and .env.example. */
runTool(async () => {
  const page = configurationPage(readFileSync(new URL('.env.example', ROOT), 'utf8'));
  const out = fileURLToPath(new URL('docs/configuration.md', ROOT));
  writeFileSync(out, page);
  process.stdout.write(`wrote ${out}\n`);
});
