import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadContentOrThrow } from '../../adapters/content/content-files.ts';
import { InProcessAdapter } from '../../adapters/local/in-process-adapter.ts';
import { openStores } from '../../adapters/storage/open-stores.ts';
import { createLogger } from '../../bot/logger.ts';
import { recordingMetrics, type MetricEvent } from '../../bot/metrics.ts';
import { createRuntime } from '../../bot/runtime.ts';
import { BUNDLED_CONTENT_DIR } from '../../knowledge/index.ts';
import { mocHungAnswers } from '../helpers/registration-answers.ts';

const OWNERS = 60;
/** A whole registration, answered plainly: the request, each field, consent and the confirmation. */
const SCRIPT = [
  'tôi muốn đăng ký',
  'điền luôn',
  ...mocHungAnswers({ requested: '600 triệu', counterpart: '1,4 tỷ' }),
  'xác nhận',
];

/**
 * CPU per registration turn: owners fill the whole form through the same turn pipeline as the
 * channels (SQLite, drafts saved every answer), after as many owners untimed.
 */
export async function benchRegistrationTurns(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'kc-reg-bench-'));
  const opened = await openStores({ dataDir: dir });
  try {
    const logger = createLogger('info', new Writable({ write: (_c, _e, done) => done() }));
    const events: MetricEvent[] = [];
    const runtime = createRuntime({
      config: { TZ: 'Asia/Ho_Chi_Minh' },
      logger,
      content: loadContentOrThrow(BUNDLED_CONTENT_DIR),
      storage: opened.storage,
      stores: opened.stores,
      metrics: recordingMetrics(events),
      userMessagesPerMinute: 0,
    });
    const adapter = new InProcessAdapter('webchat');
    runtime.attach(adapter);
    let last = '';
    const owner = async () => {
      const conversationId = randomUUID();
      const userId = randomUUID();
      for (const text of SCRIPT) {
        const replies = await adapter.send({ conversationId, userId, text }, (context) => runtime.bot.run(context));
        last = String(replies.at(-1)?.text ?? '');
        events.length = 0;
      }
    };
    for (let i = 0; i < OWNERS; i++) await owner();
    if (!/KC-\d{4}-\d{6}/.test(last))
      throw new Error(`cannot bench the registration because the script did not reach a saved registration:\n${last}`);
    const before = process.cpuUsage();
    for (let i = 0; i < OWNERS; i++) await owner();
    const cpu = process.cpuUsage(before);
    const turns = OWNERS * SCRIPT.length;
    return [
      `${'a registration turn (form answer, draft saved)'.padEnd(50)}${((cpu.user + cpu.system) / turns).toFixed(0).padStart(12)} µs CPU`,
    ];
  } finally {
    await opened.stores.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const line of await benchRegistrationTurns()) process.stdout.write(`${line}\n`);
}
