import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Writable } from 'node:stream';
import {
  BUNDLED_CONTENT_DIR,
  contentToFiles,
  createKnowledgeBase,
  type KnowledgeContent,
} from '../../knowledge/index.ts';
import { loadConfig, type Config } from '../../bot/config.ts';
import { KnowledgeVersions } from '../../bot/knowledge-versions.ts';
import { createLogger } from '../../bot/logger.ts';
import { loadContent } from '../content/content-files.ts';
import { openStores, sqlitePath, type OpenedStores } from '../storage/open-stores.ts';
import { runTool } from './boot.ts';

const USAGE = [
  'usage: npm run kb -- validate | stats',
  '       npm run kb -- export [--out DIR]         the live version: JSON on stdout, or YAML files in DIR',
  '       npm run kb -- import [DIR] --note TEXT   content files (KNOWLEDGE_DIR or the bundled ones) as a draft',
  '       npm run kb -- versions                   the published versions and the drafts',
  '       npm run kb -- rollback VERSION --note TEXT',
].join('\n');

/** The configured store, if it exists: a laptop that never started the server has none to read. */
async function storeIfAny(config: Config): Promise<OpenedStores | undefined> {
  if (!config.DATABASE_URL && !existsSync(sqlitePath(config.DATA_DIR))) return undefined;
  return openStores({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
}

/** The live content's version and content: the newest published one, or the content files. */
async function liveContent(
  config: Config,
  seed: KnowledgeContent,
): Promise<{ version: number; content: KnowledgeContent }> {
  const opened = await storeIfAny(config);
  if (!opened) return { version: 0, content: seed };
  try {
    const version = await opened.stores.content.liveVersion();
    const stored = version > 0 ? await opened.stores.content.get(version) : undefined;
    return { version, content: stored?.content ?? seed };
  } finally {
    await opened.stores.close();
  }
}

/** `npm run kb -- …`: check, export and import the knowledge content, list and restore versions. */
async function kb(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { out: { type: 'string' }, note: { type: 'string' } },
  });
  const [command, argument] = positionals;
  const config = loadConfig();
  const dir = command === 'import' && argument ? resolve(argument) : (config.KNOWLEDGE_DIR ?? BUNDLED_CONTENT_DIR);
  const result = loadContent(dir);
  if (!result.ok) {
    for (const e of result.errors) process.stderr.write(`${e.file}:${e.line}: ${e.message}\n`);
    process.stderr.write(`Nội dung tri thức có ${result.errors.length} lỗi; vui lòng sửa rồi kiểm tra lại.\n`);
    process.exitCode = 1;
    return;
  }
  const { entries, outOfScope } = result.content;
  const out = process.stdout;
  switch (command) {
    case 'validate':
      out.write(`ok: ${entries.length} mục, ${outOfScope.length} ví dụ ngoài phạm vi\n`);
      return;
    case 'export': {
      const live = await liveContent(config, result.content);
      if (!values.out) {
        out.write(`${JSON.stringify({ version: live.version, ...live.content }, null, 2)}\n`);
        return;
      }
      mkdirSync(values.out, { recursive: true });
      const files = contentToFiles(live.content, 'yaml');
      for (const file of files)
        writeFileSync(join(values.out, file.name), `# Knowledge version ${live.version}\n${file.text}`);
      out.write(`version ${live.version}: ${files.length} files written to ${values.out}\n`);
      return;
    }
    case 'import': {
      if (!values.note || values.note.trim().length < 3) throw new Error('cannot import without --note TEXT');
      const opened = await openStores({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
      try {
        const baseVersion = await opened.stores.content.liveVersion();
        const draft = await opened.stores.content.saveDraft(
          { content: result.content, author: 'kb-cli', note: values.note.trim(), baseVersion },
          new Date(),
        );
        await opened.stores.audit.record(
          { action: 'content.draft.import', actor: 'kb-cli', details: { draft: draft.id, entries: entries.length } },
          new Date(),
        );
        out.write(`draft ${draft.id}: ${entries.length} entries, over version ${baseVersion}\n`);
      } finally {
        await opened.stores.close();
      }
      return;
    }
    case 'versions': {
      const opened = await storeIfAny(config);
      if (!opened) return void out.write('live: 0 (the content files; nothing published)\n');
      try {
        const list = await opened.stores.content.list(1000);
        out.write(`live: ${list[0]?.version ?? 0}\n`);
        for (const v of list)
          out.write(
            `  ${v.version}\t${v.createdAt.toISOString()}\t${v.author}\t${v.note}${v.restoredFrom === null ? '' : ` (restores ${v.restoredFrom})`}\n`,
          );
        for (const d of await opened.stores.content.listDrafts(1000))
          out.write(`draft ${d.id}\t${d.updatedAt.toISOString()}\t${d.author}\t${d.note}\n`);
      } finally {
        await opened.stores.close();
      }
      return;
    }
    case 'rollback': {
      const to = Number(argument);
      if (!Number.isInteger(to) || to < 0 || !values.note) throw new Error(USAGE);
      const opened = await openStores({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
      try {
        const quiet = createLogger('warn', new Writable({ write: (_c, _e, done) => done() }));
        const versions = new KnowledgeVersions({
          store: opened.stores.content,
          apply: () => undefined,
          seed: result.content,
          logger: quiet,
        });
        const info = await versions.rollback({ to, author: 'kb-cli', note: values.note, now: new Date() });
        await opened.stores.audit.record(
          { action: 'content.restore', actor: 'kb-cli', details: { version: info.version, restored: to } },
          new Date(),
        );
        out.write(`version ${info.version} is live: the content of version ${to}\n`);
      } finally {
        await opened.stores.close();
      }
      return;
    }
    case 'stats': {
      const started = performance.now();
      createKnowledgeBase(result.content, { timeZone: config.TZ });
      const buildMs = performance.now() - started;
      const byTopic = new Map<string, number>();
      for (const e of entries) byTopic.set(e.tags.topic, (byTopic.get(e.tags.topic) ?? 0) + 1);
      const questions = entries.reduce((n, e) => n + e.questions.length, 0);
      const longest = Math.max(...entries.map((e) => e.answer.length));
      out.write(
        `${JSON.stringify({ entries: entries.length, questions, outOfScopeExamples: outOfScope.length, longestAnswerChars: longest, byTopic: Object.fromEntries(byTopic), indexBuildMs: Math.round(buildMs) }, null, 2)}\n`,
      );
      return;
    }
    default:
      process.stderr.write(`${USAGE}\n`);
      process.exitCode = 2;
  }
}

runTool(() => kb(process.argv.slice(2)));
