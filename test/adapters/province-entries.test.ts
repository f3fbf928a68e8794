import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeEntry } from '../../knowledge/index.ts';
import { startTabServer, type TabServer } from '../helpers/officers.ts';
import { say, type TestServer } from '../helpers/server.ts';

let tab: TabServer;
let server: TestServer;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  tab = await startTabServer('g-bn=curator@Bắc Ninh; g-ct=curator@Cần Thơ', 'kc-province-');
  server = tab.server;
  for (const group of ['g-bn', 'g-ct']) tokens[group] = await tab.token(group, `${group}-oid`);
}, 30_000);
afterAll(() => tab.close());

async function api<T>(group: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${tokens[group]}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json().catch(() => null)) as T };
}

/** A province's centre, as its curator writes it; the sources hold no provincial contacts, so these are made up. */
function centre(id: string, province: string, slug: string, phone: string): KnowledgeEntry {
  return {
    id,
    kind: 'fact',
    title: `Trung tâm Khuyến công ${province}`,
    short: `TTKC ${province}`,
    answer: `Dạ, Trung tâm Khuyến công ${province} (thông tin thử nghiệm): điện thoại ${phone}, làm việc giờ hành chính.`,
    questions: [
      `trung tâm khuyến công ${slug} ở đâu`,
      `địa chỉ trung tâm khuyến công ${slug}`,
      `so dien thoai khuyen cong ${slug}`,
      `liên hệ khuyến công ${slug}`,
      `ttkc ${slug} o dau`,
      `khuyến công tỉnh ${slug} liên hệ thế nào`,
    ],
    tags: { areas: [], audience: ['facility', 'officer'], topic: 'contact' },
    source: [
      { document: `Thông tin do Sở Công Thương ${province} cung cấp`, confidence: 'certain', via: 'biên tập viên' },
    ],
    validity: { period: 'hiện hành' },
    deadlines: [],
    followUps: [],
    province,
    localizes: 'contact-where',
  };
}

/** A province's curator adds their centre through the curators' API, checked and published. */
async function publishCentre(group: string, entry: KnowledgeEntry): Promise<void> {
  const { json: content } = await api<{ live: number }>(group, 'GET', '/api/content');
  const draft = await api<{ id: string }>(group, 'POST', '/api/content/drafts', { note: `Liên hệ ${entry.province}` });
  const saved = await api<{ problems: unknown[] }>(
    group,
    'PUT',
    `/api/content/drafts/${draft.json.id}/entries/${entry.id}`,
    {
      entry,
    },
  );
  expect(saved).toMatchObject({ status: 200, json: { problems: [] } });
  const published = await api<{ version: number }>(group, 'POST', `/api/content/drafts/${draft.json.id}/publish`, {
    note: `Thêm liên hệ ${entry.province}`,
    expectedLive: content.live,
  });
  expect(published.status).toBe(201);
}

describe('province entries', () => {
  it("are written by their province's curators only", async () => {
    const draft = await api<{ id: string }>('g-ct', 'POST', '/api/content/drafts', { note: 'Thử tỉnh khác' });
    const entry = centre('contact-centre-bac-ninh', 'Bắc Ninh', 'bắc ninh', '0222 000 0001');
    const refused = await api('g-ct', 'PUT', `/api/content/drafts/${draft.json.id}/entries/${entry.id}`, { entry });
    expect(refused.status).toBe(403);
  });

  it('give a Bắc Ninh user and a Cần Thơ user their own centre, and the rest the national answer', async () => {
    await publishCentre('g-bn', centre('contact-centre-bac-ninh', 'Bắc Ninh', 'bắc ninh', '0222 000 0001'));
    await publishCentre('g-ct', centre('contact-centre-can-tho', 'Cần Thơ', 'cần thơ', '0292 000 0002'));

    const ask = async (user: string, ...texts: string[]) => {
      let last = '';
      for (const text of texts) [{ text: last }] = await say(server.url, `conv-${user}`, text, user);
      return last;
    };
    const bacNinh = await ask('bn', 'nhà em làm mành tre ở xã Tam Sơn, Bắc Ninh', 'trung tâm khuyến công ở đâu');
    const canTho = await ask('ct', 'cơ sở em làm bánh tráng ở phường Cái Khế, Cần Thơ', 'trung tâm khuyến công ở đâu');
    expect(bacNinh).toContain('0222 000 0001');
    expect(canTho).toContain('0292 000 0002');
    expect(bacNinh).not.toBe(canTho);
    // Nobody else gets another province's centre.
    const anywhere = await ask('x', 'trung tâm khuyến công ở đâu');
    expect(anywhere).not.toMatch(/0222 000 0001|0292 000 0002/);
    expect(anywhere).toMatch(/Sở Công Thương/);
    // Asked by name, a province's centre is answered from its entry, or said to be unknown there.
    expect(await ask('y', 'Trung tâm khuyến công tỉnh Cần Thơ ở đâu')).toContain('0292 000 0002');
    const hue = await ask('z', 'Trung tâm khuyến công tỉnh Huế ở đâu');
    expect(hue).toMatch(/^Dạ, tôi chưa có thông tin riêng của Huế/);
    expect(hue).toMatch(/Sở Công Thương/);
  }, 60_000);
});

describe("curators' marks on unanswered questions", () => {
  type Groups = { groups: { key: string; normalized: string[]; status: string; mark?: { actor: string } }[] };
  const groupOf = async (group: string, text: RegExp) =>
    (await api<Groups>(group, 'GET', '/api/unanswered?days=30&status=all')).json.groups.find((g) =>
      g.normalized.some((n) => text.test(n)),
    );

  it("close a question for the marking curator's province only", async () => {
    // Asked where no province is known: both provinces' curators see it.
    const [reply] = await say(server.url, 'owner-marks', 'sở công thương làm việc thứ bảy không', 'owner-marks');
    expect(reply.text).toMatch(/chưa có thông tin/);
    const bn = await groupOf('g-bn', /lam viec thu bay/);
    expect(bn?.status).toBe('open');
    expect(
      (await api('g-bn', 'POST', '/api/unanswered/marks', { normalized: bn!.normalized, status: 'handled' })).status,
    ).toBe(204);
    expect(await groupOf('g-bn', /lam viec thu bay/)).toMatchObject({
      status: 'handled',
      mark: { actor: 'aad:g-bn-oid' },
    });
    // Cần Thơ's curators have not handled it: it is still open for them, and their own mark is theirs.
    expect((await groupOf('g-ct', /lam viec thu bay/))?.status).toBe('open');
    await api('g-ct', 'POST', '/api/unanswered/marks', { normalized: bn!.normalized, status: 'ignored' });
    expect((await groupOf('g-ct', /lam viec thu bay/))?.status).toBe('ignored');
    expect((await groupOf('g-bn', /lam viec thu bay/))?.status).toBe('handled');
    // Reopening in Bắc Ninh leaves Cần Thơ's mark.
    await api('g-bn', 'POST', '/api/unanswered/marks', { normalized: bn!.normalized, status: 'open' });
    expect((await groupOf('g-bn', /lam viec thu bay/))?.status).toBe('open');
    expect((await groupOf('g-ct', /lam viec thu bay/))?.status).toBe('ignored');
  });
});
