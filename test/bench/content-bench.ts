import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadContentOrThrow } from '../../adapters/content/content-files.ts';
import { checkContent, readQuestionSets } from '../../adapters/content/content-check.ts';
import { InProcessAdapter } from '../../adapters/local/in-process-adapter.ts';
import { openStores } from '../../adapters/storage/open-stores.ts';
import { KnowledgeVersions } from '../../bot/knowledge-versions.ts';
import { createLogger } from '../../bot/logger.ts';
import { createRuntime } from '../../bot/runtime.ts';
import { BUNDLED_CONTENT_DIR, type KnowledgeContent } from '../../knowledge/index.ts';
import { withStall } from './tab-bench.ts';

/** The live content with one answer changed, as a curator's small edit. */
function edited(content: KnowledgeContent, mark: string): KnowledgeContent {
  return {
    ...content,
    entries: content.entries.map((e, i) => (i === 3 ? { ...e, answer: `${e.answer} ${mark}` } : e)),
  };
}

/**
 * Curators' content: checking a draft against every question set (the development set, the
 * owner-style messages, the conversations and every entry's questions, with the draft and the live
 * content), and switching the live version while turns are being answered.
 */
export async function benchContent(): Promise<string[]> {
  const lines: string[] = [];
  const live = loadContentOrThrow(BUNDLED_CONTENT_DIR);
  const sets = readQuestionSets();

  const first = await withStall(() => checkContent(edited(live, 'A'), live, sets));
  lines.push(
    `check a draft, live content not yet answered: ${first.ms.toFixed(0)} ms (${first.result.questions} questions × 2 contents, longest stall ${first.stallMs.toFixed(0)} ms)`,
  );
  const runs: number[] = [];
  let stall = 0;
  for (let i = 0; i < 3; i++) {
    const next = await withStall(() => checkContent(edited(live, `B${i}`), live, sets));
    runs.push(next.ms);
    stall = Math.max(stall, next.stallMs);
  }
  runs.sort((a, b) => a - b);
  lines.push(
    `check a draft, live content's answers kept: median ${runs[1].toFixed(0)} ms of 3 (longest stall ${stall.toFixed(0)} ms)`,
  );

  // A version switch while one conversation after another is answered, back to back.
  const dir = mkdtempSync(join(tmpdir(), 'kc-content-bench-'));
  const opened = await openStores({ dataDir: dir });
  try {
    const logger = createLogger('warn', new Writable({ write: (_c, _e, done) => done() }));
    const runtime = createRuntime({ config: { TZ: 'Asia/Ho_Chi_Minh' }, logger, content: live });
    const adapter = new InProcessAdapter('webchat');
    runtime.attach(adapter);
    const versions = new KnowledgeVersions({
      store: opened.stores.content,
      apply: (c) => runtime.reloadKnowledge(c),
      seed: live,
      logger,
    });
    await versions.refresh();
    const questions = sets.dev.map((q) => q.question);
    const latencies: { at: number; ms: number }[] = [];
    let running = true;
    const asking = (async () => {
      for (let i = 0; running; i++) {
        const t = performance.now();
        await adapter.send({ conversationId: `c${i}`, userId: `u${i}`, text: questions[i % questions.length] }, (c) =>
          runtime.bot.run(c),
        );
        latencies.push({ at: t, ms: performance.now() - t });
        await new Promise(setImmediate);
      }
    })();
    await new Promise((r) => setTimeout(r, 1000));
    const switchStart = performance.now();
    const published = await withStall(() =>
      versions.publish({ content: edited(live, 'C'), author: 'bench', note: 'bench', now: new Date() }),
    );
    const switchEnd = performance.now();
    await new Promise((r) => setTimeout(r, 500));
    running = false;
    await asking;
    const before = latencies.filter((l) => l.at < switchStart).map((l) => l.ms);
    before.sort((a, b) => a - b);
    const during = latencies.filter((l) => l.at >= switchStart && l.at <= switchEnd);
    // A turn arriving while the new index is built waits for it: the longest stall is that wait.
    lines.push(
      `publish and switch while turns run (validate, SQLite write, index build): ${published.ms.toFixed(0)} ms; ${during.length} turns answered meanwhile from the previous version; longest wait for a turn (stall) ${published.stallMs.toFixed(0)} ms; turn p99 before ${before[Math.floor(before.length * 0.99)].toFixed(1)} ms`,
    );
  } finally {
    await opened.stores.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}
