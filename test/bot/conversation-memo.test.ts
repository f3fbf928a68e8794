import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { MemoryStorage } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { loadContentOrThrow } from '../../adapters/content/content-files.ts';
import { InProcessAdapter } from '../../adapters/local/in-process-adapter.ts';
import { createLogger } from '../../bot/logger.ts';
import { createRuntime } from '../../bot/runtime.ts';
import { MEMO_VERSION } from '../../dialogs/index.ts';
import { BUNDLED_CONTENT_DIR } from '../../knowledge/index.ts';

function bot() {
  const storage = new MemoryStorage();
  const logger = createLogger('warn', new Writable({ write: (_c, _e, done) => done() }));
  const runtime = createRuntime({
    config: { TZ: 'Asia/Ho_Chi_Minh' },
    logger,
    content: loadContentOrThrow(BUNDLED_CONTENT_DIR),
    storage,
    clock: () => new Date('2026-11-26T09:00:00+07:00'),
  });
  const adapter = new InProcessAdapter('webchat');
  runtime.attach(adapter);
  const say = async (conversationId: string, text: string) =>
    (await adapter.send({ conversationId, userId: `u-${conversationId}`, text }, (c) => runtime.bot.run(c)))
      .map((r) => r.text)
      .join('\n');
  const stored = async (conversationId: string) => {
    const key = `webchat/conversations/${conversationId}/`;
    return (await storage.read([key]))[key] as Record<string, unknown> | undefined;
  };
  return { say, stored, storage };
}

describe('the conversation memo', () => {
  it("keeps the owner's own case in the conversation state, versioned, beside an empty dialog stack", async () => {
    const { say, stored } = bot();
    const id = randomUUID();
    expect(await say(id, 'HKD làm mộc ở xã Liên Hà, Hà Nội, mua máy 360 triệu')).toMatch(/180 triệu/);
    const state = await stored(id);
    expect(state?.memo).toMatchObject({
      version: MEMO_VERSION,
      memo: { situation: true, facts: { province: 'Hà Nội', amount: 360e6 } },
    });
    expect(state?.dialogState).toEqual({ dialogStack: [] });
    expect(await say(id, 'thế dây chuyền 1 tỷ thì sao')).toMatch(/450 triệu/);
  });

  it('writes nothing for a plain question, yet resolves its follow-up in this process', async () => {
    const { say, stored } = bot();
    const id = randomUUID();
    expect(await say(id, 'hỗ trợ máy móc bao nhiêu')).toMatch(/50%/);
    expect(await stored(id)).toBeUndefined();
    expect(await say(id, 'còn dây chuyền thì sao')).toMatch(/1,5 lần/);
  });

  it('drops a memo written by another version instead of misreading it', async () => {
    const { say, storage } = bot();
    const id = randomUUID();
    const key = `webchat/conversations/${id}/`;
    await storage.write({
      [key]: {
        memo: {
          version: MEMO_VERSION + 1,
          memo: { topic: 'level-demo-model', aspect: 'amount', subject: { want: 'demo' }, facts: {} },
        },
      },
    });
    expect(await say(id, 'được bao nhiêu')).not.toMatch(/30%/);
  });

  it('forgets the topic when the user asks to delete their data', async () => {
    const { say } = bot();
    const id = randomUUID();
    await say(id, 'mô hình trình diễn kỹ thuật là gì');
    await say(id, 'xóa dữ liệu của tôi');
    await say(id, 'có, xóa hết');
    expect(await say(id, 'được bao nhiêu')).not.toMatch(/30%/);
  });
});
