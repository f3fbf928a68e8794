import { describe, expect, it } from 'vitest';
import type { RegistrationRecord, Stores } from '../../../bot/stores.ts';
import { migrate, MIGRATIONS } from '../../../adapters/storage/migrations.ts';
import { zaloPauseKey } from '../../../adapters/zalo/zalo-adapter.ts';
import { storesOn } from '../../../adapters/storage/open-stores.ts';
import { EtagConflictError, SqlStorage } from '../../../adapters/storage/sql-storage.ts';
import type { TestDatabase } from '../../helpers/databases.ts';
import { STORE_ENGINES, useMigratedStores } from '../../helpers/store-suites.ts';

describe.each(STORE_ENGINES)('%s stores', (_name, open, skip) => {
  let database: TestDatabase;
  let storage: SqlStorage;
  let stores: Stores;

  useMigratedStores(open, skip, (d, s) => {
    database = d;
    storage = new SqlStorage(d.db);
    stores = s;
  });

  describe.skipIf(skip)('botbuilder Storage eTag contract', () => {
    it('reads back what was written, with an eTag, and nothing for unknown keys', async () => {
      await storage.write({ a: { n: 1, text: 'Hỗ trợ' } });
      const items = await storage.read(['a', 'missing']);
      expect(items.a).toMatchObject({ n: 1, text: 'Hỗ trợ' });
      expect(typeof items.a.eTag).toBe('string');
      expect(items.missing).toBeUndefined();
      expect(await storage.read([])).toEqual({});
    });

    it('overwrites without an eTag or with "*"', async () => {
      await storage.write({ b: { n: 1 } });
      await storage.write({ b: { n: 2 } });
      await storage.write({ b: { n: 3, eTag: '*' } });
      expect((await storage.read(['b'])).b).toMatchObject({ n: 3 });
    });

    it('writes with a matching eTag and gives a new one', async () => {
      await storage.write({ c: { n: 1 } });
      const first = (await storage.read(['c'])).c;
      await storage.write({ c: { ...first, n: 2 } });
      const second = (await storage.read(['c'])).c;
      expect(second.n).toBe(2);
      expect(second.eTag).not.toBe(first.eTag);
    });

    it('refuses a stale eTag and keeps the newer document', async () => {
      await storage.write({ d: { n: 1 } });
      const stale = (await storage.read(['d'])).d;
      await storage.write({ d: { ...stale, n: 2 } });
      await expect(storage.write({ d: { ...stale, n: 99 } })).rejects.toBeInstanceOf(EtagConflictError);
      expect((await storage.read(['d'])).d.n).toBe(2);
    });

    it('writes a new document whatever eTag it carries', async () => {
      await storage.write({ e: { n: 1, eTag: 'from-elsewhere' } });
      expect((await storage.read(['e'])).e.n).toBe(1);
    });

    it('writes several keys all or nothing', async () => {
      await storage.write({ f: { n: 1 } });
      const stale = (await storage.read(['f'])).f;
      await storage.write({ f: { ...stale, n: 2 } });
      await expect(storage.write({ g: { n: 1 }, f: { ...stale, n: 3 } })).rejects.toBeInstanceOf(EtagConflictError);
      expect((await storage.read(['g'])).g).toBeUndefined();
    });

    it('deletes', async () => {
      await storage.write({ h: { n: 1 } });
      await storage.delete(['h', 'never-there']);
      expect(await storage.read(['h'])).toEqual({});
    });

    it('lets exactly one of two concurrent writers with the same eTag win', async () => {
      await storage.write({ i: { n: 0 } });
      const base = (await storage.read(['i'])).i;
      const results = await Promise.allSettled([
        storage.write({ i: { ...base, n: 1 } }),
        storage.write({ i: { ...base, n: 2 } }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    });
  });

  describe.skipIf(skip)('records', () => {
    const now = new Date('2026-11-26T03:00:00Z');

    it('keeps one draft per user, then submits it with a reference code', async () => {
      const draft = await stores.registrations.saveDraft(
        { userKey: 'zalo:1', channel: 'zalo', schemaVersion: 1, data: { facilityName: 'Cơ sở A' } },
        now,
      );
      const again = await stores.registrations.saveDraft(
        {
          userKey: 'zalo:1',
          channel: 'zalo',
          schemaVersion: 1,
          data: { facilityName: 'Cơ sở A2' },
          province: 'Bắc Ninh',
        },
        now,
      );
      expect(again.id).toBe(draft.id);
      expect((await stores.registrations.findDraft('zalo:1'))?.data).toEqual({ facilityName: 'Cơ sở A2' });
      const submitted = await stores.registrations.submit(draft.id, now);
      expect(submitted).toMatchObject({ status: 'submitted', province: 'Bắc Ninh' });
      expect(submitted.code).toMatch(/^KC-2026-\d{6}$/);
      expect(await stores.registrations.findDraft('zalo:1')).toBeUndefined();
      expect((await stores.registrations.getByCode(submitted.code!.toLowerCase()))?.id).toBe(draft.id);
      await expect(stores.registrations.submit(draft.id, now)).rejects.toThrow(/not an open draft/);
    });

    it('keeps one open draft when saves of one user race', async () => {
      const saves = Array.from({ length: 8 }, (_, i) =>
        stores.registrations.saveDraft({ userKey: 'zalo:race', channel: 'zalo', schemaVersion: 1, data: { i } }, now),
      );
      const records = await Promise.all(saves);
      expect(new Set(records.map((r) => r.id)).size).toBe(1);
      expect(records.map((r) => r.data)).toEqual(Array.from({ length: 8 }, (_, i) => ({ i })));
      expect(
        (await stores.registrations.list({ status: 'draft' })).filter((r) => r.userKey === 'zalo:race'),
      ).toHaveLength(1);
      expect(await stores.registrations.deleteDraftsOf('zalo:race')).toBe(1);
    });

    it('gives distinct, increasing codes to concurrent submissions', async () => {
      const drafts = await Promise.all(
        [1, 2, 3, 4, 5].map((i) =>
          stores.registrations.saveDraft({ userKey: `u:${i}`, channel: 'webchat', schemaVersion: 1, data: { i } }, now),
        ),
      );
      const codes = (await Promise.all(drafts.map((d) => stores.registrations.submit(d.id, now)))).map((r) => r.code);
      expect(new Set(codes).size).toBe(5);
    });

    it('lists with filters, newest first', async () => {
      const list = await stores.registrations.list({ status: 'submitted', province: 'Bắc Ninh' });
      expect(list.map((r) => r.userKey)).toEqual(['zalo:1']);
      // An officer's provinces: theirs only; none at all, nothing.
      expect(
        (await stores.registrations.list({ status: 'submitted', provinces: ['Huế', 'Bắc Ninh'] })).map(
          (r) => r.userKey,
        ),
      ).toEqual(['zalo:1']);
      expect(await stores.registrations.list({ status: 'submitted', provinces: ['Huế'] })).toEqual([]);
      expect(await stores.registrations.list({ provinces: [] })).toEqual([]);
    });

    it('lists one user\'s registrations ("mã đăng ký của tôi")', async () => {
      // A draft, removed again, so the counts of the tests after this one stay as they were.
      const draft = await stores.registrations.saveDraft(
        { userKey: 'mine:1', channel: 'webchat', schemaVersion: 1, data: { facilityName: 'Cơ sở của tôi' } },
        now,
      );
      const mine = await stores.registrations.list({ status: 'draft', userKey: 'mine:1', limit: 1 });
      expect(mine.map((r) => r.id)).toEqual([draft.id]);
      await stores.registrations.deleteDraftsOf('mine:1');
      expect(await stores.registrations.list({ userKey: 'nobody' })).toEqual([]);
    });

    it('lists a page at a time from where the last page ended, ties included, as in one listing', async () => {
      // Seven drafts, three of them saved in the same millisecond: the id breaks the tie.
      for (const [i, at] of [0, 1, 1, 1, 2, 3, 4].entries()) {
        await stores.registrations.saveDraft(
          { userKey: `page:${i}`, channel: 'webchat', schemaVersion: 1, data: {} },
          new Date(now.getTime() + at),
        );
      }
      const whole = (await stores.registrations.list({ status: 'draft', limit: 100 })).filter((r) =>
        r.userKey.startsWith('page:'),
      );
      const paged: string[] = [];
      let after: RegistrationRecord | undefined;
      for (let pages = 0; pages < 10; pages++) {
        const page = await stores.registrations.list({ status: 'draft', limit: 2, after });
        paged.push(...page.map((r) => r.userKey));
        after = page.at(-1);
        if (page.length < 2) break;
      }
      expect(paged.filter((k) => k.startsWith('page:'))).toEqual(whole.map((r) => r.userKey));
      expect(new Set(paged).size).toBe(paged.length);
      for (const r of whole) await stores.registrations.deleteDraftsOf(r.userKey);
    });

    it('deletes a user’s drafts and purges old drafts, never submitted ones', async () => {
      await stores.registrations.saveDraft(
        { userKey: 'old', channel: 'zalo', schemaVersion: 1, data: {} },
        new Date('2026-01-01T00:00:00Z'),
      );
      await stores.registrations.saveDraft({ userKey: 'mine', channel: 'zalo', schemaVersion: 1, data: {} }, now);
      expect(await stores.registrations.deleteDraftsOf('mine')).toBe(1);
      expect(await stores.registrations.purgeDrafts(new Date('2026-06-01T00:00:00Z'))).toBe(1);
      expect((await stores.registrations.list({ status: 'submitted' })).length).toBe(6);
    });

    it('claims a delivery key once', async () => {
      expect(await stores.deliveryKeys.claim('msg-1', now)).toBe(true);
      expect(await stores.deliveryKeys.claim('msg-1', now)).toBe(false);
      const claims = await Promise.all([1, 2, 3].map(() => stores.deliveryKeys.claim('msg-2', now)));
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await stores.deliveryKeys.purge(new Date(now.getTime() + 1))).toBe(2);
    });

    it('purges conversation state and Zalo officer pauses written before a time, and nothing else', async () => {
      await storage.write({
        'webchat/conversations/old/ConversationState': { dialogState: { dialogStack: [] } },
        [zaloPauseKey('old')]: { until: 1 },
        'zalo/tokens': { accessToken: 'a' },
      });
      const cut = new Date(Date.now() + 1000);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await storage.write({
        'webchat/conversations/new/ConversationState': { dialogState: { dialogStack: [] } },
        [zaloPauseKey('new')]: { until: 2 },
      });
      expect(await stores.botState.purgeUserState(cut)).toBe(2);
      const left = await storage.read([
        'webchat/conversations/old/ConversationState',
        'webchat/conversations/new/ConversationState',
        zaloPauseKey('old'),
        zaloPauseKey('new'),
        'zalo/tokens',
      ]);
      expect(Object.keys(left).sort()).toEqual(
        ['webchat/conversations/new/ConversationState', zaloPauseKey('new'), 'zalo/tokens'].sort(),
      );
    });

    it('stores conversation references, unanswered questions and the audit trail', async () => {
      await stores.references.upsert('teams:c1', 'msteams', { conversation: { id: 'c1' } }, now);
      await stores.references.upsert('teams:c1', 'msteams', { conversation: { id: 'c1b' } }, now);
      expect(await stores.references.list('msteams')).toEqual([
        { key: 'teams:c1', channel: 'msteams', reference: { conversation: { id: 'c1b' } } },
      ]);
      await stores.references.remove('teams:c1');
      expect(await stores.references.list()).toEqual([]);

      await stores.unanswered.record({
        text: 'giá vàng',
        normalized: 'gia vang',
        channel: 'zalo',
        userHash: 'h',
        reason: 'fallback',
        createdAt: now,
      });
      expect(await stores.unanswered.latest(5)).toEqual([
        {
          text: 'giá vàng',
          normalized: 'gia vang',
          channel: 'zalo',
          userHash: 'h',
          reason: 'fallback',
          createdAt: now,
          province: null,
        },
      ]);
      expect(await stores.unanswered.purge(now)).toBe(0);
      expect(await stores.unanswered.purge(new Date(now.getTime() + 1))).toBe(1);
      expect(await stores.unanswered.latest(5)).toEqual([]);

      await stores.audit.record({ action: 'export', actor: 'cli', details: { format: 'csv', count: 3 } }, now);
      expect((await stores.audit.list(1))[0]).toMatchObject({ action: 'export', details: { format: 'csv', count: 3 } });
    });

    it('lists for officers only the drafts whose owners consented, and every submitted registration', async () => {
      await stores.registrations.saveDraft(
        {
          userKey: 'consent:yes',
          channel: 'webchat',
          schemaVersion: 1,
          data: { facilityName: 'Đồng ý', consent: true },
          province: 'Điện Biên',
        },
        now,
      );
      await stores.registrations.saveDraft(
        {
          userKey: 'consent:no',
          channel: 'webchat',
          schemaVersion: 1,
          data: { facilityName: 'Chưa đồng ý', phone: '0912888000' },
          province: 'Điện Biên',
        },
        now,
      );
      const sent = await stores.registrations.saveDraft(
        {
          userKey: 'consent:sent',
          channel: 'webchat',
          schemaVersion: 1,
          data: { facilityName: 'Đã gửi' },
          province: 'Điện Biên',
        },
        now,
      );
      await stores.registrations.submit(sent.id, now);
      const names = async (filter: object) =>
        (await stores.registrations.list({ province: 'Điện Biên', ...filter })).map((r) => r.data.facilityName).sort();
      expect(await names({ consentedOnly: true })).toEqual(['Đã gửi', 'Đồng ý']);
      expect(await names({ consentedOnly: true, status: 'draft' })).toEqual(['Đồng ý']);
      expect(await names({})).toEqual(['Chưa đồng ý', 'Đã gửi', 'Đồng ý']);
    });

    it("moves a registration's stage once, corrects it over the owner's answers and keeps its history in order", async () => {
      const draft = await stores.registrations.saveDraft(
        {
          userKey: 'work:1',
          channel: 'zalo',
          schemaVersion: 1,
          data: { facilityName: 'Gốm Phù Lãng', taxCode: '0101234567', phone: '0912345678' },
          province: 'Bắc Ninh',
        },
        now,
      );
      const r = await stores.registrations.submit(draft.id, now);
      expect(r).toMatchObject({ stage: null, stageAt: null, corrections: {} });
      const event = (n: number) => ({ kind: 'stage' as const, actor: 'aad:o', actorName: 'Cán bộ', details: { n } });
      expect(await stores.work.moveStage(draft.id, 'submitted', 'received', event(1), now)).toBe(true);
      expect(await stores.work.moveStage(draft.id, 'submitted', 'received', event(2), now)).toBe(false);
      const corrected = await stores.work.correct(
        draft.id,
        'province',
        'Huế',
        { ...event(3), kind: 'correction' },
        now,
      );
      expect(corrected).toMatchObject({ province: 'Huế', stage: 'received', corrections: { province: 'Huế' } });
      expect(corrected!.data.province).toBeUndefined();
      await stores.work.addEvent(draft.id, { ...event(4), kind: 'note' }, now);
      expect((await stores.work.history(draft.id)).map((e) => e.details.n)).toEqual([1, 3, 4]);
      expect((await stores.registrations.getByCode(r.code!))!.stageAt).toEqual(now);
      expect(await stores.work.correct('missing', 'province', 'Huế', event(5), now)).toBeUndefined();
    });

    it('gives a conversation to the first user who claims it, whatever instance asks', async () => {
      expect(await stores.conversations.claim('webchat', 'conv_%', 'webchat:a', now)).toBe(true);
      expect(await stores.conversations.claim('webchat', 'conv_%', 'webchat:a', now)).toBe(true);
      expect(await stores.conversations.claim('webchat', 'conv_%', 'webchat:b', now)).toBe(false);
      // Another instance, without this one's memory of owners.
      expect(await storesOn(database.db).conversations.claim('webchat', 'conv_%', 'webchat:b', now)).toBe(false);
      // Claims racing from two instances: exactly one user wins, and both instances agree on whom.
      const other = storesOn(database.db);
      const raced = await Promise.all([
        stores.conversations.claim('webchat', 'race', 'webchat:x', now),
        other.conversations.claim('webchat', 'race', 'webchat:y', now),
      ]);
      expect(raced.filter(Boolean)).toHaveLength(1);
      const winner = raced[0] ? 'webchat:x' : 'webchat:y';
      expect(await stores.conversations.ownerOf('webchat', 'race')).toBe(winner);
      expect(await storesOn(database.db).conversations.ownerOf('webchat', 'race')).toBe(winner);
    });

    it('forgets the owners of old conversations only once their state is gone', async () => {
      const old = new Date(now.getTime() - 100 * 86_400_000);
      await stores.conversations.claim('webchat', 'kept_1', 'webchat:owner', old);
      await stores.conversations.claim('webchat', 'gone-1', 'webchat:owner', old);
      await storage.write({ 'webchat/conversations/kept_1/ConversationState': { dialogState: { dialogStack: [] } } });
      expect(await stores.conversations.purge(new Date(now.getTime() - 90 * 86_400_000))).toBe(1);
      const fresh = storesOn(database.db);
      expect(await fresh.conversations.ownerOf('webchat', 'kept_1')).toBe('webchat:owner');
      expect(await fresh.conversations.ownerOf('webchat', 'gone-1')).toBeUndefined();
    });

    it('names no owner of a conversation nobody claimed, until one instance claims it', async () => {
      const reader = storesOn(database.db);
      expect(await reader.conversations.ownerOf('webchat', 'unclaimed')).toBeUndefined();
      await stores.conversations.claim('webchat', 'unclaimed', 'webchat:late', now);
      // The first reader saw nobody and must not have remembered that.
      expect(await reader.conversations.ownerOf('webchat', 'unclaimed')).toBe('webchat:late');
    });

    it('keeps owners waiting for new deadlines, each claimed once, and finds the Zalo ones the OA may write to', async () => {
      const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
      await stores.deadlineWatches.watch('zalo:w-1', 2024, at(1));
      await stores.deadlineWatches.watch('zalo:w-2', 2025, at(2));
      await stores.deadlineWatches.watch('zalo:w-3', 2026, at(3));
      await stores.deadlineWatches.watch('webchat:w-4', 2024, at(4));
      expect((await stores.deadlineWatches.pending(2026, 10)).sort()).toEqual(['webchat:w-4', 'zalo:w-1', 'zalo:w-2']);
      // The Zalo ones who wrote lately, latest writer first; w-2 wrote too long ago, w-3 waits for 2026 itself.
      for (const [user, minutes] of [
        ['w-1', 10],
        ['w-2', -600],
        ['w-3', 20],
      ] as const) {
        await stores.zalo.accept(
          {
            key: `wk-${user}`,
            userId: user,
            event: {},
            eventAt: at(minutes),
            interactionAt: at(minutes),
            claimUntil: at(minutes),
          },
          at(minutes),
        );
        await stores.zalo.finish(`wk-${user}`, [], at(minutes));
      }
      expect(await stores.deadlineWatches.zaloWithinWindow(2026, at(0), 10)).toEqual([
        { userKey: 'zalo:w-1', planYear: 2024, createdAt: at(1) },
      ]);
      expect((await stores.deadlineWatches.zaloWithinWindow(2027, at(0), 10)).map((w) => w.userKey)).toEqual([
        'zalo:w-3',
        'zalo:w-1',
      ]);
      expect(await stores.deadlineWatches.zaloWithinWindow(2027, at(0), 1)).toHaveLength(1);
      // Claimed once; then told, and no longer pending or found.
      expect(await stores.deadlineWatches.claim('zalo:w-1', 2026, at(30))).toBe('claimed');
      expect(await stores.deadlineWatches.claim('zalo:w-1', 2026, at(31))).toBe('told');
      expect(await stores.deadlineWatches.claim('zalo:w-3', 2026, at(31))).toBe('none');
      expect(await stores.deadlineWatches.claim('zalo:nobody', 2026, at(31))).toBe('none');
      expect((await stores.deadlineWatches.pending(2026, 10)).sort()).toEqual(['webchat:w-4', 'zalo:w-2']);
      expect(await stores.deadlineWatches.zaloWithinWindow(2027, at(0), 10)).toMatchObject([{ userKey: 'zalo:w-3' }]);
      // Asking again starts afresh.
      await stores.deadlineWatches.watch('zalo:w-1', 2026, at(40));
      expect(await stores.deadlineWatches.claim('zalo:w-1', 2027, at(41))).toBe('claimed');
      // Purged: started long ago (w-2), or told a while ago (w-1).
      expect(await stores.deadlineWatches.purge(at(3), at(42))).toBe(2);
      expect((await stores.deadlineWatches.pending(2027, 10)).sort()).toEqual(['webchat:w-4', 'zalo:w-3']);
      expect(await stores.deadlineWatches.claim('zalo:w-1', 2027, at(50))).toBe('none');
      await stores.deadlineWatches.purge(at(60), at(60));
    });

    it("erases one user's drafts, conversation states, Zalo pause and unanswered questions, and nothing of anyone else", async () => {
      const doc = { dialogState: { dialogStack: [] } };
      await stores.conversations.claim('webchat', 'e_1', 'webchat:eraser', now);
      await stores.conversations.claim('webchat', 'e%2', 'webchat:eraser', now);
      await stores.conversations.claim('webchat', 'e_3', 'webchat:other', now);
      // "e%2" and "e_1" must not match other conversations as LIKE patterns would.
      await storage.write({
        'webchat/conversations/e_1/ConversationState': doc,
        'webchat/conversations/e%2/ConversationState': doc,
        'webchat/conversations/e_3/ConversationState': doc,
        'webchat/conversations/eX1/ConversationState': doc,
        'zalo/conversations/z-1/ConversationState': doc,
        [zaloPauseKey('z-1')]: { until: 1 },
        [zaloPauseKey('z-2')]: { until: 1 },
      });
      await stores.registrations.saveDraft(
        { userKey: 'webchat:eraser', channel: 'webchat', schemaVersion: 1, data: { facilityName: 'A' } },
        now,
      );
      await stores.registrations.saveDraft(
        { userKey: 'webchat:other', channel: 'webchat', schemaVersion: 1, data: { facilityName: 'B' } },
        now,
      );
      for (const userHash of ['hash-eraser', 'hash-other'])
        await stores.unanswered.record({
          text: userHash,
          normalized: userHash,
          channel: 'webchat',
          userHash,
          reason: 'fallback',
          createdAt: now,
        });

      await stores.deadlineWatches.watch('webchat:eraser', 2024, now);
      await stores.deadlineWatches.watch('webchat:other', 2024, now);
      expect(
        await stores.personalData.erase({
          userKey: 'webchat:eraser',
          userHash: 'hash-eraser',
          channel: 'webchat',
          userId: 'eraser',
        }),
      ).toEqual({ drafts: 1, conversations: 2, unanswered: 1 });
      const left = await storage.read([
        'webchat/conversations/e_1/ConversationState',
        'webchat/conversations/e%2/ConversationState',
        'webchat/conversations/e_3/ConversationState',
        'webchat/conversations/eX1/ConversationState',
      ]);
      expect(Object.keys(left).sort()).toEqual(
        ['webchat/conversations/e_3/ConversationState', 'webchat/conversations/eX1/ConversationState'].sort(),
      );
      expect(await stores.deadlineWatches.pending(2025, 10)).toEqual(['webchat:other']);
      expect(await stores.registrations.findDraft('webchat:eraser')).toBeUndefined();
      expect(await stores.registrations.findDraft('webchat:other')).toBeDefined();
      expect((await stores.unanswered.latest(10)).map((q) => q.userHash)).toContain('hash-other');
      expect((await stores.unanswered.latest(10)).map((q) => q.userHash)).not.toContain('hash-eraser');
      // Their ownership rows went with them; they may go on in the same conversation.
      expect(await stores.conversations.claim('webchat', 'e_1', 'webchat:eraser', now)).toBe(true);

      // On Zalo the conversation is the user, and the officer pause and the inbox name them too.
      await stores.zalo.accept(
        {
          key: 'ev-z-1',
          userId: 'z-1',
          event: { text: 'hỏi về máy' },
          eventAt: now,
          interactionAt: now,
          claimUntil: now,
        },
        now,
      );
      await stores.zalo.finish('ev-z-1', [], now);
      expect(await stores.zalo.lastInteraction('z-1')).toEqual(now);
      expect(
        await stores.personalData.erase({ userKey: 'zalo:z-1', userHash: 'h-z', channel: 'zalo', userId: 'z-1' }),
      ).toEqual({ drafts: 0, conversations: 1, unanswered: 0 });
      expect(await stores.zalo.lastInteraction('z-1')).toBeUndefined();
      // A redelivery of an event from before the erasure is still known, and not answered again.
      expect(
        await stores.zalo.accept({ key: 'ev-z-1', userId: 'z-1', event: {}, eventAt: now, claimUntil: now }, now),
      ).toBe(false);
      expect(
        Object.keys(
          await storage.read([zaloPauseKey('z-1'), zaloPauseKey('z-2'), 'zalo/conversations/z-1/ConversationState']),
        ),
      ).toEqual([zaloPauseKey('z-2')]);
    });

    it('serialises turns of one conversation and runs a job once at a time', async () => {
      const order: string[] = [];
      const turn = (name: string, ms: number) =>
        stores.turnLock.withLock('conv-1', async () => {
          order.push(`${name}:start`);
          await new Promise((r) => setTimeout(r, ms));
          order.push(`${name}:end`);
        });
      await Promise.all([turn('a', 30), turn('b', 1)]);
      expect(order).toEqual(['a:start', 'a:end', 'b:start', 'b:end']);

      let release!: () => void;
      const held = stores.jobLock.tryRun('purge', () => new Promise<string>((r) => (release = () => r('first'))));
      await new Promise((r) => setTimeout(r, 50));
      expect(await stores.jobLock.tryRun('purge', async () => 'second')).toBeUndefined();
      release();
      expect(await held).toBe('first');
      expect(await stores.ping()).toBe(true);
    });
  });

  describe.skipIf(skip)('migrations', () => {
    it('are recorded, idempotent and safe when several instances start at once', async () => {
      const versions = await database.db.query<{ version: number | string }>('SELECT version FROM schema_migrations');
      expect(versions.map((v) => Number(v.version))).toEqual(MIGRATIONS.map((m) => m.version));
      expect(await migrate(database.db)).toEqual([]);
      const results = await Promise.all([migrate(database.db), migrate(database.db), migrate(database.db)]);
      expect(results.flat()).toEqual([]);
    });
  });
});
