import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckReport } from '../../adapters/content/content-check.ts';
import type { KnowledgeContent, KnowledgeEntry } from '../../knowledge/index.ts';
import { startTabServer, type TabServer } from '../helpers/officers.ts';
import { startServerProcess } from '../helpers/processes.ts';
import { say, type TestServer } from '../helpers/server.ts';

let tab: TabServer;
let server: TestServer;
const tokens: Record<'admin' | 'curator' | 'officer', string> = { admin: '', curator: '', officer: '' };

beforeAll(async () => {
  tab = await startTabServer('g-admin=admin; g-bn=curator@Bắc Ninh; g-officer=officer@Bắc Ninh', 'kc-content-check-');
  server = tab.server;
  for (const [who, group] of [
    ['admin', 'g-admin'],
    ['curator', 'g-bn'],
    ['officer', 'g-officer'],
  ] as const)
    tokens[who] = await tab.token(group, `${who}-oid`);
}, 30_000);
afterAll(() => tab.close());

async function api<T>(who: keyof typeof tokens, method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${tokens[who]}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : null) as T };
}

type Draft = { id: string; content: KnowledgeContent; problems: { file: string; line: number; message: string }[] };

async function draftFrom(who: keyof typeof tokens, edit: (content: KnowledgeContent) => void): Promise<Draft> {
  const created = await api<Draft>(who, 'POST', '/api/content/drafts', { note: 'Bản nháp thử' });
  expect(created.status).toBe(201);
  edit(created.json.content);
  const saved = await api<Draft>(who, 'PUT', `/api/content/drafts/${created.json.id}`, {
    content: created.json.content,
  });
  expect(saved.status).toBe(200);
  return saved.json;
}

/** The province's own contact entry, as a curator of Bắc Ninh would write it (made up for the test). */
const BAC_NINH_CONTACT: KnowledgeEntry = {
  id: 'contact-center-bac-ninh',
  kind: 'fact',
  title: 'Trung tâm Khuyến công tỉnh Bắc Ninh',
  short: 'TTKC Bắc Ninh',
  answer:
    'Dạ, Trung tâm Khuyến công tỉnh Bắc Ninh (địa chỉ thử nghiệm): số 1 đường Thử Nghiệm, điện thoại 0222 000 0000, làm việc giờ hành chính.',
  questions: [
    'trung tâm khuyến công bắc ninh ở đâu',
    'so dien thoai trung tam khuyen cong bac ninh',
    'địa chỉ khuyến công tỉnh bắc ninh',
    'ttkc bac ninh lam viec may gio',
    'liên hệ khuyến công bắc ninh thế nào',
    'trung tam khuyen cong bac ninh o dau vay',
  ],
  tags: { areas: [], audience: ['facility', 'officer'], topic: 'contact' },
  source: [{ document: 'Thông tin do Sở Công Thương Bắc Ninh cung cấp', confidence: 'certain', via: 'biên tập viên' }],
  validity: { period: 'hiện hành' },
  deadlines: [],
  followUps: [],
  province: 'Bắc Ninh',
};

/** Every support-level entry takes the next one's questions: the development set's level questions move. */
function rotateLevelQuestions(content: KnowledgeContent): void {
  const levels = content.entries.filter((e) => e.tags.topic === 'support-levels' || e.tags.topic === 'eligibility');
  const questions = levels.map((e) => e.questions);
  levels.forEach((e, i) => (e.questions = questions[(i + 1) % questions.length]));
}

describe('the check before a version goes live', () => {
  it('lets only curators and administrators in', async () => {
    expect((await api('officer', 'GET', '/api/content')).status).toBe(403);
    expect((await api('curator', 'GET', '/api/content')).status).toBe(200);
  });

  it("shows a province curator's new entry as new answers, keeps every threshold, and publishes it", async () => {
    const draft = await draftFrom('curator', (c) => c.entries.push(structuredClone(BAC_NINH_CONTACT)));
    expect(draft.problems).toEqual([]);
    const check = await api<CheckReport & { forbidden: string[] }>(
      'curator',
      'POST',
      `/api/content/drafts/${draft.id}/check`,
    );
    expect(check.status).toBe(200);
    expect(check.json).toMatchObject({ passed: true, misses: [], forbidden: [] });
    const mine = check.json.changes.filter((c) => c.after === BAC_NINH_CONTACT.id);
    expect(mine.length).toBeGreaterThanOrEqual(6);
    expect(mine.every((c) => c.kind === 'new-answer' || c.kind === 'moved')).toBe(true);
    expect(check.json.draft.inScopeTop1).toBeGreaterThanOrEqual(0.95);
    expect(check.json.questions).toBeGreaterThan(800);

    const published = await api<{ version: number }>('curator', 'POST', `/api/content/drafts/${draft.id}/publish`, {
      note: 'Thêm liên hệ Trung tâm Khuyến công Bắc Ninh',
      expectedLive: 0,
    });
    expect(published).toMatchObject({ status: 201, json: { version: 1 } });
    const [reply] = await say(server.url, 'bn-1', 'Trung tâm khuyến công Bắc Ninh ở đâu?');
    expect(reply.text).toContain('số 1 đường Thử Nghiệm');
    // The test server's clock stands still: the trail is found by its action, not its order.
    const audit = (await server.stores.audit.list(100)).find((a) => a.action === 'content.publish');
    expect(audit).toMatchObject({ action: 'content.publish', actor: expect.stringContaining('curator-oid') });
  }, 30_000);

  it('does not let a province curator change a national entry', async () => {
    const draft = await draftFrom('curator', (c) => c.entries[0].questions.push('một câu hỏi thêm của tỉnh'));
    const refused = await api<{ error: string; forbidden: string[] }>(
      'curator',
      'POST',
      `/api/content/drafts/${draft.id}/publish`,
      { note: 'Sửa mục toàn quốc', expectedLive: 1 },
    );
    expect(refused).toMatchObject({
      status: 403,
      json: { error: 'forbidden', forbidden: [draft.content.entries[0].id] },
    });
  });

  it('runs no trigger a curator wrote: a change to the other programmes is checked for administrators only, and a trigger that could backtrack for ever is refused outright', async () => {
    const evil = {
      id: 'evil',
      name: 'Thử',
      kind: 'not-khuyen-cong' as const,
      triggers: ['(?:.|.)*z'],
      unless: [],
      answer: 'Dạ, đây là câu trả lời thử nghiệm đủ dài.',
      source: [],
    };
    // A harmless-looking trigger from a curator: refused before anything of it runs.
    const tame = await draftFrom('curator', (c) =>
      c.otherProgrammes?.push({ ...evil, triggers: ['\\bthu nghiem\\b'] }),
    );
    const check = await api<{ error: string }>('curator', 'POST', `/api/content/drafts/${tame.id}/check`);
    expect(check).toMatchObject({ status: 403, json: { error: 'forbidden' } });
    // A trigger that could backtrack for ever is invalid for anyone: the validation names it.
    const draft = await draftFrom('admin', (c) => c.otherProgrammes?.push(evil));
    const unsafe =
      'Mẫu nhận diện này có thể khiến trợ lý xử lý tin nhắn rất chậm. ' +
      'Một nhóm trong mẫu nhận diện có thể để tùy chọn (?) nhưng không được lặp lại (*, +, {n,}): (?:.|.)*z';
    expect(draft.problems.filter((p) => p.message.endsWith(unsafe))).toHaveLength(1);
    const byAdmin = await api<{ error: string }>('admin', 'POST', `/api/content/drafts/${draft.id}/check`);
    expect(byAdmin).toMatchObject({ status: 422, json: { error: 'invalid_content' } });
  });

  it("keeps a draft its author's: another curator can neither change nor delete it", async () => {
    const mine = await draftFrom('admin', (c) => c.entries[0].questions.push('câu hỏi của quản trị viên'));
    const put = await api<{ error: string }>('curator', 'PUT', `/api/content/drafts/${mine.id}`, {
      content: mine.content,
    });
    expect(put).toMatchObject({ status: 403, json: { error: 'not_your_draft' } });
    expect((await api('curator', 'DELETE', `/api/content/drafts/${mine.id}`)).status).toBe(403);
    const entry = mine.content.entries[0];
    expect((await api('curator', 'PUT', `/api/content/drafts/${mine.id}/entries/${entry.id}`, { entry })).status).toBe(
      403,
    );
    const own = await draftFrom('curator', () => undefined);
    expect((await api('curator', 'DELETE', `/api/content/drafts/${own.id}`)).status).toBe(204);
    expect((await api('admin', 'DELETE', `/api/content/drafts/${mine.id}`)).status).toBe(204);
  });

  it('refuses a draft that breaks the development set, unless an administrator overrides with a reason', async () => {
    const draft = await draftFrom('admin', rotateLevelQuestions);
    expect(draft.problems).toEqual([]);
    const path = `/api/content/drafts/${draft.id}/publish`;
    const refused = await api<{ error: string; report: CheckReport }>('admin', 'POST', path, {
      note: 'Đảo câu hỏi',
      expectedLive: 1,
    });
    expect(refused.status).toBe(422);
    expect(refused.json.error).toBe('check_failed');
    expect(refused.json.report.misses.map((m) => m.figure)).toContain('inScopeTop1');
    expect(refused.json.report.changes.some((c) => c.kind === 'moved')).toBe(true);
    const [before] = await say(server.url, 'lv-1', 'mua máy móc được hỗ trợ bao nhiêu tiền');
    const tooShort = await api('admin', 'POST', path, { note: 'Đảo', expectedLive: 1, override: { reason: 'vì' } });
    expect(tooShort.status).toBe(400);

    const forced = await api<{ version: number; report: CheckReport }>('admin', 'POST', path, {
      note: 'Đảo câu hỏi',
      expectedLive: 1,
      override: { reason: 'Thử nghiệm có chủ đích trong môi trường kiểm thử' },
    });
    expect(forced).toMatchObject({ status: 201, json: { version: 2, report: { passed: false } } });
    const audit = (await server.stores.audit.list(100)).find((a) => a.action === 'content.publish.override');
    expect(audit).toMatchObject({
      action: 'content.publish.override',
      details: { override: 'Thử nghiệm có chủ đích trong môi trường kiểm thử', version: 2 },
    });
    const [after] = await say(server.url, 'lv-2', 'mua máy móc được hỗ trợ bao nhiêu tiền');
    expect(after.text).not.toBe(before.text);

    // Only an administrator restores; the previous answers come back.
    expect((await api('curator', 'POST', '/api/content/versions/1/restore', { note: 'Khôi phục' })).status).toBe(403);
    const restored = await api('admin', 'POST', '/api/content/versions/1/restore', { note: 'Khôi phục bản 1' });
    expect(restored).toMatchObject({ status: 201, json: { version: 3, restoredFrom: 1 } });
    const [back] = await say(server.url, 'lv-3', 'mua máy móc được hỗ trợ bao nhiêu tiền');
    expect(back.text).toBe(before.text);
  }, 60_000);

  it("tells a curator in Vietnamese, beside the field, that a new entry's question already belongs to another", async () => {
    const created = await api<Draft>('curator', 'POST', '/api/content/drafts', { note: 'Bản nháp trùng câu hỏi' });
    const taken = created.json.content.entries[0];
    const entry: KnowledgeEntry = {
      ...structuredClone(BAC_NINH_CONTACT),
      id: 'gio-lam-viec-sct-bac-ninh',
      title: 'Giờ làm việc của Sở Công Thương Bắc Ninh',
      short: 'Giờ làm việc SCT',
      questions: [
        taken.questions[0],
        'giờ làm việc sở công thương bắc ninh',
        'sct bac ninh lam viec may gio',
        'sở công thương bắc ninh mở cửa lúc nào',
        'gio lam viec so cong thuong bac ninh',
        'sở công thương bắc ninh có làm thứ bảy không',
      ],
    };
    const message = `Câu hỏi "${taken.questions[0]}" đã thuộc mục "${taken.id}": mỗi câu hỏi chỉ thuộc một mục.`;
    // The form saves one entry: the problem comes back with its field.
    const refused = await api<{ error: string; problems: { field: string; message: string }[] }>(
      'curator',
      'PUT',
      `/api/content/drafts/${created.json.id}/entries/${entry.id}`,
      { entry },
    );
    expect(refused).toMatchObject({ status: 422, json: { error: 'invalid_entry' } });
    expect(refused.json.problems).toEqual([{ field: 'questions.0', message }]);
    // The whole draft (as `npm run kb -- validate` reads it) names it too.
    const draft = await draftFrom('curator', (c) => c.entries.push(entry));
    expect(draft.problems.map((p) => p.message)).toEqual([message]);
  });

  it('refuses what it cannot use with the right status and a Vietnamese reason', async () => {
    const draft = await draftFrom('curator', (c) => {
      c.entries.push({ ...structuredClone(BAC_NINH_CONTACT), id: 'Bad Id', short: 'x'.repeat(30) });
    });
    expect(draft.problems.map((p) => p.message).join('\n')).toMatch(/Mã chỉ gồm chữ thường[\s\S]*20 ký tự/);
    expect((await api('curator', 'POST', `/api/content/drafts/${draft.id}/check`)).status).toBe(422);
    expect((await api('curator', 'POST', '/api/content/drafts/not-an-id/check')).status).toBe(404);
    // A draft whose lists are not lists is refused when saved, not a 500 on the next edit.
    const created = await api<Draft>('curator', 'POST', '/api/content/drafts', { note: 'Bản nháp hỏng' });
    for (const content of [{ entries: 'x' }, { entries: [null] }, { entries: [], otherProgrammes: 'x' }])
      expect((await api('curator', 'PUT', `/api/content/drafts/${created.json.id}`, { content })).status).toBe(400);
    expect((await api('curator', 'POST', '/api/content/drafts', {})).status).toBe(400);
    expect((await api('curator', 'PUT', `/api/content/drafts/${draft.id}`, { content: 'x' })).status).toBe(400);
    const huge = await fetch(`${server.url}/api/content/drafts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.curator}`, 'content-type': 'application/json' },
      body: JSON.stringify({ note: 'x'.repeat(3_000_000) }),
    });
    expect(huge.status).toBe(413);
    const malformed = await fetch(`${server.url}/api/content/drafts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.curator}`, 'content-type': 'application/json' },
      body: '{"note":',
    });
    expect(malformed.status).toBe(400);
    expect((await fetch(`${server.url}/api/content`)).status).toBe(401);
  });
});

describe('the check in the server as `npm start` runs it (the bundle)', () => {
  it('finds the question sets and answers every one of them', async () => {
    // Standalone on loopback, no app id: the curators' API is open, as on a developer's laptop.
    const dir = mkdtempSync(join(tmpdir(), 'kc-content-check-bundle-'));
    const bundled = await startServerProcess({ DATA_DIR: dir });
    try {
      const call = async <T>(method: string, path: string, body?: unknown) => {
        const res = await fetch(`${bundled.url}${path}`, {
          method,
          headers: body === undefined ? {} : { 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: res.status, json: (await res.json()) as T };
      };
      const draft = await call<Draft>('POST', '/api/content/drafts', { note: 'Bản nháp thử' });
      expect(draft.status).toBe(201);
      const check = await call<CheckReport>('POST', `/api/content/drafts/${draft.json.id}/check`);
      expect(check).toMatchObject({ status: 200, json: { passed: true, misses: [] } });
      expect(check.json.questions).toBeGreaterThan(800);
    } finally {
      await bundled.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
