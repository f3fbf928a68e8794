import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zaloTextMessages } from '../../adapters/zalo/zalo-mapping.ts';
import { zaloSignature } from '../../adapters/zalo/zalo-signature.ts';
import type { KnowledgeContent } from '../../knowledge/index.ts';
import { say, startTestServer, type TestServer } from '../helpers/server.ts';
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

async function until(check: () => boolean, tries = 200): Promise<void> {
  for (let i = 0; i < tries && !check(); i++) await new Promise((r) => setTimeout(r, 25));
}

/** A round of the news on Zalo, as the server runs one every two minutes, telling at most `limit`. */
const round = (server: TestServer, limit = 100) => server.deadlineNews.run(zaloTextMessages, limit);
const news = (userId: string) => textsTo(userId).filter((t) => /nhờ tôi báo/.test(t));

/** A curator publishes a newer cycle; the server reads who waits again. */
async function publishNewCycle(server: TestServer): Promise<void> {
  server.runtime.reloadKnowledge(withNewCycle(server));
  await server.deadlineNews.refresh();
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
    expect(await round(server)).toBe(0);

    await publishNewCycle(server);
    expect(await round(server)).toBe(1);
    await until(() => textsTo('zn-asker').length > 1);
    expect(textsTo('zn-asker')[1]).toMatch(/đã có hạn của kế hoạch năm 2027 mà anh\/chị nhờ tôi báo[\s\S]*còn 30 ngày/);
    // Past 48 hours, without paid messages: not written to first.
    expect(textsTo('zn-three-days')).toEqual([]);
    // A second round tells nobody again.
    expect(await round(server)).toBe(0);

    // Their next message does not repeat the news; the other owner hears it with theirs, once.
    const before = zalo.sent.length;
    await ownerWrites(server, 'zn-asker', 'cảm ơn');
    await until(() => zalo.sent.length > before);
    expect(news('zn-asker')).toHaveLength(1);
    await ownerWrites(server, 'zn-three-days', 'chào');
    await until(() => news('zn-three-days').length > 0);
    expect(await round(server)).toBe(0);
    await ownerWrites(server, 'zn-three-days', 'cảm ơn');
    await until(() => textsTo('zn-three-days').length > 2);
    expect(news('zn-three-days')).toHaveLength(1);
  });

  it('tells an owner who writes while a round is running once, not twice', async () => {
    const server = await zaloServer(false);
    await ownerWrites(server, 'zr-racer', 'bao cho toi khi co han moi nhe');
    await until(() => textsTo('zr-racer').length > 0);
    await publishNewCycle(server);
    // The owner's message arrives, and is answered with the news, after the round has listed them.
    const watches = server.stores.deadlineWatches;
    const list = watches.zaloWithinWindow.bind(watches);
    watches.zaloWithinWindow = async (...args) => {
      const listed = await list(...args);
      await ownerWrites(server, 'zr-racer', 'chào');
      await until(() => news('zr-racer').length > 0);
      return listed;
    };
    try {
      expect(await round(server)).toBe(0);
    } finally {
      watches.zaloWithinWindow = list;
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(news('zr-racer')).toHaveLength(1);
  });

  it('reaches the owners the OA may write to however many older watches wait outside its window', async () => {
    const server = await zaloServer(false);
    for (let i = 0; i < 300; i++) await waitingOwner(server, `zo-old-${i}`, 200 * 24);
    await ownerWrites(server, 'zo-fresh', 'bao cho toi khi co han moi nhe');
    await until(() => textsTo('zo-fresh').length > 0);
    await publishNewCycle(server);
    expect(await round(server, 5)).toBe(1);
    await until(() => news('zo-fresh').length > 0);
    expect(news('zo-fresh')).toHaveLength(1);
  });

  it("queues a share of the OA's quota a round, so owners writing meanwhile are not kept waiting behind the news", async () => {
    const server = await zaloServer(false);
    for (let i = 0; i < 12; i++) await waitingOwner(server, `zq-${i}`, 1);
    await publishNewCycle(server);
    expect(await round(server, 5)).toBe(5);
    expect(await round(server, 5)).toBe(5);
    expect(await round(server, 5)).toBe(2);
    expect(await round(server, 5)).toBe(0);
  });

  it('does not take the question "bao giờ có hạn mới" for a request to be told', async () => {
    const server = await zaloServer(false);
    await ownerWrites(server, 'zw-question', 'bao giờ có hạn mới vậy ạ');
    await until(() => textsTo('zw-question').length > 0);
    expect(await server.stores.deadlineWatches.pending(9999, 10)).toEqual([]);
    await ownerWrites(server, 'zw-asks', 'có hạn mới thì nhắn em với nhé');
    await until(() => textsTo('zw-asks').length > 0);
    expect(await server.stores.deadlineWatches.pending(9999, 10)).toEqual(['zalo:zw-asks']);
  });
});

describe('"báo cho tôi khi có hạn mới" on the web chat', () => {
  it('tells the owner with their next message, though their conversation state has expired meanwhile', async () => {
    const server = await zaloServer(false);
    const post = async (text: string) =>
      (await say(server.url, 'wc-news', text, 'wu-news')).map((a) => a.text).join('\n');
    expect(await post('báo cho tôi khi có hạn mới')).toMatch(/ở lần anh\/chị nhắn tin tiếp theo/);
    // Months later, retention has deleted the conversation state; the watch is kept.
    await server.stores.botState.purgeUserState(new Date(NOW.getTime() + HOUR));
    await publishNewCycle(server);
    expect(await post('chào')).toMatch(/đã có hạn của kế hoạch năm 2027 mà anh\/chị nhờ tôi báo/);
    expect(await post('chào')).not.toMatch(/nhờ tôi báo/);
  });
});

describe('the Zalo news round', () => {
  it('uses paid consultation messages between 48 hours and 7 days where the deployment enables them, never after', async () => {
    const server = await zaloServer(true);
    await ownerWrites(server, 'zp-asker', 'báo em khi có hạn năm sau nhé');
    await until(() => textsTo('zp-asker').length > 0);
    expect(textsTo('zp-asker')[0]).toMatch(/nhắn trước trong vòng 7 ngày/);
    await waitingOwner(server, 'zp-three-days', 72);
    await waitingOwner(server, 'zp-eight-days', 8 * 24);
    await publishNewCycle(server);
    expect(await round(server)).toBe(2);
    await until(() => textsTo('zp-three-days').length > 0);
    expect(textsTo('zp-three-days')[0]).toMatch(/kế hoạch năm 2027/);
    expect(textsTo('zp-eight-days')).toEqual([]);
    expect(textsTo('zp-three-days')[0]).toMatch(/kế hoạch năm 2027/);
    // The one not told keeps waiting; "xóa dữ liệu của tôi" ends that too.
    expect(await server.stores.deadlineWatches.pending(2027, 10)).toEqual(['zalo:zp-eight-days']);
    await server.stores.personalData.erase({
      userKey: 'zalo:zp-eight-days',
      userHash: 'x',
      channel: 'zalo',
      userId: 'zp-eight-days',
    });
    expect(await server.stores.deadlineWatches.pending(2027, 10)).toEqual([]);
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
      await publishNewCycle(server);
      expect(await round(server)).toBe(1);
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
