import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegistrationRecord } from '../../bot/stores.ts';
import { startOfficersServer, type OfficersServer, type Who } from '../helpers/officers.ts';

let o: OfficersServer;
const NOW = new Date('2026-11-26T09:00:00+07:00');

beforeAll(async () => {
  o = await startOfficersServer({ now: NOW });
});
afterAll(() => o.close());

type Detail = {
  code: string;
  stage: string;
  stageLabel: string;
  province: string | null;
  nextStages: { id: string; label: string; needs: string | null }[];
  view: { key: string; value: string; corrected?: boolean; original?: string }[];
  history: { kind: string; actor: string; actorName: string | null; details: Record<string, unknown> }[];
};
const post = async (who: Who, path: string, body: unknown) => {
  const res = await o.request(who, path, { body });
  return { status: res.status, body: (await res.json()) as Detail & { message?: string; error?: string } };
};
const move = (who: Who, r: RegistrationRecord, body: Record<string, unknown>) =>
  post(who, `/api/registrations/${r.code}/stage`, body);

describe('the status workflow, notes, corrections and the history of a registration', () => {
  it('takes a registration from submitted to included, each step with who and when, refusing moves out of order', async () => {
    const r = await o.submit('flow', 'Bắc Ninh');
    expect((await move('bn', r, { to: 'appraised' })).status).toBe(422);
    const received = await move('bn', r, { to: 'received' });
    expect(received.status).toBe(200);
    expect(received.body).toMatchObject({ stage: 'received', stageLabel: 'Đã tiếp nhận' });
    expect(received.body.nextStages.map((s) => s.id)).toEqual(['reviewing', 'needs-documents', 'not-included']);
    // Needing documents says which; without them, it is refused with a Vietnamese explanation.
    const bare = await move('bn', r, { to: 'needs-documents' });
    expect(bare.status).toBe(422);
    expect(bare.body.message).toContain('cần bổ sung những gì');
    expect((await move('bn', r, { to: 'needs-documents', missing: 'Bản sao giấy phép kinh doanh' })).status).toBe(200);
    expect((await move('bn', r, { to: 'reviewing' })).status).toBe(200);
    expect((await move('bn', r, { to: 'appraised' })).status).toBe(200);
    const included = await move('bn', r, { to: 'included' });
    expect(included.body.stageLabel).toBe('Được đưa vào kế hoạch');
    expect(included.body.nextStages).toEqual([]);
    const final = await move('bn', r, { to: 'not-included', reason: 'x' });
    expect(final.status).toBe(422);
    expect(final.body.message).toContain('quyết định cuối cùng');
    const steps = included.body.history.filter((e) => e.kind === 'stage').map((e) => e.details.to);
    expect(steps).toEqual(['received', 'needs-documents', 'reviewing', 'appraised', 'included']);
    expect(included.body.history[1]).toMatchObject({
      actor: 'aad:aad-bn',
      actorName: 'Cán bộ Bắc Ninh',
      details: { from: 'received', to: 'needs-documents', missing: 'Bản sao giấy phép kinh doanh' },
    });
    const audit = await o.server.stores.audit.list(50);
    expect(audit.filter((a) => a.action === 'registration.stage' && a.details.code === r.code)).toHaveLength(5);
    // The stage is in the list's filter and in the export.
    const list = (await (await o.request('bn', '/api/registrations?stage=included')).json()) as {
      items: { code: string }[];
    };
    expect(list.items.map((i) => i.code)).toEqual([r.code]);
  });

  it('requires a reason to leave a registration out of the plan; another province’s officer cannot touch it', async () => {
    const r = await o.submit('out', 'Bắc Ninh');
    expect((await move('hue', r, { to: 'received' })).status).toBe(404);
    expect((await move('none', r, { to: 'received' })).status).toBe(404);
    expect((await move('bn', r, { to: 'not-included' })).body.message).toContain('lý do');
    const out = await move('bn', r, { to: 'not-included', reason: 'Ngành nghề không thuộc đối tượng hỗ trợ' });
    expect(out.body).toMatchObject({ stage: 'not-included' });
    expect((await move('admin', r, { to: 'received' })).status).toBe(422);
  });

  it('lets one of two officers moving a registration at once win; the other is told to look again', async () => {
    const r = await o.submit('race', 'Bắc Ninh');
    const results = await Promise.all([move('bn', r, { to: 'received' }), move('admin', r, { to: 'received' })]);
    // The loser read the registration before or after the winner's move: told to look again, or that the move is done.
    expect(results.filter((x) => x.status === 200)).toHaveLength(1);
    expect([409, 422]).toContain(results.find((x) => x.status !== 200)!.status);
    const history = (await (await o.request('bn', `/api/registrations/${r.code}/history`)).json()) as {
      events: unknown[];
    };
    expect(history.events).toHaveLength(1);
    // The store's move is a compare-and-set: from a stage it is no longer in, nothing happens.
    const event = { kind: 'stage' as const, actor: 'aad:x', actorName: null, details: {} };
    expect(await o.server.stores.work.moveStage(r.id, 'submitted', 'received', event, NOW)).toBe(false);
    expect(await o.server.stores.work.moveStage(r.id, 'received', 'reviewing', event, NOW)).toBe(true);
    expect(await o.server.stores.work.moveStage(r.id, 'received', 'reviewing', event, NOW)).toBe(false);
  });

  it('keeps notes for officers, in the history and the audit trail; refuses empty and huge ones', async () => {
    const r = await o.submit('noted', 'Huế');
    expect((await post('hue', `/api/registrations/${r.code}/notes`, { text: '  ' })).status).toBe(422);
    expect((await post('hue', `/api/registrations/${r.code}/notes`, { text: 'x'.repeat(2001) })).status).toBe(422);
    expect((await post('bn', `/api/registrations/${r.code}/notes`, { text: 'Gọi lại' })).status).toBe(404);
    expect((await post('hue', `/api/registrations/${r.code}/notes`, { text: 'Đã gọi điện, hẹn thứ Hai' })).status).toBe(
      200,
    );
    const detail = (await (await o.request('hue', `/api/registrations/${r.code}`)).json()) as Detail;
    expect(detail.history).toEqual([
      expect.objectContaining({ kind: 'note', actor: 'aad:aad-hue', details: { text: 'Đã gọi điện, hẹn thứ Hai' } }),
    ]);
    const audit = await o.server.stores.audit.list(50);
    expect(audit.find((a) => a.action === 'registration.note' && a.details.code === r.code)).toMatchObject({
      actor: 'aad:aad-hue',
      details: { length: 24 },
    });
    // Malformed bodies: 400 or 422, never a crash.
    const raw = await fetch(`${o.server.url}/api/registrations/${r.code}/notes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer x' },
      body: '{',
    });
    expect(raw.status).toBe(401);
    const broken = await fetch(`${o.server.url}/api/registrations/${r.code}/notes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await o.token('hue')}` },
      body: '{',
    });
    expect(broken.status).toBe(400);
    expect((await post('hue', `/api/registrations/${r.code}/stage`, { to: 'nowhere' })).status).toBe(400);
  });

  it('corrects a misparsed amount and a wrong province, keeping the owner’s answers; the province moves the registration', async () => {
    const r = await o.submit('fix', 'Bắc Ninh', { budgetRequested: 1_500_000, facilityName: 'Xưởng gỗ Đồng Kỵ' });
    const amount = await post('bn', `/api/registrations/${r.code}/corrections`, {
      field: 'budgetRequested',
      value: '1,5 tỷ',
      reason: 'Cơ sở ghi nhầm đơn vị',
    });
    expect(amount.status).toBe(200);
    expect(amount.body.view.find((v) => v.key === 'budgetRequested')).toMatchObject({
      value: '1.500.000.000 đồng',
      corrected: true,
      original: '1.500.000 đồng',
    });
    expect(
      (await post('bn', `/api/registrations/${r.code}/corrections`, { field: 'budgetRequested', value: 'nhiều' }))
        .status,
    ).toBe(422);
    expect(
      (await post('bn', `/api/registrations/${r.code}/corrections`, { field: 'consent', value: 'x' })).status,
    ).toBe(422);
    const moved = await post('bn', `/api/registrations/${r.code}/corrections`, { field: 'province', value: 'hue' });
    expect(moved.body.province).toBe('Huế');
    // Now Huế's: its officer sees it, Bắc Ninh's no longer does.
    expect((await o.request('bn', `/api/registrations/${r.code}`)).status).toBe(404);
    const detail = (await (await o.request('hue', `/api/registrations/${r.code}`)).json()) as Detail;
    expect(detail.history.filter((e) => e.kind === 'correction').map((e) => e.details)).toEqual([
      {
        field: 'budgetRequested',
        before: 1_500_000,
        after: 1_500_000_000,
        original: 1_500_000,
        reason: 'Cơ sở ghi nhầm đơn vị',
      },
      { field: 'province', before: 'Bắc Ninh', after: 'Huế', original: 'Bắc Ninh' },
    ]);
    // The owner's own answers are kept as they gave them.
    const stored = await o.server.stores.registrations.getByCode(r.code!);
    expect(stored!.data).toMatchObject({ budgetRequested: 1_500_000, province: 'Bắc Ninh' });
    expect(stored!.corrections).toEqual({ budgetRequested: 1_500_000_000, province: 'Huế' });
  });

  it('lists drafts as "đang điền" only with consent, and abandoned ones with a phone for follow-up', async () => {
    const stores = o.server.stores;
    const old = new Date(NOW.getTime() - 10 * 86_400_000);
    const draft = (userKey: string, data: Record<string, unknown>, at: Date) =>
      stores.registrations.saveDraft(
        { userKey, channel: 'zalo', schemaVersion: 1, data, province: 'Huế', supportArea: null },
        at,
      );
    await draft('zalo:abandoned', { facilityName: 'Bỏ dở', consent: true, phone: '0912345678' }, old);
    await draft('zalo:abandoned-nophone', { facilityName: 'Không số', consent: true }, old);
    await draft('zalo:fresh', { facilityName: 'Mới điền', consent: true, phone: '0912345679' }, NOW);
    await draft('zalo:secret', { facilityName: 'Chưa đồng ý', phone: '0912345670' }, old);
    type Page = { items: { stage: string; data: { facilityName: string } }[] };
    const names = async (query: string) =>
      ((await (await o.request('hue', `/api/registrations?${query}`)).json()) as Page).items
        .map((i) => i.data.facilityName)
        .sort();
    expect(await names('status=draft')).toEqual(['Bỏ dở', 'Không số', 'Mới điền']);
    expect(await names('abandonedDays=7')).toEqual(['Bỏ dở']);
    const [one] = ((await (await o.request('hue', '/api/registrations?status=draft')).json()) as Page).items;
    expect(one.stage).toBe('draft');
  });

  it('flags in the list a request above the level, no counterpart, a shared tax code or phone, and missing fields', async () => {
    const a = await o.submit('flag-a', 'Bắc Ninh', {
      supportArea: 'may-moc-thiet-bi',
      budgetTotal: 1_000_000_000,
      budgetRequested: 450_000_000,
      budgetCounterpart: 550_000_000,
      taxCode: '0109998887',
      phone: '0988 777 666',
    });
    await o.submit('flag-b', 'Huế', { taxCode: '0109998887', phone: '0988777666' });
    type Row = { code: string; flags: { id: string; detail?: string }[] };
    const list = (await (await o.request('bn', '/api/registrations?q=flag-a')).json()) as { items: Row[] };
    const row = list.items.find((i) => i.code === a.code)!;
    expect(row.flags.map((f) => f.id)).toEqual(['above-cap', 'duplicate-tax-code', 'duplicate-phone', 'incomplete']);
    // The other registration is Huế's: the flag says it exists, not whose it is.
    expect(row.flags[1].detail).toBe('Có 1 đăng ký khác cùng mã số thuế.');
    const detail = (await (await o.request('bn', `/api/registrations/${a.code}`)).json()) as Row;
    expect(detail.flags.map((f) => f.id)).toContain('above-cap');
  });
});
