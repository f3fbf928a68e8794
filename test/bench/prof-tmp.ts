import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadContentOrThrow } from '../../adapters/content/content-files.ts';
import { InProcessAdapter } from '../../adapters/local/in-process-adapter.ts';
import { openStores } from '../../adapters/storage/open-stores.ts';
import { createLogger } from '../../bot/logger.ts';
import { createRuntime } from '../../bot/runtime.ts';
import { BUNDLED_CONTENT_DIR } from '../../knowledge/index.ts';
import { readDevSet } from '../eval/evaluate.ts';

const questions = readDevSet().map((q) => q.question);
const opened = await openStores({ dataDir: mkdtempSync(join(tmpdir(), 'kc-prof-')) });
const runtime = createRuntime({
  config: { TZ: 'Asia/Ho_Chi_Minh' },
  logger: createLogger('info', new Writable({ write: (_c, _e, done) => done() })),
  content: loadContentOrThrow(BUNDLED_CONTENT_DIR),
  storage: opened.storage,
  stores: opened.stores,
});
const adapter = new InProcessAdapter('webchat');
runtime.attach(adapter);
const N = Number(process.env.N ?? 6000);
const run = async () => {
  for (let i = 0; i < N; i++)
    await adapter.send(
      { conversationId: randomUUID(), userId: randomUUID(), text: questions[i % questions.length] },
      (c) => runtime.bot.run(c),
    );
};
await run();
const inspector = await import('node:inspector/promises');
const session = new inspector.Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.start');
const before = process.cpuUsage();
await run();
const cpu = process.cpuUsage(before);
const { profile } = await session.post('Profiler.stop');
(await import('node:fs')).writeFileSync(process.env.OUT!, JSON.stringify(profile));
console.log(`${((cpu.user + cpu.system) / N).toFixed(0)} µs/turn`);
await opened.stores.close();
