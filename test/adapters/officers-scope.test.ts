import ExcelJS from 'exceljs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RegistrationRecord } from '../../bot/stores.ts';
import { OFFICERS, startOfficersServer, type OfficersServer, type Who } from '../helpers/officers.ts';

let o: OfficersServer;
const records: Record<string, RegistrationRecord> = {};

beforeAll(async () => {
  o = await startOfficersServer();
  records.bn1 = await o.submit('bn1', 'Bắc Ninh', { facilityName: 'Gốm Phù Lãng' });
  records.bn2 = await o.submit('bn2', 'Bắc Ninh', { facilityName: 'Mây tre Phúc Lâm' });
  records.hue1 = await o.submit('hue1', 'Huế', { facilityName: 'Nón lá Phú Cam' });
  records.none1 = await o.submit('none1', null, { facilityName: 'Cơ sở chưa rõ tỉnh' });
});
afterAll(() => o.close());
beforeEach(() => {
  o.connector.posted.length = 0;
});

const get = (who: Who, path: string) => o.request(who, path);
const codes = (...keys: string[]) => keys.map((k) => records[k].code).sort();
const tell = (who: Who, conversationId: string, text: string) => o.tell(who, conversationId, text);
const postedTo = (conversationId: string) => o.postedTo(conversationId);

describe('officers see their provinces only: the tab API, its export, Teams commands and notifications', () => {
  it.each([
    ['bn', ['bn1', 'bn2'], { 'Bắc Ninh': 2 }],
    ['hue', ['hue1'], { Huế: 1 }],
    ['admin', ['bn1', 'bn2', 'hue1', 'none1'], { 'Bắc Ninh': 2, Huế: 1, '(chưa có)': 1 }],
    ['none', [], {}],
  ] as const)('the tab lists and counts for %s exactly their registrations', async (who, keys, byProvince) => {
    const res = await get(who, '/api/registrations?status=submitted');
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      total: number;
      items: { code: string }[];
      stats: { byProvince: Record<string, number> };
      scope: { all: boolean; provinces: string[] };
    };
    expect(body.items.map((i) => i.code).sort()).toEqual(codes(...keys));
    expect(body.total).toBe(keys.length);
    expect(body.stats.byProvince).toEqual(byProvince);
    expect(body.scope.all).toBe(who === 'admin');
    // Another province's registration is not found, named or filtered for.
    for (const [key, record] of Object.entries(records)) {
      const one = await get(who, `/api/registrations/${record.code}`);
      expect(one.status, `${who} reading ${key}`).toBe((keys as readonly string[]).includes(key) ? 200 : 404);
    }
    if (who === 'hue') {
      const other = (await (
        await get(who, `/api/registrations?province=${encodeURIComponent('Bắc Ninh')}`)
      ).json()) as {
        total: number;
      };
      expect(other.total).toBe(0);
    }
    // The export holds the same rows, and the audit trail says who exported how many.
    const xlsx = await get(who, '/api/registrations/export.xlsx?status=submitted');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsx.arrayBuffer());
    const sheet = book.worksheets[0];
    const column = (sheet.getRow(1).values as unknown[]).indexOf('Mã đăng ký');
    expect(sheet.getColumn(column).values.slice(2).map(String).sort()).toEqual(codes(...keys));
    const audit = await o.server.stores.audit.list(50);
    expect(
      audit.find((a) => a.action === 'registrations.export' && a.actor === `aad:${OFFICERS[who].oid}`),
    ).toMatchObject({ details: { count: keys.length, via: 'tab' } });
  });

  it('says who the tab user is', async () => {
    expect(await (await get('bn', '/api/officers/me')).json()).toMatchObject({
      roles: ['officer'],
      provinces: ['Bắc Ninh'],
    });
    expect(await (await get('none', '/api/officers/me')).json()).toMatchObject({ roles: [], provinces: [] });
  });

  it('answers Teams commands within the sender’s provinces, and tells a user without one why they get nothing', async () => {
    // Bắc Ninh's officer has opened the tab (the test above): their group counts in Teams too.
    await tell('bn', 'conv-bn', 'danh sách đăng ký');
    await tell('hue', 'conv-hue', 'danh sách đăng ký');
    await tell('hue', 'conv-hue2', 'danh sách đăng ký Bắc Ninh');
    await tell('hue', 'conv-hue3', `chi tiết ${records.bn1.code}`);
    await tell('none', 'conv-none', 'danh sách đăng ký');
    await tell('admin', 'conv-admin', 'danh sách đăng ký');
    await o.connector.waitFor(6);
    const [bn] = postedTo('conv-bn');
    expect(bn).toContain(records.bn1.code);
    expect(bn).toContain(records.bn2.code);
    expect(bn).not.toContain(records.hue1.code);
    const [hue] = postedTo('conv-hue');
    expect(hue).toContain(records.hue1.code);
    expect(hue).not.toContain(records.bn1.code);
    expect(postedTo('conv-hue2')[0]).toContain('chỉ xem được đăng ký của Huế');
    expect(postedTo('conv-hue3')[0]).toContain('không tìm thấy đăng ký');
    expect(postedTo('conv-hue3')[0]).not.toContain('Gốm Phù Lãng');
    expect(postedTo('conv-none')[0]).toContain('chưa được phân công tỉnh, thành nào');
    for (const key of ['bn1', 'bn2', 'hue1', 'none1']) expect(postedTo('conv-admin')[0]).toContain(records[key].code);
  });

  it('notifies each subscribed conversation only of its officer’s provinces', async () => {
    for (const who of ['bn', 'hue', 'admin', 'none'] as const) await tell(who, `sub-${who}`, 'nhận thông báo đăng ký');
    await o.connector.waitFor(4);
    expect(postedTo('sub-none')[0]).toContain('chưa được phân công');
    expect(postedTo('sub-hue')[0]).toContain('(Huế)');
    o.connector.posted.length = 0;
    await o.server.runtime.announceRegistration(records.bn1);
    await o.server.runtime.announceRegistration(records.hue1);
    await o.connector.waitFor(4);
    await new Promise((r) => setTimeout(r, 200));
    const noticed = (id: string) => postedTo(id).filter((b) => b.includes('Đăng ký khuyến công mới'));
    expect(noticed('sub-bn')).toHaveLength(1);
    expect(noticed('sub-bn')[0]).toContain(records.bn1.code);
    expect(noticed('sub-hue')).toHaveLength(1);
    expect(noticed('sub-hue')[0]).toContain(records.hue1.code);
    expect(noticed('sub-admin')).toHaveLength(2);
    expect(noticed('sub-none')).toHaveLength(0);
  });
});
