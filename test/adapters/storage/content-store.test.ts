import { describe, expect, it } from 'vitest';
import { loadContentOrThrow } from '../../../adapters/content/content-files.ts';
import { ContentVersionConflictError, type Stores, type UnansweredMark } from '../../../bot/stores.ts';
import { BUNDLED_CONTENT_DIR, validateContent, type KnowledgeContent } from '../../../knowledge/index.ts';
import { STORE_ENGINES, useMigratedStores } from '../../helpers/store-suites.ts';

const seed = loadContentOrThrow(BUNDLED_CONTENT_DIR);
/** The seed with one answer changed, as a curator would publish it. */
function edited(mark: string): KnowledgeContent {
  return {
    ...seed,
    entries: seed.entries.map((e, i) => (i === 0 ? { ...e, answer: `${e.answer} ${mark}` } : e)),
  };
}

describe.each(STORE_ENGINES)('%s content versions', (_name, open, skip) => {
  let stores: Stores;

  useMigratedStores(open, skip, (_database, s) => (stores = s));

  it.skipIf(skip)('start with the bundled content live (version 0) and nothing stored', async () => {
    expect(await stores.content.liveVersion()).toBe(0);
    expect(await stores.content.list(10)).toEqual([]);
    expect(await stores.content.get(0)).toBeUndefined();
  });

  it.skipIf(skip)('keep the seed as version 0 at the first publish, then number versions in order', async () => {
    const now = new Date('2026-12-01T03:00:00Z');
    const first = await stores.content.publish(
      { content: edited('A'), author: 'aad:1', note: 'thêm A', seed, expectedLive: 0 },
      now,
    );
    expect(first).toMatchObject({ version: 1, author: 'aad:1', note: 'thêm A', restoredFrom: null });
    const second = await stores.content.publish({ content: edited('B'), author: 'aad:2', note: 'thêm B', seed }, now);
    expect(second.version).toBe(2);
    expect(await stores.content.liveVersion()).toBe(2);
    expect((await stores.content.list(10)).map((v) => [v.version, v.author])).toEqual([
      [2, 'aad:2'],
      [1, 'aad:1'],
      [0, 'seed'],
    ]);
    const zero = await stores.content.get(0);
    expect(zero?.content).toEqual(JSON.parse(JSON.stringify(seed)));
    const two = await stores.content.get(2);
    expect(two?.content.entries[0].answer).toMatch(/ B$/);
    // What comes back from the store passes the same checks as the bundled YAML.
    expect(validateContent(two?.content).ok).toBe(true);
  });

  it.skipIf(skip)('refuse a publish over a version that is no longer live', async () => {
    await expect(
      stores.content.publish({ content: edited('C'), author: 'aad:1', note: 'cũ', seed, expectedLive: 1 }, new Date()),
    ).rejects.toBeInstanceOf(ContentVersionConflictError);
    expect(await stores.content.liveVersion()).toBe(2);
  });

  it.skipIf(skip)('give two publishers racing each their own version number', async () => {
    const live = await stores.content.liveVersion();
    const both = await Promise.all(
      ['x', 'y'].map((m) => stores.content.publish({ content: edited(m), author: m, note: m, seed }, new Date())),
    );
    expect(both.map((v) => v.version).sort()).toEqual([live + 1, live + 2]);
  });

  it.skipIf(skip)('record a rollback as a new version that names the one it restored', async () => {
    const old = await stores.content.get(1);
    const restored = await stores.content.publish(
      { content: old!.content, author: 'aad:admin', note: 'khôi phục', restoredFrom: 1, seed },
      new Date(),
    );
    expect(restored.restoredFrom).toBe(1);
    expect((await stores.content.get(restored.version))?.content).toEqual(old!.content);
  });

  it.skipIf(skip)('keep drafts apart from versions: create, replace, list, delete', async () => {
    const now = new Date('2026-12-02T03:00:00Z');
    const draft = await stores.content.saveDraft(
      { content: edited('D'), author: 'aad:1', note: 'nháp', baseVersion: 2 },
      now,
    );
    const later = new Date(now.getTime() + 1000);
    const replaced = await stores.content.saveDraft(
      { id: draft.id, content: edited('E'), author: 'aad:1', note: 'nháp 2', baseVersion: 2 },
      later,
    );
    expect(replaced).toMatchObject({ id: draft.id, note: 'nháp 2', createdAt: now, updatedAt: later });
    expect((await stores.content.getDraft(draft.id))?.content.entries[0].answer).toMatch(/ E$/);
    expect((await stores.content.listDrafts(10)).map((d) => d.id)).toEqual([draft.id]);
    const live = await stores.content.liveVersion();
    expect(await stores.content.deleteDraft(draft.id)).toBe(true);
    expect(await stores.content.deleteDraft(draft.id)).toBe(false);
    expect(await stores.content.getDraft(draft.id)).toBeUndefined();
    expect(await stores.content.liveVersion()).toBe(live);
  });

  it.skipIf(skip)("list unanswered questions since a date with their province, and keep curators' marks", async () => {
    const at = (day: number) => new Date(Date.UTC(2026, 10, day, 3));
    const q = (text: string, day: number, province: string | null) =>
      stores.unanswered.record({
        text,
        normalized: text,
        channel: 'webchat',
        userHash: 'h1',
        reason: 'fallback',
        createdAt: at(day),
        province,
      });
    await q('ttkc o dau', 1, 'Bắc Ninh');
    await q('ttkc o dau', 5, null);
    await q('gia vang', 6, null);
    const since = await stores.unanswered.since(at(2), 10);
    expect(since.map((u) => [u.text, u.province])).toEqual([
      ['gia vang', null],
      ['ttkc o dau', null],
    ]);
    expect((await stores.unanswered.since(at(1), 10)).at(-1)?.province).toBe('Bắc Ninh');
    await stores.unanswered.mark(['ttkc o dau', 'gia vang'], 'handled', 'aad:1', at(7), 'Bắc Ninh');
    await stores.unanswered.mark(['gia vang'], 'ignored', 'aad:2', at(8), 'Bắc Ninh');
    await stores.unanswered.mark(['gia vang'], 'handled', 'aad:3', at(8), 'Cần Thơ');
    const sorted = (marks: UnansweredMark[]) =>
      marks.sort((a, b) => a.normalized.localeCompare(b.normalized) || a.scope.localeCompare(b.scope));
    expect(sorted(await stores.unanswered.marks(['Bắc Ninh']))).toEqual([
      { normalized: 'gia vang', scope: 'Bắc Ninh', status: 'ignored', actor: 'aad:2', updatedAt: at(8) },
      { normalized: 'ttkc o dau', scope: 'Bắc Ninh', status: 'handled', actor: 'aad:1', updatedAt: at(7) },
    ]);
    // One province's marks are not another's, nor the administrators'.
    expect((await stores.unanswered.marks(['Cần Thơ'])).map((m) => [m.normalized, m.actor])).toEqual([
      ['gia vang', 'aad:3'],
    ]);
    expect(await stores.unanswered.marks([''])).toEqual([]);
    expect(await stores.unanswered.marks([])).toEqual([]);
    await stores.unanswered.mark(['gia vang'], null, 'aad:2', at(9), 'Bắc Ninh');
    expect((await stores.unanswered.marks(['Bắc Ninh'])).map((m) => m.normalized)).toEqual(['ttkc o dau']);
    expect(await stores.unanswered.marks(['Cần Thơ'])).toHaveLength(1);
  });
});
