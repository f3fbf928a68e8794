import { BUNDLED_CONTENT_DIR, createKnowledgeBase } from '../../knowledge/index.ts';
import { loadConfig } from '../../bot/config.ts';
import { loadContent } from '../content/content-files.ts';
import { runTool } from './boot.ts';

const USAGE = 'usage: npm run kb -- validate | export | stats';

/** `npm run kb -- validate | export | stats`. */
async function kb(command: string | undefined): Promise<void> {
  const config = loadConfig();
  const dir = config.KNOWLEDGE_DIR ?? BUNDLED_CONTENT_DIR;
  const result = loadContent(dir);
  if (!result.ok) {
    for (const e of result.errors) process.stderr.write(`${e.file}:${e.line}: ${e.message}\n`);
    process.stderr.write(`${result.errors.length} problem(s) in the knowledge base\n`);
    process.exitCode = 1;
    return;
  }
  const { entries, outOfScope } = result.content;
  switch (command) {
    case 'validate':
      process.stdout.write(`ok: ${entries.length} entries, ${outOfScope.length} out-of-scope examples\n`);
      return;
    case 'export':
      process.stdout.write(`${JSON.stringify({ entries }, null, 2)}\n`);
      return;
    case 'stats': {
      const started = performance.now();
      createKnowledgeBase(result.content, { timeZone: config.TZ });
      const buildMs = performance.now() - started;
      const byTopic = new Map<string, number>();
      for (const e of entries) byTopic.set(e.tags.topic, (byTopic.get(e.tags.topic) ?? 0) + 1);
      const questions = entries.reduce((n, e) => n + e.questions.length, 0);
      const longest = Math.max(...entries.map((e) => e.answer.length));
      process.stdout.write(
        `${JSON.stringify({ entries: entries.length, questions, outOfScopeExamples: outOfScope.length, longestAnswerChars: longest, byTopic: Object.fromEntries(byTopic), indexBuildMs: Math.round(buildMs) }, null, 2)}\n`,
      );
      return;
    }
    default:
      process.stderr.write(`${USAGE}\n`);
      process.exitCode = 2;
  }
}

runTool(() => kb(process.argv[2]));
