/** Curators' marks on unanswered questions: who may mark, what a mark may hold, and how long it keeps it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRetention } from '../../bot/retention.ts';
import { say } from '../helpers/server.ts';
import { startOfficersServer, type OfficersServer } from '../helpers/officers.ts';

let o: OfficersServer;
beforeAll(async () => {
  o = await startOfficersServer();
});
afterAll(() => o.close());

type Groups = { groups: { normalized: string[]; status: string }[] };
const groupOf = async (who: 'curHue' | 'admin', text: RegExp) =>
  ((await (await o.request(who, '/api/unanswered?days=30&status=all')).json()) as Groups).groups.find((g) =>
    g.normalized.some((n) => text.test(n)),
  );

describe('marks on unanswered questions', () => {
  it('refuses officers without the curator role and malformed bodies; keeps curator and administrator marks apart', async () => {
    const body = { normalized: ['gia vang hom nay'], status: 'handled' };
    expect((await o.request('hue', '/api/unanswered/marks', { body })).status).toBe(403);
    expect((await o.request('none', '/api/unanswered/marks', { body })).status).toBe(403);
    for (const bad of [
      { normalized: Array.from({ length: 10_000 }, (_, i) => `q${i}`), status: 'handled' },
      { normalized: [1, 2], status: 'handled' },
      { normalized: [''], status: 'handled' },
      { normalized: ['x'.repeat(1001)], status: 'handled' },
      { normalized: ['a'], status: 'done' },
      { normalized: 'a', status: 'handled' },
      { normalized: ['a'], status: 'handled', scope: '' },
    ])
      expect((await o.request('curHue', '/api/unanswered/marks', { body: bad })).status).toBe(400);

    const [reply] = await say(o.server.url, 'a3-marks', 'giá vàng sjc hôm nay bao nhiêu', 'a3-owner');
    expect(reply.text).toMatch(/không thuộc|chưa có thông tin/);
    const g = await groupOf('curHue', /gia vang/);
    expect(g?.status).toBe('open');
    expect(
      (await o.request('curHue', '/api/unanswered/marks', { body: { normalized: g!.normalized, status: 'ignored' } }))
        .status,
    ).toBe(204);
    expect((await groupOf('curHue', /gia vang/))?.status).toBe('ignored');
    // The administrators' view is their own.
    expect((await groupOf('admin', /gia vang/))?.status).toBe('open');
  });

  // A mark holds the question's words (a name, a village): they go with the question.
  it("forgets the owner's words in marks when the owner erases their data and when retention deletes the question", async () => {
    await say(
      o.server.url,
      'a3-erase',
      'em là Nguyễn Thị Hoa ở thôn Đồng Xá, giá vàng sjc hôm nay bao nhiêu',
      'a3-hoa',
    );
    const g = await groupOf('curHue', /nguyen thi hoa/);
    expect(g).toBeDefined();
    await o.request('curHue', '/api/unanswered/marks', { body: { normalized: g!.normalized, status: 'handled' } });
    const replies = await say(o.server.url, 'a3-erase', 'xóa dữ liệu của tôi', 'a3-hoa');
    // Confirmation step, if any.
    if (!replies.some((r) => /đã xóa/.test(r.text ?? ''))) await say(o.server.url, 'a3-erase', 'đồng ý', 'a3-hoa');
    expect((await o.server.stores.unanswered.latest(50)).map((q) => q.normalized).join(' ')).not.toMatch(/hoa/);
    await runRetention(o.server.stores, new Date(Date.now() + 3650 * 86_400_000), {
      draftDays: 90,
      unansweredDays: 365,
    });
    const kept = await o.server.stores.unanswered.marks(['Huế', '']);
    expect(kept.map((m) => m.normalized).join(' ')).not.toMatch(/nguyen thi hoa/);
  });

  it('does not keep marks on texts nobody asked', async () => {
    const normalized = Array.from({ length: 500 }, (_, i) =>
      `${i} ${'khong ai hoi cau nay '.repeat(45)}`.slice(0, 1000),
    );
    const res = await o.request('curHue', '/api/unanswered/marks', { body: { normalized, status: 'handled' } });
    expect(res.status).toBe(400);
    expect(
      (await o.server.stores.unanswered.marks(['Huế'])).filter((m) => /khong ai hoi/.test(m.normalized)).length,
    ).toBe(0);
  });
});
