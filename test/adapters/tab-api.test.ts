import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const APP_ID = '11111111-2222-3333-4444-555555555555';
let jwksServer: Server;
let server: TestServer;
let dataDir: string;
let key: CryptoKey;
let otherKey: CryptoKey;
let host: string;

beforeAll(async () => {
  otherKey = (await generateKeyPair('RS256')).privateKey;
  // The key set a real Entra ID publishes, here served on 127.0.0.1.
  const signing = await generateKeyPair('RS256', { extractable: true });
  key = signing.privateKey;
  const jwk = { ...(await exportJWK(signing.publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  jwksServer = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/keys`;
  dataDir = mkdtempSync(join(tmpdir(), 'kc-tabapi-'));
  server = await startTestServer({ dataDir, web: { auth: { appId: APP_ID, tenants: ['tenant-ok'], jwksUrl, allowStandalone: false } } });
  host = new URL(server.url).host;
  const draft = await server.stores!.registrations.saveDraft({ userKey: 'zalo:1', channel: 'zalo', schemaVersion: 1, data: { facilityName: 'Cơ sở A' }, province: 'Bắc Ninh', supportArea: 'may-moc-thiet-bi' }, new Date());
  await server.stores!.registrations.submit(draft.id, new Date());
});
afterAll(async () => {
  await server.close();
  await new Promise<void>((resolve) => jwksServer.close(() => resolve()));
  rmSync(dataDir, { recursive: true, force: true });
});

function token(claims: Record<string, unknown> = {}, options: { signer?: CryptoKey; kid?: string; expiresIn?: string } = {}) {
  return new SignJWT({ tid: 'tenant-ok', oid: 'officer-oid', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'test-key' })
    .setIssuer(String(claims.iss ?? 'https://login.microsoftonline.com/tenant-ok/v2.0'))
    .setAudience(String(claims.aud ?? `api://${host}/${APP_ID}`))
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '10m')
    .sign(options.signer ?? key);
}

const get = (path: string, bearer?: string) => fetch(`${server.url}${path}`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });

describe('the officers’ API behind the tab, with Teams SSO tokens', () => {
  it('refuses standalone access outside development with a clear message', async () => {
    const res = await get('/api/registrations');
    expect(res.status).toBe(401);
    expect(((await res.json()) as { message: string }).message).toContain('Microsoft Teams');
  });

  it('accepts a token with the right issuer, audience, tenant and signature', async () => {
    const res = await get('/api/registrations?province=B%E1%BA%AFc%20Ninh', await token());
    expect(res.status).toBe(200);
    const body = (await res.json()) as { total: number; items: { code: string }[]; stats: { byArea: Record<string, number> } };
    expect(body.total).toBe(1);
    expect(body.stats.byArea).toEqual({ 'may-moc-thiet-bi': 1 });
    const one = await get(`/api/registrations/${body.items[0]!.code}`, await token());
    expect(one.status).toBe(200);
    expect(await get('/api/registrations/KC-2026-999999', await token()).then((r) => r.status)).toBe(404);
  });

  it.each([
    ['another tenant', { tid: 'tenant-other', iss: 'https://login.microsoftonline.com/tenant-other/v2.0' }, {}],
    ['another audience', { aud: 'api://elsewhere/app' }, {}],
    ['a forged issuer', { iss: 'https://evil.example/tenant-ok/v2.0' }, {}],
    ['an expired token', {}, { expiresIn: '-1m' }],
    ['another key', {}, { signer: 'other' }],
  ])('refuses %s', async (_name, claims, options) => {
    const signer = (options as { signer?: string }).signer === 'other' ? otherKey : undefined;
    const t = await token(claims, { ...(options as { expiresIn?: string }), ...(signer ? { signer } : {}) });
    expect((await get('/api/registrations', t)).status).toBe(401);
  });

  it('exports the current filter as XLSX and records it in the audit trail', async () => {
    const res = await get('/api/registrations/export.xlsx?status=submitted', await token());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const audit = await server.stores!.audit.list(5);
    expect(audit[0]).toMatchObject({ action: 'registrations.export', actor: 'aad:officer-oid', details: { via: 'tab', count: 1 } });
    expect((await get('/api/registrations/export.xlsx')).status).toBe(401);
  });

  it('lists, sorts and exports every registration of a filter when there are more than the store reads at once', async () => {
    // 2,345 drafts (more than two of the store's 1,000-row pages), three to a millisecond.
    const base = Date.parse('2026-10-01T00:00:00Z');
    const names: string[] = [];
    for (let i = 0; i < 2345; i++) {
      names.push(`Cơ sở Lào Cai ${i}`);
      await server.stores!.registrations.saveDraft({ userKey: `zalo:many-${i}`, channel: 'zalo', schemaVersion: 1, data: { facilityName: names[i] }, province: 'Lào Cai' }, new Date(base + Math.floor(i / 3)));
    }
    const filter = `province=${encodeURIComponent('Lào Cai')}&status=draft`;
    type Page = { total: number; items: { data: { facilityName: string } }[] };
    const page = async (query: string) => (await (await get(`/api/registrations?${filter}&${query}`, await token())).json()) as Page;

    const last = await page('sort=facilityName&dir=asc&pageSize=200&page=12');
    expect(last.total).toBe(2345);
    const sorted = [...names].sort(new Intl.Collator('vi').compare);
    expect(last.items.map((r) => r.data.facilityName)).toEqual(sorted.slice(2200));
    // Newest first: the last two were saved in the same millisecond, whose order the store leaves to their ids.
    const newest = await page('pageSize=2');
    expect(newest.items.map((r) => r.data.facilityName).sort()).toEqual(names.slice(2343).sort());

    const res = await get(`/api/registrations/export.xlsx?${filter}`, await token());
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await res.arrayBuffer()) as unknown as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0]!;
    const column = (sheet.getRow(1).values as unknown[]).indexOf('facilityName');
    const exported = sheet.getColumn(column).values.slice(2).map(String);
    expect(exported.sort()).toEqual([...names].sort());
  });
});
