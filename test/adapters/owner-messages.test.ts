import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegistrationRecord } from '../../bot/stores.ts';
import { startOfficersServer, type OfficersServer } from '../helpers/officers.ts';
import { say } from '../helpers/server.ts';
import { ZaloStandIn, zaloUserWroteAt } from '../helpers/zalo-standin.ts';

const HOUR = 3_600_000;
// Close to the real time: the Zalo outbox drops what waited more than 6 hours by the wall clock.
const NOW = new Date();
let zalo: ZaloStandIn;
const servers: OfficersServer[] = [];

async function officersWithZalo(paid: boolean): Promise<OfficersServer> {
  const o = await startOfficersServer({
    now: NOW,
    env: zalo.env('app-1', 'oa-secret', { ZALO_PAID_CONSULTATION: String(paid) }),
  });
  servers.push(o);
  return o;
}

/** A Zalo owner's submitted registration, whose owner last wrote `hoursAgo` hours ago. */
async function zaloOwner(o: OfficersServer, userId: string, hoursAgo: number): Promise<RegistrationRecord> {
  const stores = o.server.stores;
  const draft = await stores.registrations.saveDraft(
    {
      userKey: `zalo:${userId}`,
      channel: 'zalo',
      schemaVersion: 1,
      data: { facilityName: `Cơ sở ${userId}`, phone: '0912345678', consent: true },
      province: 'Huế',
      supportArea: 'may-moc-thiet-bi',
    },
    NOW,
  );
  await zaloUserWroteAt(stores, userId, new Date(NOW.getTime() - hoursAgo * HOUR));
  return stores.registrations.submit(draft.id, NOW);
}

type Reach = { delivery: string; canSend: boolean; explanation: string; phone?: string };
const sentTo = (userId: string) =>
  zalo.sent
    .filter((s) => (s.body.recipient as { user_id: string }).user_id === userId)
    .map((s) => String((s.body.message as { text?: string }).text));

beforeAll(async () => {
  zalo = new ZaloStandIn();
  await zalo.start();
});
afterAll(async () => {
  for (const o of servers) await o.close();
  await zalo.stop();
});

describe("an officer's message and a status change reach a Zalo owner within Zalo's window", () => {
  it('sends within 48 hours of the owner’s last message, through the outbox, signed with the registration', async () => {
    const o = await officersWithZalo(false);
    const r = await zaloOwner(o, 'zu-fresh', 5);
    const reach = (await (await o.request('hue', `/api/registrations/${r.code}/reach`)).json()) as Reach;
    expect(reach).toMatchObject({ delivery: 'zalo-free', canSend: true });
    const res = await o.request('hue', `/api/registrations/${r.code}/messages`, {
      body: { text: 'Anh/chị gửi giúp bản sao giấy đăng ký kinh doanh.' },
    });
    expect(res.status).toBe(200);
    // A status change the officer chooses to tell: polite, and says what to do next.
    await o.request('hue', `/api/registrations/${r.code}/stage`, { body: { to: 'received', notifyOwner: true } });
    await zalo.waitForSent(2);
    const texts = sentTo('zu-fresh');
    expect(texts[0]).toContain('Anh/chị gửi giúp bản sao giấy đăng ký kinh doanh.');
    expect(texts[0]).toContain(`Sở Công Thương – Cán bộ Huế, về đăng ký ${r.code}`);
    expect(texts[1]).toContain(
      `Dạ, Sở Công Thương đã tiếp nhận bản đăng ký ${r.code} của anh/chị. Anh/chị chưa cần làm gì thêm; Sở sẽ báo khi có kết quả xem xét.`,
    );
    const history = await o.server.stores.work.history(r.id);
    expect(history.filter((e) => e.kind === 'message-out').map((e) => e.details.delivery)).toEqual([
      'zalo-free',
      'zalo-free',
    ]);
    const audit = await o.server.stores.audit.list(50);
    expect(audit.filter((a) => a.action === 'registration.message' && a.details.code === r.code)).toHaveLength(2);
  });

  it('refuses between 48 hours and 7 days without paid consultation messages, and after 7 days always, showing the phone', async () => {
    const o = await officersWithZalo(false);
    for (const [user, hours, words] of [
      ['zu-3days', 72, 'hơn 48 giờ'],
      ['zu-10days', 240, 'quá 7 ngày'],
    ] as const) {
      const r = await zaloOwner(o, user, hours);
      const reach = (await (await o.request('hue', `/api/registrations/${r.code}/reach`)).json()) as Reach;
      expect(reach).toMatchObject({ canSend: false, phone: '0912345678' });
      expect(reach.explanation).toContain(words);
      const res = await o.request('hue', `/api/registrations/${r.code}/messages`, { body: { text: 'Xin chào' } });
      expect(res.status).toBe(409);
      expect(((await res.json()) as { message: string }).message).toContain('0912345678');
      const history = await o.server.stores.work.history(r.id);
      expect(history.map((e) => e.kind)).toEqual(['message-refused']);
    }
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(sentTo('zu-3days')).toEqual([]);
    expect(sentTo('zu-10days')).toEqual([]);
  });

  it('sends from 48 hours to 7 days as a paid consultation message where the deployment enables it, never after', async () => {
    const o = await officersWithZalo(true);
    const r = await zaloOwner(o, 'zu-paid', 72);
    const res = await o.request('hue', `/api/registrations/${r.code}/messages`, {
      body: { text: 'Sở đã nhận hồ sơ.' },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { reach: Reach }).reach.delivery).toBe('zalo-paid');
    await zalo.waitForSent(zalo.sent.length + 1);
    expect(sentTo('zu-paid')[0]).toContain('Sở đã nhận hồ sơ.');
    const late = await zaloOwner(o, 'zu-late', 200);
    expect((await o.request('hue', `/api/registrations/${late.code}/messages`, { body: { text: 'x' } })).status).toBe(
      409,
    );
  });

  it('keeps a web chat owner’s messages for their next visit; another province cannot write', async () => {
    const o = servers[0];
    const r = await o.submit('web-owner', 'Huế');
    expect((await o.request('bn', `/api/registrations/${r.code}/messages`, { body: { text: 'x' } })).status).toBe(404);
    const reach = (await (await o.request('hue', `/api/registrations/${r.code}/reach`)).json()) as Reach;
    expect(reach.delivery).toBe('webchat-waiting');
    expect((await o.request('hue', `/api/registrations/${r.code}/messages`, { body: { text: '  ' } })).status).toBe(
      422,
    );
    expect(
      (await o.request('hue', `/api/registrations/${r.code}/messages`, { body: { text: 'Mời anh/chị lên Sở' } }))
        .status,
    ).toBe(200);
    const waiting = await o.server.stores.work.takeOwnerMessages('webchat:web-owner', NOW);
    expect(waiting.map((m) => m.text.split('\n')[0])).toEqual(['Mời anh/chị lên Sở']);
    expect(await o.server.stores.work.takeOwnerMessages('webchat:web-owner', NOW)).toEqual([]);
    // The owner comes back to the web chat: the Sở's message comes first, then the answer to what they wrote.
    await o.request('hue', `/api/registrations/${r.code}/messages`, { body: { text: 'Hồ sơ đã đủ, cảm ơn anh/chị' } });
    const replies = await say(o.server.url, 'web-owner-conv', 'xin chào', 'web-owner');
    expect(replies[0].text).toMatch(/^Tin nhắn từ Sở Công Thương:\n\nHồ sơ đã đủ, cảm ơn anh\/chị/);
    expect(replies.length).toBeGreaterThan(1);
    expect((await say(o.server.url, 'web-owner-conv', 'xin chào', 'web-owner'))[0].text).not.toContain(
      'Tin nhắn từ Sở',
    );
  });
});
