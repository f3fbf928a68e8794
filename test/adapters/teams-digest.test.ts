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
