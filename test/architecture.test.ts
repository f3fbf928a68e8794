import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/processes.ts';

/** The project's own modules a folder's TypeScript files import, as `file → folder/...` lines. */
function importsOf(folder: string): { file: string; target: string }[] {
  const found: { file: string; target: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) {
        for (const match of readFileSync(join(ROOT, path), 'utf8').matchAll(
          /^\s*(?:import|export)[^'"]*from\s+'(\.{1,2}\/[^']+)'/gm,
        )) {
          const target = join(dir, match[1]).split('/')[0];
          if (target !== folder) found.push({ file: path, target });
        }
      }
    }
  };
  walk(folder);
  return found;
}

describe('the dependency direction adapters → bot → dialogs → knowledge', () => {
  it('keeps knowledge/ free of every other folder', () => {
    expect(importsOf('knowledge')).toEqual([]);
  });

  it('keeps dialogs/ to knowledge/', () => {
    expect(importsOf('dialogs').filter((i) => i.target !== 'knowledge')).toEqual([]);
  });

  it('lets only the composition root, bot/main.ts, import adapters/', () => {
    expect(importsOf('bot').filter((i) => i.target === 'adapters' && i.file !== 'bot/main.ts')).toEqual([]);
  });
});
