import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseContent, type ContentFile, type KnowledgeContent, type ParseResult } from '../../knowledge/index.ts';

/** Reads every YAML file of a content directory, in name order. */
export function readContentFiles(dir: string | URL): ContentFile[] {
  const path = typeof dir === 'string' ? dir : fileURLToPath(dir);
  return readdirSync(path)
    .filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'))
    .sort()
    .map((name) => ({ name: join(path, name), text: readFileSync(join(path, name), 'utf8') }));
}

/** Reads and validates a content directory. */
export function loadContent(dir: string | URL): ParseResult {
  return parseContent(readContentFiles(dir));
}

/** Raised when the knowledge content is invalid; the message lists every problem with file and line. */
export class KnowledgeContentError extends Error {
  override readonly name = 'KnowledgeContentError';
}

/** Reads and validates a content directory, or throws naming every problem. */
export function loadContentOrThrow(dir: string | URL): KnowledgeContent {
  const result = loadContent(dir);
  if (result.ok) return result.content;
  const lines = result.errors.map((e) => `${e.file}:${e.line}: ${e.message}`);
  throw new KnowledgeContentError(
    `cannot load the knowledge base because the content is invalid:\n${lines.join('\n')}`,
  );
}
