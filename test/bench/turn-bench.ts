import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TurnContext } from 'botbuilder';
import { loadContentOrThrow } from '../../adapters/content/content-files.ts';
import { InProcessAdapter } from '../../adapters/local/in-process-adapter.ts';
import { openStores } from '../../adapters/storage/open-stores.ts';
import { createLogger } from '../../bot/logger.ts';
import { recordingMetrics, type MetricEvent } from '../../bot/metrics.ts';
import { createRuntime } from '../../bot/runtime.ts';
import { BUNDLED_CONTENT_DIR } from '../../knowledge/index.ts';

const TURNS = 4000;
const FIXED = 'Dạ, chương trình khuyến công hỗ trợ sáu nhóm nội dung. Bạn muốn hỏi nhóm nào ạ?';

/**
 * Where a Q&A turn's CPU goes, layer by layer, on one thread with SQLite: the same middleware
 * and store as the server's turns, each question in a new conversation as in the load test.
 * Each row is CPU per turn (all of the process's threads, V8's collector included), sequential,
 * after as many turns untimed. The turn rows add a layer each, so their differences are the
 * layers' costs. Retrieval alone runs with its index warm in the CPU's caches; inside a turn the
 * other layers evict it, so there it costs more, and that shows in the whole turn's row.
 * With `owners`, two more rows: a situation question, and a follow-up timed alone after the
 * question it follows.
 */
export async function benchTurnLayers(
  questions: string[],
  owners?: { situations: string[]; topics: string[]; followUps: string[] },
): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'kc-turn-bench-'));
  const opened = await openStores({ dataDir: dir });
  try {
    // Logged at info, as in production, to a sink: the cost of writing lines is the HTTP server's.
    const logger = createLogger('info', new Writable({ write: (_c, _e, done) => done() }));
    const events: MetricEvent[] = [];
    const runtime = createRuntime({
      config: { TZ: 'Asia/Ho_Chi_Minh' },
      logger,
      content: loadContentOrThrow(BUNDLED_CONTENT_DIR),
      storage: opened.storage,
      stores: opened.stores,
      metrics: recordingMetrics(events),
      userMessagesPerMinute: 30,
    });
    const adapter = new InProcessAdapter('webchat');
    runtime.attach(adapter);
    const { conversationState } = runtime;
    const turn = (logic: (context: TurnContext) => Promise<unknown>) => async (text: string) => {
      await adapter.send(
        { conversationId: randomUUID(), userId: randomUUID(), text },
        async (context) => void (await logic(context)),
      );
    };
    const now = { now: new Date() };
    const layers: [string, (text: string) => unknown][] = [
      ['retrieval alone (analysis, search, answer text)', (text) => runtime.knowledge.answer(text, now)],
      ['botbuilder turn and middleware, a fixed reply', turn((context) => context.sendActivity(FIXED))],
      [
        '… and the conversation state read and saved',
        turn(async (context) => {
          await conversationState.load(context);
          await context.sendActivity(FIXED);
          await conversationState.saveChanges(context);
        }),
      ],
      ['the whole turn: dialogs, retrieval, reply', turn((context) => runtime.bot.run(context))],
    ];
    const lines = [`${'layer'.padEnd(50)}${'CPU µs/turn'.padStart(12)}`];
    if (owners) {
      // Owner-style turns: a case with numbers and places in a new conversation, and a short
      // follow-up ("được bao nhiêu") after a question, timed alone.
      layers.push([
        'a situation question (own case, numbers, place)',
        (text) => turn((context) => runtime.bot.run(context))(text),
      ]);
    }
    for (const [name, run] of layers) {
      const texts = name.startsWith('a situation') && owners ? owners.situations : questions;
      const passOf = async () => {
        for (let i = 0; i < TURNS; i++) {
          await run(texts[i % texts.length]);
          events.length = 0;
        }
      };
      await passOf();
      const before = process.cpuUsage();
      await passOf();
      const cpu = process.cpuUsage(before);
      lines.push(`${name.padEnd(50)}${((cpu.user + cpu.system) / TURNS).toFixed(0).padStart(12)}`);
    }
    if (owners) {
      const followUp = async () => {
        let total = 0;
        for (let i = 0; i < TURNS; i++) {
          const conversationId = randomUUID();
          const userId = randomUUID();
          await adapter.send({ conversationId, userId, text: owners.topics[i % owners.topics.length] }, (context) =>
            runtime.bot.run(context),
          );
          const before = process.cpuUsage();
          await adapter.send(
            { conversationId, userId, text: owners.followUps[i % owners.followUps.length] },
            (context) => runtime.bot.run(context),
          );
          const cpu = process.cpuUsage(before);
          total += cpu.user + cpu.system;
          events.length = 0;
        }
        return total / TURNS;
      };
      await followUp();
      lines.push(
        `${'a follow-up ("được bao nhiêu") on the last answer'.padEnd(50)}${(await followUp()).toFixed(0).padStart(12)}`,
      );
    }
    return lines;
  } finally {
    await opened.stores.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
