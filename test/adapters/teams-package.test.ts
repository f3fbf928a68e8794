import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { ManifestSchema, pngSize } from '../../adapters/teams/teams-package.ts';
import { runTs } from '../helpers/processes.ts';

describe('npm run teams:package', () => {
  it('zips a manifest valid for the schema version it declares and the two icons at their sizes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kc-pkg-'));
    try {
      const out = join(dir, 'app.zip');
      const { code } = await runTs('adapters/teams/package-cli.ts', ['--out', out], {
        MicrosoftAppId: '11111111-2222-3333-4444-555555555555',
        PUBLIC_BASE_URL: 'https://khuyencong.example.vn',
      });
      expect(code).toBe(0);
      const zip = await JSZip.loadAsync(readFileSync(out));
      expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
      const manifest = JSON.parse(await zip.file('manifest.json')!.async('string')) as Record<string, unknown>;
      expect(ManifestSchema.safeParse(manifest).success).toBe(true);
      expect(manifest).toMatchObject({
        manifestVersion: '1.17',
        bots: [{ botId: '11111111-2222-3333-4444-555555555555' }],
        staticTabs: [{ contentUrl: 'https://khuyencong.example.vn/tab' }],
        webApplicationInfo: {
          id: '11111111-2222-3333-4444-555555555555',
          resource: 'api://khuyencong.example.vn/11111111-2222-3333-4444-555555555555',
        },
        validDomains: ['khuyencong.example.vn'],
      });
      expect(pngSize(Buffer.from(await zip.file('color.png')!.async('uint8array')))).toEqual({
        width: 192,
        height: 192,
      });
      expect(pngSize(Buffer.from(await zip.file('outline.png')!.async('uint8array')))).toEqual({
        width: 32,
        height: 32,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
