import { stringify } from 'yaml';
import { parseContent, type ContentFile, type KnowledgeContent, type ParseResult } from './content-parser.ts';

/**
 * The content as files in the format the bundled YAML uses: entries grouped by topic, one file
 * each, then the out-of-scope examples and the other programmes. `yaml` gives files for review in
 * git (`npm run kb -- export --out`); `json` gives the same files as JSON, which the YAML parser
 * reads too, so a stored version is checked by exactly the rules the bundled files are.
 */
export function contentToFiles(content: KnowledgeContent, format: 'yaml' | 'json' = 'yaml'): ContentFile[] {
  const write = (name: string, data: unknown): ContentFile =>
    format === 'yaml'
      ? { name: `${name}.yaml`, text: stringify(data, { lineWidth: 0 }) }
      : { name: `${name}.json`, text: JSON.stringify(data, null, 1) };
  const byTopic = new Map<string, KnowledgeContent['entries']>();
  for (const entry of content.entries) {
    const list = byTopic.get(entry.tags.topic) ?? [];
    list.push(entry);
    byTopic.set(entry.tags.topic, list);
  }
  const files = [...byTopic].map(([topic, entries]) => write(topic, { entries }));
  files.push(write('out-of-scope', { outOfScope: content.outOfScope }));
  if (content.otherProgrammes && content.otherProgrammes.length > 0)
    files.push(write('other-programmes', { otherProgrammes: content.otherProgrammes }));
  return files;
}

/**
 * Validates content read back from the store (or sent by the tab) with the schema and the
 * cross-entry checks of `npm run kb -- validate`; errors name the file of `contentToFiles` and
 * its line.
 */
export function validateContent(data: unknown): ParseResult {
  if (!data || typeof data !== 'object' || !Array.isArray((data as KnowledgeContent).entries))
    return {
      ok: false,
      errors: [{ file: '(content)', line: 1, message: 'Nội dung phải có danh sách các mục (entries).' }],
    };
  const content = data as KnowledgeContent;
  return parseContent(
    contentToFiles(
      { entries: content.entries, outOfScope: content.outOfScope ?? [], otherProgrammes: content.otherProgrammes },
      'json',
    ),
  );
}
