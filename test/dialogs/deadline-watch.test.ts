import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadContentOrThrow } from '../../adapters/content/content-files.ts';
import { InProcessAdapter } from '../../adapters/local/in-process-adapter.ts';
import { openStores } from '../../adapters/storage/open-stores.ts';
import { createLogger } from '../../bot/logger.ts';
import { createRuntime } from '../../bot/runtime.ts';
import { BUNDLED_CONTENT_DIR } from '../../knowledge/index.ts';

describe('"báo cho tôi khi có hạn mới"', () => {
  it('is acknowledged, and the new cycle is told with the next message once curators publish it, once', async () => {
    const seed = loadContentOrThrow(BUNDLED_CONTENT_DIR);
    const runtime = createRuntime({
      config: { TZ: 'Asia/Ho_Chi_Minh' },
      logger: createLogger('warn', new Writable({ write: (_c, _e, done) => done() })),
      content: seed,
      clock: () => new Date('2026-11-26T09:00:00+07:00'),
    });
    const adapter = new InProcessAdapter('webchat');
    runtime.attach(adapter);
    const say = async (text: string) =>
      (await adapter.send({ conversationId: 'c1', userId: 'u1', text }, (c) => runtime.bot.run(c)))
        .map((r) => r.text ?? '')
        .join('\n---\n');

    expect(await say('bao cho em khi co han moi nhe')).toMatch(/tôi sẽ báo anh\/chị/);
    // Nothing new yet: an ordinary answer, no news.
    expect(await say('ai được hỗ trợ khuyến công')).not.toMatch(/đã có hạn của kế hoạch năm/);

    const next = structuredClone(seed);
    next.entries
      .find((e) => e.id === 'deadline-registration-report')!
      .deadlines.push({ label: 'Gửi báo cáo đăng ký kế hoạch năm 2027', date: '2026-12-20', planYear: 2027 });
    runtime.reloadKnowledge(next);

    const told = await say('cảm ơn');
    expect(told).toMatch(/đã có hạn của kế hoạch năm 2027 mà anh\/chị nhờ tôi báo/);
    expect(told).toMatch(/20\/12\/2026 \(kế hoạch năm 2027\), còn 24 ngày/);
    expect(await say('cảm ơn')).not.toMatch(/nhờ tôi báo/);
  });

  it('keeps the promise of a watch kept in the conversation only, from before the store kept them', async () => {
    const seed = loadContentOrThrow(BUNDLED_CONTENT_DIR);
    const dir = mkdtempSync(join(tmpdir(), 'kc-watch-'));
    const opened = await openStores({ dataDir: dir });
    try {
      const logger = createLogger('warn', new Writable({ write: (_c, _e, done) => done() }));
      const make = (withStores: boolean) => {
        const runtime = createRuntime({
          config: { TZ: 'Asia/Ho_Chi_Minh' },
          logger,
          content: seed,
          storage: opened.storage,
          ...(withStores ? { stores: opened.stores } : {}),
          clock: () => new Date('2026-11-26T09:00:00+07:00'),
        });
        const adapter = new InProcessAdapter('webchat');
        runtime.attach(adapter);
        const say = async (text: string) =>
          (await adapter.send({ conversationId: 'c-old', userId: 'u-old', text }, (c) => runtime.bot.run(c)))
            .map((r) => r.text ?? '')
            .join('\n');
        return { runtime, say };
      };
      // Asked of a version that kept the watch in the conversation state only.
      expect(await make(false).say('báo cho em khi có hạn mới nhé')).toMatch(/tôi sẽ báo anh\/chị/);
      expect(await opened.stores.deadlineWatches.pending(9999, 10)).toEqual([]);
      const upgraded = make(true);
      const next = structuredClone(seed);
      next.entries
        .find((e) => e.id === 'deadline-registration-report')!
        .deadlines.push({ label: 'Gửi báo cáo đăng ký kế hoạch năm 2027', date: '2026-12-20', planYear: 2027 });
      upgraded.runtime.reloadKnowledge(next);
      expect(await upgraded.say('chào')).toMatch(/đã có hạn của kế hoạch năm 2027 mà anh\/chị nhờ tôi báo/);
      expect(await upgraded.say('chào')).not.toMatch(/nhờ tôi báo/);
    } finally {
      await opened.stores.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
