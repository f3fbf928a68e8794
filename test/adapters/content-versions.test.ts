import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeContent } from '../../knowledge/index.ts';
import { postgresTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../helpers/databases.ts';
import { startServerProcess, type ServerProcess } from '../helpers/processes.ts';
import { say } from '../helpers/server.ts';

const QUESTION = 'Khuyến công có hỗ trợ mua máy móc không?';
const MARK = 'Nội dung này vừa được xuất bản.';

/** A call to the curators' API, as the tab makes it (standalone: a loopback development server). */
async function api<T>(url: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : null) as T };
}

/** Asks until the answer satisfies `ok` (the other instance switches at its next check), or fails after 10 s. */
async function answerSoon(url: string, ok: (text: string) => boolean): Promise<string> {
  let text = '';
  for (let i = 0; i < 100; i++) {
    [{ text }] = await say(url, `poll-${i}-${Date.now()}`, QUESTION);
    if (ok(text)) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the answer never changed: ${text}`);
}

describe.skipIf(!TEST_DATABASE_URL)('knowledge versions on two server processes over one PostgreSQL database', () => {
  let database: TestDatabase;
  let a: ServerProcess;
  let b: ServerProcess;

  beforeAll(async () => {
    database = await postgresTestDatabase();
    await database.db.close();
    // Many quick questions from one address and one user: the limits have their own tests.
    const env = {
      DATABASE_URL: database.location,
      CONTENT_CHECK_SECONDS: '1',
      WEBCHAT_REQUESTS_PER_MINUTE: '0',
      USER_MESSAGES_PER_MINUTE: '0',
    };
    [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
  });

  it('answer a version published on one from the other without a restart, answering all along', async () => {
    const [before] = await say(b.url, 'v-1', QUESTION);
    expect(before.text).not.toContain(MARK);

    const draft = await api<{ id: string; content: KnowledgeContent; baseVersion: number }>(
      a.url,
      'POST',
      '/api/content/drafts',
      { note: 'Sửa câu trả lời về máy móc' },
    );
    expect(draft.status).toBe(201);
    expect(draft.json.baseVersion).toBe(0);
    const content = draft.json.content;
    const entry = content.entries.find((e) => e.answer.startsWith('Dạ, lĩnh vực thứ hai là'))!;
    entry.answer = entry.answer.replace('Dạ, lĩnh vực thứ hai là', `Dạ, ${MARK} Lĩnh vực thứ hai là`);
    const saved = await api<{ problems: unknown[] }>(a.url, 'PUT', `/api/content/drafts/${draft.json.id}`, { content });
    expect(saved).toMatchObject({ status: 200, json: { problems: [] } });

    // B keeps answering while the version changes under it.
    let answering = true;
    const during: Promise<string>[] = [];
    const keepAsking = (async () => {
      for (let i = 0; answering; i++) {
        during.push(say(b.url, `during-${i}`, QUESTION).then(([r]) => r.text));
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const published = await api<{ version: number }>(a.url, 'POST', `/api/content/drafts/${draft.json.id}/publish`, {
      note: 'Sửa câu trả lời về máy móc',
      expectedLive: 0,
    });
    expect(published).toMatchObject({ status: 201, json: { version: 1 } });
    // The instance that published answers from the new version at once.
    const [onA] = await say(a.url, 'v-2', QUESTION);
    expect(onA.text).toContain(MARK);
    expect(await answerSoon(b.url, (t) => t.includes(MARK))).toContain(MARK);
    answering = false;
    await keepAsking;
    const texts = await Promise.all(during);
    expect(texts.length).toBeGreaterThan(5);
    expect(texts.every((t) => t.includes('máy móc'))).toBe(true);
    await b.waitForOutput('"msg":"knowledge version switched"');
    expect(a.output() + b.output()).not.toContain('turn failed');

    // Published drafts are gone; the list shows the seed and version 1.
    const listed = await api<{ live: number; versions: { version: number }[]; drafts: unknown[] }>(
      b.url,
      'GET',
      '/api/content',
    );
    expect(listed.json).toMatchObject({ live: 1, drafts: [] });
    expect(listed.json.versions.map((v) => v.version)).toEqual([1, 0]);
  });

  it('refuse to publish a draft over a version that is no longer live', async () => {
    const draft = await api<{ id: string }>(b.url, 'POST', '/api/content/drafts', { note: 'Bản nháp cũ' });
    const stale = await api<{ error: string; live: number }>(
      b.url,
      'POST',
      `/api/content/drafts/${draft.json.id}/publish`,
      { note: 'xuất bản', expectedLive: 0 },
    );
    expect(stale).toMatchObject({ status: 409, json: { error: 'version_conflict', live: 1 } });
  });

  it('restore the previous answers on both in one action', async () => {
    const restored = await api<{ version: number; restoredFrom: number }>(
      b.url,
      'POST',
      '/api/content/versions/0/restore',
      { note: 'Quay lại nội dung gốc' },
    );
    expect(restored).toMatchObject({ status: 201, json: { version: 2, restoredFrom: 0 } });
    const [onB] = await say(b.url, 'v-3', QUESTION);
    expect(onB.text).not.toContain(MARK);
    expect(await answerSoon(a.url, (t) => !t.includes(MARK))).not.toContain(MARK);
  });
});
