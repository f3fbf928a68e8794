import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zaloSignature } from '../../adapters/zalo/zalo-signature.ts';
import type { KnowledgeContent } from '../../knowledge/index.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { ZaloStandIn, zaloUserWroteAt } from '../helpers/zalo-standin.ts';

const APP_ID = '360846524940903967';
const OA_SECRET = 'oa-secret-key';
const HOUR = 3_600_000;
// Close to the real time: Zalo events are refused an hour off the wall clock, and the outbox drops
// what waited more than 6 hours.
const NOW = new Date();
let zalo: ZaloStandIn;
const servers: TestServer[] = [];
let seq = 0;

async function zaloServer(paid: boolean): Promise<TestServer> {
  const server = await startTestServer({
    now: NOW,
    env: zalo.env(APP_ID, OA_SECRET, { ZALO_PAID_CONSULTATION: String(paid) }),
  });
  servers.push(server);
  return server;
}

/** An owner's text message, delivered and signed as Zalo does. */
async function ownerWrites(server: TestServer, userId: string, text: string): Promise<void> {
  seq += 1;
  const raw = JSON.stringify({
    app_id: APP_ID,
    sender: { id: userId },
    recipient: { id: '388613280878808645' },
    event_name: 'user_send_text',
    message: { text, msg_id: `deadline-news-${seq}-${Date.now()}` },
    timestamp: String(Date.now()),
  });
  const timestamp = (JSON.parse(raw) as { timestamp: string }).timestamp;
  const res = await fetch(`${server.url}/api/zalo/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-zevent-signature': `mac=${zaloSignature(APP_ID, Buffer.from(raw), timestamp, OA_SECRET)}`,
    },
    body: raw,
  });
  expect(res.status).toBe(200);
}

/** An owner who asked to be told, and last wrote `hoursAgo` hours ago. */
async function waitingOwner(server: TestServer, userId: string, hoursAgo: number): Promise<void> {
  const at = new Date(NOW.getTime() - hoursAgo * HOUR);
  await zaloUserWroteAt(server.stores, userId, at);
  await server.stores.deadlineWatches.watch(`zalo:${userId}`, 2024, at);
}

const textsTo = (userId: string) =>
  zalo.sent
    .filter((s) => (s.body.recipient as { user_id: string }).user_id === userId)
    .map((s) => String((s.body.message as { text?: string }).text));

/** The live content with a 2027 cycle's registration report deadline, as a curator would publish it. */
function withNewCycle(server: TestServer): KnowledgeContent {
  const next = structuredClone(server.versions.liveContent);
  const day = new Date(NOW.getTime() + 30 * 24 * HOUR).toISOString().slice(0, 10);
  next.entries
    .find((e) => e.id === 'deadline-registration-report')!
    .deadlines.push({ label: 'Gửi báo cáo đăng ký kế hoạch năm 2027', date: day, planYear: 2027 });
  return next;
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
}

beforeAll(async () => {
  zalo = new ZaloStandIn();
  await zalo.start();
});
afterAll(async () => {
  for (const s of servers) await s.close();
  await zalo.stop();
});

describe('"báo cho tôi khi có hạn mới" on Zalo', () => {
  it("tells the owner proactively within Zalo's free window, once, and the others when they write", async () => {
    const server = await zaloServer(false);
    await ownerWrites(server, 'zn-asker', 'bao cho toi khi co han moi nhe');
    await until(() => textsTo('zn-asker').length > 0);
    expect(textsTo('zn-asker')[0]).toMatch(/tôi sẽ nhắn báo anh\/chị.*48 giờ/s);
    await waitingOwner(server, 'zn-three-days', 72);

    // Nothing newer yet: nobody is told.
    expect(await server.deadlineNews.run()).toBe(0);

    server.runtime.reloadKnowledge(withNewCycle(server));
    expect(await server.deadlineNews.run()).toBe(1);
    await until(() => textsTo('zn-asker').length > 1);
    expect(textsTo('zn-asker')[1]).toMatch(/đã có hạn của kế hoạch năm 2027 mà anh\/chị nhờ tôi báo[\s\S]*còn 30 ngày/);
    // Past 48 hours, without paid messages: not written to first.
    expect(textsTo('zn-three-days')).toEqual([]);
    // A second round tells nobody again.
    expect(await server.deadlineNews.run()).toBe(0);

    // Their next message does not repeat the news; the other owner hears it with theirs.
    const before = zalo.sent.length;
    await ownerWrites(server, 'zn-asker', 'cảm ơn');
    await until(() => zalo.sent.length > before);
    expect(textsTo('zn-asker').slice(2).join('\n')).not.toMatch(/nhờ tôi báo/);
    // An owner who asked in a conversation the bot remembers is told with their next message,
    // once; one who asked only in the store (as above) is told by the next round once they write.
    await ownerWrites(server, 'zn-three-days', 'chào');
    await until(() => textsTo('zn-three-days').length > 0);
    expect(await server.deadlineNews.run()).toBe(1);
    await until(() => textsTo('zn-three-days').some((t) => /nhờ tôi báo/.test(t)));
    expect(textsTo('zn-three-days').filter((t) => /nhờ tôi báo/.test(t))).toHaveLength(1);
  });

  it('uses paid consultation messages between 48 hours and 7 days where the deployment enables them, never after', async () => {
    const server = await zaloServer(true);
    await waitingOwner(server, 'zp-three-days', 72);
    await waitingOwner(server, 'zp-eight-days', 8 * 24);
    server.runtime.reloadKnowledge(withNewCycle(server));
    expect(await server.deadlineNews.run()).toBe(1);
    await until(() => textsTo('zp-three-days').length > 0);
    expect(textsTo('zp-three-days')[0]).toMatch(/kế hoạch năm 2027/);
    expect(textsTo('zp-eight-days')).toEqual([]);
    // The one not told keeps waiting; "xóa dữ liệu của tôi" ends that too.
    expect(await server.stores.deadlineWatches.waiting('zalo', 2027, 10)).toMatchObject([
      { userKey: 'zalo:zp-eight-days', planYear: 2024 },
    ]);
    await server.stores.personalData.erase({
      userKey: 'zalo:zp-eight-days',
      userHash: 'x',
      channel: 'zalo',
      userId: 'zp-eight-days',
    });
    expect(await server.stores.deadlineWatches.waiting('zalo', 2027, 10)).toEqual([]);
  });

  it("is known as the bot's own when Zalo echoes it before answering the send, so the bot does not pause as for an officer", async () => {
    const server = await zaloServer(false);
    zalo.echoTo = {
      webhookUrl: `${server.url}/api/zalo/webhook`,
      appId: APP_ID,
      sign: (raw, ts) => zaloSignature(APP_ID, Buffer.from(raw), ts, OA_SECRET),
    };
    try {
      await waitingOwner(server, 'zn-echoed', 2);
      server.runtime.reloadKnowledge(withNewCycle(server));
      expect(await server.deadlineNews.run()).toBe(1);
      await until(() => textsTo('zn-echoed').length > 0);
      await new Promise((r) => setTimeout(r, 300));
      await ownerWrites(server, 'zn-echoed', 'hạn nộp hồ sơ khi nào');
      await until(() => textsTo('zn-echoed').length > 1);
      expect(textsTo('zn-echoed')).toHaveLength(2);
      expect(server.logs.join('')).not.toContain('an officer is answering');
    } finally {
      zalo.echoTo = undefined;
    }
  });
});
