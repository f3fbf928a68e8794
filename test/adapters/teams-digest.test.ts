import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOfficersServer, type OfficersServer } from '../helpers/officers.ts';

let o: OfficersServer;

beforeAll(async () => {
  o = await startOfficersServer();
});
afterAll(() => o.close());

describe('the daily digest per province, instead of a card per registration', () => {
  it("sends each digest conversation one card of the day's registrations in its officer's provinces", async () => {
    await o.tell('hue', 'digest-hue', 'nhận thông báo đăng ký hằng ngày');
    await o.tell('bn', 'cards-bn', 'nhận thông báo đăng ký');
    await o.connector.waitFor(2);
    expect(o.postedTo('digest-hue')[0]).toContain('mỗi ngày một bản tóm tắt');
    o.connector.posted.length = 0;
    const hue = await o.submit('digest-1', 'Huế');
    const hue2 = await o.submit('digest-2', 'Huế');
    const bn = await o.submit('digest-3', 'Bắc Ninh');
    for (const r of [hue, hue2, bn]) await o.server.runtime.announceRegistration(r);
    await new Promise((r) => setTimeout(r, 300));
    // No card per registration for the digest conversation.
    expect(o.postedTo('digest-hue')).toEqual([]);
    expect(await o.server.teams!.digest.send(new Date())).toBeGreaterThanOrEqual(1);
    const [digest] = o.postedTo('digest-hue');
    expect(digest).toContain('đăng ký mới');
    expect(digest).toContain('2 đăng ký mới');
    expect(digest).toContain(hue.code);
    expect(digest).toContain(hue2.code);
    expect(digest).not.toContain(bn.code);
    const card = (
      o.connector.posted.find((p) => p.conversationId === 'digest-hue')!.body.attachments as {
        content: { version: string };
      }[]
    )[0].content;
    expect(card.version).toBe('1.5');
  });
});

describe("the yearly cycle's reminder to curators", () => {
  it('reaches curators and administrators in their chats with the bot and in the digest, weekly, until a new cycle is entered', async () => {
    // The bundled content's cycle (plan year 2024) is past: every national deadline was in 2023.
    await o.tell('curHue', 'chat-cur-hue', 'xin chào', true);
    await o.tell('admin', 'chat-admin', 'xin chào', true);
    await o.tell('hue', 'chat-hue', 'xin chào', true);
    await o.tell('admin', 'digest-admin', 'nhận thông báo đăng ký hằng ngày');
    await o.connector.waitFor(4);
    o.connector.posted.length = 0;
    const now = new Date();
    const reminder = /Nhắc việc biên tập nội dung[\s\S]*Toàn quốc: kế hoạch năm 2024[\s\S]*\/tab\/curate/;

    // The digest carries it for an administrator; an officer's digest does not.
    await o.server.teams!.digest.send(now);
    expect(o.postedTo('digest-admin').join('\n')).toMatch(reminder);
    expect(o.postedTo('digest-hue').join('\n')).not.toMatch(/Nhắc việc biên tập/);

    expect(await o.server.teams!.digest.remind(now)).toBe(2);
    const curator = o.postedTo('chat-cur-hue').join('\n');
    expect(curator).toMatch(reminder);
    expect(curator).toMatch(/Hạn toàn quốc do quản trị viên thêm/);
    expect(o.postedTo('chat-admin').join('\n')).toMatch(reminder);
    expect(o.postedTo('chat-hue')).toEqual([]);
    // Not again within the week, whoever asks; again after it.
    expect(await o.server.teams!.digest.remind(new Date(now.getTime() + 3 * 86_400_000))).toBe(0);
    expect(await o.server.teams!.digest.remind(new Date(now.getTime() + 8 * 86_400_000))).toBe(3);

    // Once a newer plan year is entered, nobody is reminded.
    const next = structuredClone(o.server.versions.liveContent);
    next.entries
      .find((e) => e.id === 'deadline-registration-report')!
      .deadlines.push({ label: 'Gửi báo cáo đăng ký kế hoạch năm 2028', date: '2027-06-20', planYear: 2028 });
    o.server.runtime.reloadKnowledge(next);
    expect(await o.server.teams!.digest.remind(new Date(now.getTime() + 16 * 86_400_000))).toBe(0);
  });
});
