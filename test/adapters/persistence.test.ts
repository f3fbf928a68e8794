import { existsSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { sqlitePath } from '../../adapters/storage/open-stores.ts';
import { runRetention } from '../../bot/retention.ts';
import { useTempDirs } from '../helpers/temp-dirs.ts';
import { say, startTestServer } from '../helpers/server.ts';

const tempDir = useTempDirs('kc-persist');
const outcome = (a: { entities: { type: string; outcome?: string }[] }) =>
  a.entities.find((e) => e.type === 'kc.answer')?.outcome;

describe('with SQLite under the data folder', () => {
  it('keeps a conversation across a restart', async () => {
    const dataDir = tempDir();
    const first = await startTestServer({ dataDir });
    const [clarify] = await say(first.url, 'c-restart', 'hạn');
    expect(outcome(clarify)).toBe('clarified');
    await first.close();

    const second = await startTestServer({ dataDir });
    try {
      const [answer] = await say(second.url, 'c-restart', '1');
      expect(outcome(answer)).toBe('answered');
    } finally {
      await second.close();
    }
  });

  it('stores no state for a conversation that only asks questions, and the state of one waiting for a choice', async () => {
    const dataDir = tempDir();
    const server = await startTestServer({ dataDir });
    try {
      expect(outcome((await say(server.url, 'c-questions-only', 'mức hỗ trợ máy móc'))[0])).toBe('answered');
      expect(outcome((await say(server.url, 'c-questions-only', 'vốn đối ứng là gì'))[0])).toBe('answered');
      expect(outcome((await say(server.url, 'c-waiting', 'hạn'))[0])).toBe('clarified');
      const db = new Database(sqlitePath(dataDir), { readonly: true });
      const keys = (db.prepare('SELECT key FROM bot_state').all() as { key: string }[]).map((r) => r.key);
      db.close();
      expect(keys.some((k) => k.includes('c-waiting'))).toBe(true);
      expect(keys.filter((k) => k.includes('c-questions-only'))).toEqual([]);
      // The choice is still understood on the next turn.
      expect(outcome((await say(server.url, 'c-waiting', '1'))[0])).toBe('answered');
    } finally {
      await server.close();
    }
  });

  it('records fallbacks and rejected clarifications, with a hashed user id only', async () => {
    const server = await startTestServer({ dataDir: tempDir() });
    try {
      await say(server.url, 'c-unanswered', 'Giá vàng SJC hôm nay bao nhiêu?', 'nguyen-van-a');
      await say(server.url, 'c-unanswered', 'hạn', 'nguyen-van-a');
      await say(server.url, 'c-unanswered', 'Không phải các ý trên', 'nguyen-van-a');
      const latest = await server.stores.unanswered.latest(10);
      expect(latest.map((q) => [q.reason, q.text])).toEqual(
        expect.arrayContaining([
          ['fallback', 'Giá vàng SJC hôm nay bao nhiêu?'],
          ['rejected-clarification', 'hạn'],
        ]),
      );
      expect(latest.find((q) => q.reason === 'fallback')!.normalized).toBe('gia vang sjc hom nay bao nhieu?');
      for (const q of latest) {
        expect(q.userHash).toMatch(/^[0-9a-f]{32}$/);
        expect(JSON.stringify(q)).not.toContain('nguyen-van-a');
      }
    } finally {
      await server.close();
    }
  });

  it('keeps no phone number, e-mail or tax code from a question, in the store or the logs', async () => {
    const server = await startTestServer({ dataDir: tempDir() });
    try {
      await say(
        server.url,
        'c-pii',
        'Tôi tên Lan, sđt 0912 345 678, email lan@gmail.com, MST 0101234567, hỏi giá vàng hôm nay',
        'u-pii',
      );
      const [kept] = await server.stores.unanswered.latest(1);
      expect(kept.text).toBe('Tôi tên Lan, sđt [số], email [email], MST [số], hỏi giá vàng hôm nay');
      const logs = server.logs.join('');
      for (const secret of ['0912 345 678', 'lan@gmail.com', '0101234567']) expect(logs).not.toContain(secret);
    } finally {
      await server.close();
    }
  });

  it('deletes the user’s drafts and state after "xóa dữ liệu của tôi" is confirmed, and not before', async () => {
    const server = await startTestServer({ dataDir: tempDir() });
    const stores = server.stores;
    try {
      await stores.registrations.saveDraft(
        { userKey: 'webchat:u-del', channel: 'webchat', schemaVersion: 1, data: { phone: '0912345678' } },
        new Date(),
      );
      await say(server.url, 'c-del', 'hạn', 'u-del');
      const [ask] = await say(server.url, 'c-del', 'xoa du lieu cua toi', 'u-del');
      expect(ask.text).toContain('xóa toàn bộ dữ liệu');
      expect(ask.suggestedActions.actions.map((a) => a.title)).toEqual(['Có, xóa hết', 'Không xóa']);
      expect(await stores.registrations.findDraft('webchat:u-del')).toBeDefined();

      const [done] = await say(server.url, 'c-del', 'Có, xóa hết', 'u-del');
      expect(done.text).toContain('đã xóa');
      expect(await stores.registrations.findDraft('webchat:u-del')).toBeUndefined();
      // The clarification that was pending before is gone with the state.
      const [after] = await say(server.url, 'c-del', '1', 'u-del');
      expect(outcome(after)).not.toBe('answered');
      expect(server.logs.join('')).not.toContain('0912345678');
    } finally {
      await server.close();
    }
  });

  it("erases the user's other conversations and unanswered questions too, keeps other users' data, and leaves none of it readable in the SQLite files", async () => {
    const dataDir = tempDir();
    const server = await startTestServer({ dataDir });
    const stores = server.stores;
    const path = sqlitePath(dataDir);
    const fileHolds = (text: string) =>
      [path, `${path}-wal`].some((f) => existsSync(f) && readFileSync(f).includes(Buffer.from(text, 'utf8')));
    try {
      // A form half-filled in one conversation, a question the bot could not answer in another.
      for (const text of ['tôi muốn đăng ký', 'điền luôn', 'Xưởng Mây Tre Đan Quỳnh Hoa'])
        await say(server.url, 'c-form', text, 'u-erase');
      await say(server.url, 'c-other', 'Nhà tôi ở thôn Vĩnh Khang, hỏi giá lúa gạo hôm nay', 'u-erase');
      await say(server.url, 'c-bystander', 'Tôi ở xóm Bình Minh Xanh, hỏi giá vàng hôm nay', 'u-bystander');
      expect(fileHolds('Quỳnh Hoa')).toBe(true);
      expect((await stores.unanswered.latest(10)).map((q) => q.text).join(' ')).toContain('Vĩnh Khang');

      // Asked from a third conversation.
      await say(server.url, 'c-third', 'xóa dữ liệu của tôi', 'u-erase');
      const [done] = await say(server.url, 'c-third', 'Có, xóa hết', 'u-erase');
      expect(done.text).toContain('đã xóa');
      expect(done.text).toContain('bản đăng ký đã gửi vẫn được giữ');

      expect(await stores.registrations.findDraft('webchat:u-erase')).toBeUndefined();
      const left = (await stores.unanswered.latest(10)).map((q) => q.text).join(' ');
      expect(left).not.toContain('Vĩnh Khang');
      expect(left).toContain('Bình Minh Xanh');
      // The form's conversation starts afresh: nothing of the form is waiting there.
      const [fresh] = await say(server.url, 'c-form', 'hộ kinh doanh', 'u-erase');
      expect(fresh.text).not.toMatch(/Bước \d+/);
      for (const text of ['Quỳnh Hoa', 'Vĩnh Khang']) expect(fileHolds(text)).toBe(false);
      expect(fileHolds('Bình Minh Xanh')).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('keeps a web chat conversation to the user who opened it: another user id posting into it is refused and sees nothing of it', async () => {
    const server = await startTestServer({ dataDir: tempDir() });
    try {
      for (const text of ['tôi muốn đăng ký', 'điền luôn', 'Xưởng Dệt Thổ Cẩm Mai Châu'])
        await say(server.url, 'c-owned', text, 'owner');
      const res = await fetch(`${server.url}/api/webchat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ conversationId: 'c-owned', userId: 'intruder', text: 'xem lại' }),
      });
      expect(res.status).toBe(403);
      const body = await res.text();
      expect(body).toContain('thuộc về người dùng khác');
      expect(body).not.toContain('Mai Châu');
      // The owner carries on where they were.
      const [next] = await say(server.url, 'c-owned', 'hộ kinh doanh', 'owner');
      expect(next.text).toMatch(/Mã số thuế/);
    } finally {
      await server.close();
    }
  });

  it('claims a web chat conversation with its first stored state: plain questions write no owner, and another user id there gets nothing of the first', async () => {
    const dataDir = tempDir();
    const server = await startTestServer({ dataDir });
    const owners = () =>
      new Database(sqlitePath(dataDir), { readonly: true })
        .prepare('SELECT conversation_id, user_key FROM conversation_owners ORDER BY conversation_id')
        .all();
    try {
      // A plain question, then a follow-up the memo resolves for its asker.
      await say(server.url, 'c-plain', 'mức hỗ trợ máy móc thiết bị là bao nhiêu', 'first');
      expect(owners()).toEqual([]);
      const [mine] = await say(server.url, 'c-plain', 'vậy hạn khi nào', 'first');
      expect(owners()).toEqual([]);
      // Another user id in the same conversation: served, but the first user's topic is not theirs.
      const [theirs] = await say(server.url, 'c-plain', 'vậy hạn khi nào', 'second');
      expect(theirs.text).not.toBe(mine.text);
      // Starting the form stores state: the conversation is the starter's from then on.
      await say(server.url, 'c-plain', 'tôi muốn đăng ký', 'second');
      expect(owners()).toEqual([{ conversation_id: 'c-plain', user_key: 'webchat:second' }]);
      const refused = await fetch(`${server.url}/api/webchat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ conversationId: 'c-plain', userId: 'first', text: 'xem lại' }),
      });
      expect(refused.status).toBe(403);
    } finally {
      await server.close();
    }
  });

  it('leaves no text of a cancelled draft readable in the SQLite files once the next retention round has run', async () => {
    const dataDir = tempDir();
    const server = await startTestServer({ dataDir });
    const path = sqlitePath(dataDir);
    const fileHolds = (text: string) =>
      [path, `${path}-wal`].some((f) => existsSync(f) && readFileSync(f).includes(Buffer.from(text, 'utf8')));
    try {
      for (const text of ['tôi muốn đăng ký', 'điền luôn', 'Xưởng Đan Cói Hồng Nhung', 'hủy', 'Có, hủy'])
        await say(server.url, 'c-cancel', text, 'u-cancel');
      expect(await server.stores.registrations.findDraft('webchat:u-cancel')).toBeUndefined();
      // The undo ("khôi phục") window closes with the next message.
      await say(server.url, 'c-cancel', 'vốn đối ứng là gì', 'u-cancel');
      await runRetention(server.stores, new Date(), { draftDays: 90, unansweredDays: 365 });
      expect(fileHolds('Hồng Nhung')).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('keeps everything when the deletion is declined', async () => {
    const server = await startTestServer({ dataDir: tempDir() });
    try {
      await server.stores.registrations.saveDraft(
        { userKey: 'webchat:u-keep', channel: 'webchat', schemaVersion: 1, data: {} },
        new Date(),
      );
      await say(server.url, 'c-keep', 'Xóa dữ liệu của tôi', 'u-keep');
      const [declined] = await say(server.url, 'c-keep', 'Không xóa', 'u-keep');
      expect(declined.text).toContain('giữ nguyên');
      expect(await server.stores.registrations.findDraft('webchat:u-keep')).toBeDefined();
    } finally {
      await server.close();
    }
  });

  it('purges drafts older than the retention period, judged by an injected clock', async () => {
    const server = await startTestServer({ dataDir: tempDir() });
    const stores = server.stores;
    try {
      const day = 86_400_000;
      const now = new Date('2026-11-26T00:00:00Z');
      await stores.registrations.saveDraft(
        { userKey: 'a', channel: 'zalo', schemaVersion: 1, data: {} },
        new Date(now.getTime() - 91 * day),
      );
      await stores.registrations.saveDraft(
        { userKey: 'b', channel: 'zalo', schemaVersion: 1, data: {} },
        new Date(now.getTime() - 89 * day),
      );
      const submitted = await stores.registrations.saveDraft(
        { userKey: 'c', channel: 'zalo', schemaVersion: 1, data: {} },
        new Date(now.getTime() - 400 * day),
      );
      await stores.registrations.submit(submitted.id, new Date(now.getTime() - 400 * day));
      await stores.deliveryKeys.claim('old', new Date(now.getTime() - 3 * day));
      await stores.deliveryKeys.claim('fresh', new Date(now.getTime() - 0.5 * day));
      const question = (text: string, daysAgo: number) =>
        stores.unanswered.record({
          text,
          normalized: text,
          channel: 'zalo',
          userHash: 'h',
          reason: 'fallback',
          createdAt: new Date(now.getTime() - daysAgo * day),
        });
      await question('toi la nguyen van a hoi gia vang', 366);
      await question('gia lua hom nay', 364);

      await stores.conversations.claim('webchat', 'opened-long-ago', 'webchat:a', new Date(now.getTime() - 91 * day));
      await stores.conversations.claim('webchat', 'opened-lately', 'webchat:b', new Date(now.getTime() - 89 * day));
      await stores.deadlineWatches.watch('zalo:asked-long-ago', 2024, new Date(now.getTime() - 401 * day));
      await stores.deadlineWatches.watch('zalo:asked-lately', 2024, new Date(now.getTime() - 399 * day));

      expect(await runRetention(stores, now, { draftDays: 90, unansweredDays: 365 })).toEqual({
        drafts: 1,
        userState: 0,
        unanswered: 1,
        deliveryKeys: 1,
        owners: 1,
        deadlineWatches: 1,
      });
      expect(await stores.deadlineWatches.pending(2027, 10)).toEqual(['zalo:asked-lately']);
      expect(await stores.registrations.findDraft('a')).toBeUndefined();
      expect(await stores.registrations.findDraft('b')).toBeDefined();
      expect((await stores.registrations.list({ status: 'submitted' })).length).toBe(1);
      expect(await stores.deliveryKeys.claim('fresh', now)).toBe(false);
      expect((await stores.unanswered.latest(10)).map((q) => q.text)).toEqual(['gia lua hom nay']);
    } finally {
      await server.close();
    }
  });

  it('purges a form abandoned longer than the retention period from the conversation state as well as the draft, and keeps other documents', async () => {
    const dataDir = tempDir();
    const server = await startTestServer({ dataDir });
    const db = new Database(sqlitePath(dataDir));
    try {
      for (const text of ['tôi muốn đăng ký', 'điền luôn', 'Cơ sở Mộc Hưng'])
        await say(server.url, 'c-abandoned', text, 'owner-1');
      await say(server.url, 'c-recent', 'hạn', 'owner-2');
      const held = () =>
        db
          .prepare(
            "SELECT (SELECT COUNT(*) FROM bot_state WHERE doc LIKE '%Mộc Hưng%') + (SELECT COUNT(*) FROM registrations WHERE data LIKE '%Mộc Hưng%') AS n",
          )
          .get() as { n: number };
      // One copy of the answers (issue 20): the draft row; the conversation state holds the form's position.
      expect(held().n).toBe(1);
      expect(
        (db.prepare("SELECT COUNT(*) AS n FROM bot_state WHERE key LIKE '%c-abandoned%'").get() as { n: number }).n,
      ).toBe(1);
      // The abandoned form was last touched 91 days ago; the Zalo tokens a year ago.
      const ago = Date.now() - 91 * 86_400_000;
      db.prepare("UPDATE bot_state SET updated_at = ? WHERE key LIKE '%c-abandoned%'").run(ago);
      db.prepare("UPDATE registrations SET updated_at = ? WHERE user_key = 'webchat:owner-1'").run(ago);
      db.prepare("INSERT INTO bot_state (key, etag, doc, updated_at) VALUES ('zalo/tokens', 'e', '{}', ?)").run(
        Date.now() - 365 * 86_400_000,
      );

      expect(await runRetention(server.stores, new Date(), { draftDays: 90, unansweredDays: 365 })).toEqual({
        drafts: 1,
        userState: 1,
        unanswered: 0,
        deliveryKeys: 0,
        owners: 0,
        deadlineWatches: 0,
      });
      expect(held().n).toBe(0);
      const keys = (db.prepare('SELECT key FROM bot_state ORDER BY key').all() as { key: string }[]).map((r) => r.key);
      expect(keys.some((k) => k.includes('c-recent'))).toBe(true);
      expect(keys).toContain('zalo/tokens');
      expect(keys.some((k) => k.includes('c-abandoned'))).toBe(false);
    } finally {
      db.close();
      await server.close();
    }
  });
});
