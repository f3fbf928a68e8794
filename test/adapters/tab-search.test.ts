import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOfficersServer, type OfficersServer } from '../helpers/officers.ts';

let o: OfficersServer;
const CRAFTS = ['Gốm', 'Mây tre', 'Nón lá', 'Đồ gỗ', 'Dệt thổ cẩm'];
const COUNT = 2_100;

beforeAll(async () => {
  o = await startOfficersServer();
  const stores = o.server.stores;
  const base = Date.parse('2026-10-01T00:00:00Z');
  for (let i = 0; i < COUNT; i++) {
    const draft = await stores.registrations.saveDraft(
      {
        userKey: `zalo:s-${i}`,
        channel: 'zalo',
        schemaVersion: 1,
        data: {
          facilityName: `${CRAFTS[i % CRAFTS.length]} số ${i}`,
          phone: `09${String(10_000_000 + i).padStart(8, '0')}`,
          taxCode: String(1_000_000_000 + i),
          consent: true,
        },
        province: i % 2 === 0 ? 'Bắc Ninh' : 'Huế',
        supportArea: 'may-moc-thiet-bi',
      },
      new Date(base + i * 1000),
    );
    await stores.registrations.submit(draft.id, new Date(base + i * 1000));
  }
}, 120_000);
afterAll(() => o.close());

type Page = { total: number; items: { code: string; data: { facilityName: string } }[] };
const list = async (query: string, who: 'admin' | 'bn' = 'admin') =>
  (await (await o.request(who, `/api/registrations?${query}`)).json()) as Page;

describe('paging and searching over 2,000 registrations', () => {
  it('pages through every registration of a filter, each exactly once, newest first', async () => {
    const seen: string[] = [];
    let total: number | undefined;
    for (let page = 1; ; page++) {
      const answer = await list(`page=${page}&pageSize=200&province=${encodeURIComponent('Bắc Ninh')}`);
      total = answer.total;
      seen.push(...answer.items.map((i) => i.code));
      if (answer.items.length < 200) break;
    }
    expect(total).toBe(COUNT / 2);
    expect(new Set(seen).size).toBe(COUNT / 2);
    const first = await list('pageSize=3');
    expect(first.items.map((i) => i.data.facilityName)).toEqual([
      `${CRAFTS[(COUNT - 1) % 5]} số ${COUNT - 1}`,
      `${CRAFTS[(COUNT - 2) % 5]} số ${COUNT - 2}`,
      `${CRAFTS[(COUNT - 3) % 5]} số ${COUNT - 3}`,
    ]);
    // Sorted by code, ascending: the first code given.
    expect((await list('sort=code&dir=asc&pageSize=1')).items[0].code).toBe('KC-2026-000001');
  });

  it('finds names without diacritics, phones however written, tax codes and codes', async () => {
    expect((await list('q=gom')).total).toBe(COUNT / 5);
    expect((await list('q=gom%20so%2017')).items.map((i) => i.data.facilityName)).toContain('Gốm số 1705');
    expect((await list('q=det%20tho%20cam')).total).toBe(COUNT / 5);
    const phone = await list(`q=${encodeURIComponent('0910 000 017')}`);
    expect(phone.items.map((i) => i.data.facilityName)).toEqual(['Nón lá số 17']);
    expect((await list('q=1000000042')).items.map((i) => i.data.facilityName)).toEqual(['Nón lá số 42']);
    expect((await list('q=KC-2026-000010')).total).toBe(1);
    // Search stays within the officer's provinces.
    expect((await list('q=gom', 'bn')).total).toBe(COUNT / 10);
    // A hostile query is only text.
    expect((await list(`q=${encodeURIComponent("%' OR 1=1 --")}`)).total).toBe(0);
    expect((await list('q=_')).total).toBe(0);
  });
});
