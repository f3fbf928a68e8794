import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, type CryptoKey } from 'jose';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EntraStandIn } from '../helpers/entra-standin.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { useTempDirs } from '../helpers/temp-dirs.ts';

const APP_ID = '11111111-2222-3333-4444-555555555555';
/** The Application ID URI the Teams package declares for the tab's SSO: api://<PUBLIC_BASE_URL's host>/<app id>. */
const AUDIENCE = `api://kc.example.vn/${APP_ID}`;
let entra: EntraStandIn;
let server: TestServer;
let dataDir: string;
let otherKey: CryptoKey;
let host: string;

beforeAll(async () => {
  otherKey = (await generateKeyPair('RS256')).privateKey;
  // Entra ID, here on 127.0.0.1: it publishes its key set and signs users' tokens of any tenant.
  entra = new EntraStandIn();
  await entra.start();
  dataDir = mkdtempSync(join(tmpdir(), 'kc-tabapi-'));
  // A deployed server (a public address): the tab's sign-in comes from this configuration.
  server = await startTestServer({
    dataDir,
    env: {
      MicrosoftAppId: APP_ID,
      PUBLIC_BASE_URL: 'https://kc.example.vn',
      TEAMS_ALLOWED_TENANTS: 'tenant-ok',
      TAB_JWKS_URL: entra.jwksUrl,
      // The officer of these tests is an administrator through an Entra ID group.
      OFFICER_GROUPS: 'g-admin=admin',
    },
    web: { jwks: entra.keySet() },
  });
  host = new URL(server.url).host;
  const draft = await server.stores.registrations.saveDraft(
    {
      userKey: 'zalo:1',
      channel: 'zalo',
      schemaVersion: 1,
      data: { facilityName: 'Cơ sở A' },
      province: 'Bắc Ninh',
      supportArea: 'may-moc-thiet-bi',
    },
    new Date(),
  );
  await server.stores.registrations.submit(draft.id, new Date());
});
afterAll(async () => {
  await server.close();
  await entra.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function token(
  claims: { tid?: string; iss?: string; aud?: string } = {},
  options: { signer?: CryptoKey; expiresIn?: string | null } = {},
) {
  return entra.userToken(
    {
      tenant: claims.tid ?? 'tenant-ok',
      oid: 'officer-oid',
      groups: ['g-admin'],
      audience: claims.aud ?? AUDIENCE,
      issuer: claims.iss,
      expiresIn: options.expiresIn,
    },
    options.signer,
  );
}

const get = (path: string, bearer?: string) =>
  fetch(`${server.url}${path}`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });

describe('the officers’ API behind the tab, with Teams SSO tokens', () => {
  it('refuses standalone access outside development with a clear message', async () => {
    const res = await get('/api/registrations');
    expect(res.status).toBe(401);
    expect(((await res.json()) as { message: string }).message).toContain('Microsoft Teams');
  });

  it('accepts a token with the right issuer, audience, tenant and signature', async () => {
    const res = await get('/api/registrations?province=B%E1%BA%AFc%20Ninh', await token());
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      total: number;
      items: { code: string }[];
      stats: { byArea: Record<string, number> };
    };
    expect(body.total).toBe(1);
    expect(body.stats.byArea).toEqual({ 'may-moc-thiet-bi': 1 });
    const one = await get(`/api/registrations/${body.items[0].code}`, await token());
    expect(one.status).toBe(200);
    // The detail comes labelled and formatted from the registration's one catalogue.
    const { view } = (await one.json()) as {
      view: { key: string; label: string; groupLabel: string; value: string }[];
    };
    expect(view[0]).toEqual({
      key: 'facilityName',
      label: 'Tên cơ sở',
      group: 'facility',
      groupLabel: 'Cơ sở',
      value: 'Cơ sở A',
    });
    expect(view.find((r) => r.key === 'budgetTotal')).toMatchObject({
      label: 'Tổng kinh phí',
      groupLabel: 'Kinh phí',
      value: '(chưa điền)',
    });
    expect(await get('/api/registrations/KC-2026-999999', await token()).then((r) => r.status)).toBe(404);
  });

  it.each([
    ['another tenant', { tid: 'tenant-other', iss: 'https://login.microsoftonline.com/tenant-other/v2.0' }, {}],
    ['another audience', { aud: 'api://elsewhere/app' }, {}],
    ['a forged issuer', { iss: 'https://evil.example/tenant-ok/v2.0' }, {}],
    ['an expired token', {}, { expiresIn: '-1m' }],
    ['a token without an expiry', {}, { expiresIn: null }],
    ['another key', {}, { signer: 'other' }],
  ])('refuses %s', async (_name, claims, options) => {
    const signer = (options as { signer?: string }).signer === 'other' ? otherKey : undefined;
    const t = await token(claims, { ...(options as { expiresIn?: string | null }), ...(signer ? { signer } : {}) });
    expect((await get('/api/registrations', t)).status).toBe(401);
  });

  it('exports the current filter as XLSX and records it in the audit trail', async () => {
    const res = await get('/api/registrations/export.xlsx?status=submitted', await token());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const audit = await server.stores.audit.list(5);
    expect(audit[0]).toMatchObject({
      action: 'registrations.export',
      actor: 'aad:officer-oid',
      details: { via: 'tab', count: 1 },
    });
    expect((await get('/api/registrations/export.xlsx')).status).toBe(401);
  });

  it('lists, sorts and exports every registration of a filter when there are more than the store reads at once', async () => {
    // 2,345 drafts whose owners consented (more than two of the store's 1,000-row pages), three to a
    // millisecond, and drafts abandoned before the consent step, which officers never see.
    const base = Date.parse('2026-10-01T00:00:00Z');
    const names: string[] = [];
    for (let i = 0; i < 2345; i++) {
      names.push(`Cơ sở Lào Cai ${i}`);
      await server.stores.registrations.saveDraft(
        {
          userKey: `zalo:many-${i}`,
          channel: 'zalo',
          schemaVersion: 1,
          data: { facilityName: names[i], consent: true },
          province: 'Lào Cai',
        },
        new Date(base + Math.floor(i / 3)),
      );
    }
    for (let i = 0; i < 5; i++)
      await server.stores.registrations.saveDraft(
        {
          userKey: `zalo:no-consent-${i}`,
          channel: 'zalo',
          schemaVersion: 1,
          data: { facilityName: `Chưa đồng ý ${i}`, phone: '0912888000' },
          province: 'Lào Cai',
        },
        new Date(base),
      );
    const filter = `province=${encodeURIComponent('Lào Cai')}&status=draft`;
    type Page = { total: number; items: { data: { facilityName: string } }[] };
    const page = async (query: string) =>
      (await (await get(`/api/registrations?${filter}&${query}`, await token())).json()) as Page;

    const last = await page('sort=facilityName&dir=asc&pageSize=200&page=12');
    expect(last.total).toBe(2345);
    const sorted = [...names].sort(new Intl.Collator('vi').compare);
    expect(last.items.map((r) => r.data.facilityName)).toEqual(sorted.slice(2200));
    // Newest first: the last two were saved in the same millisecond, whose order the store leaves to their ids.
    const newest = await page('pageSize=2');
    expect(newest.items.map((r) => r.data.facilityName).sort()).toEqual(names.slice(2343).sort());

    const res = await get(`/api/registrations/export.xlsx?${filter}`, await token());
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await res.arrayBuffer());
    const sheet = workbook.worksheets[0];
    const column = (sheet.getRow(1).values as unknown[]).indexOf('Tên cơ sở');
    const exported = sheet.getColumn(column).values.slice(2).map(String);
    expect(exported.sort()).toEqual([...names].sort());
  });
});

/** A GET with the Host header the client chooses (fetch keeps the address's). */
function getWithHost(path: string, hostHeader: string, bearer: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}${path}`,
      { headers: { host: hostHeader, authorization: `Bearer ${bearer}` } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('the tab’s token audience', () => {
  it('comes from the configuration (the app id and PUBLIC_BASE_URL’s host), never from the Host header of the request', async () => {
    expect((await get('/api/registrations', await token({ aud: APP_ID }))).status).toBe(200);
    expect((await get('/api/registrations', await token({ aud: AUDIENCE }))).status).toBe(200);
    // The address the request came to is not an audience unless configured, and a Host header the client wrote never is.
    expect((await get('/api/registrations', await token({ aud: `api://${host}/${APP_ID}` }))).status).toBe(401);
    expect(
      await getWithHost('/api/registrations', 'evil.example', await token({ aud: `api://evil.example/${APP_ID}` })),
    ).toBe(401);
    expect(await getWithHost('/api/registrations', 'kc.example.vn', await token({ aud: AUDIENCE }))).toBe(200);
  });
});

describe('the tab API’s answers', () => {
  it('are never cached nor sniffed, errors included', async () => {
    const good = await token();
    const answers = [
      await get('/api/registrations', good),
      await get(
        `/api/registrations/${((await (await get('/api/registrations', good)).json()) as { items: { code: string }[] }).items[0].code}`,
        good,
      ),
      await get('/api/registrations/export.xlsx', good),
      await get('/api/registrations/KC-2026-999999', good),
      await get('/api/registrations?pageSize=0', good),
      await get('/api/registrations'),
      await get(
        '/api/registrations',
        await token({ tid: 'tenant-other', iss: 'https://login.microsoftonline.com/tenant-other/v2.0' }),
      ),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 404, 400, 401, 401]);
    for (const res of answers) {
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      await res.arrayBuffer();
    }
  });
});

describe('officers’ data and the tenants (tokens issued by the Entra ID stand-in)', () => {
  const tempDir = useTempDirs('kc-tabapi-tenants');
  /** The tab's API as the server builds it from these variables, on an empty store. */
  async function tabServer(env: Record<string, string>) {
    return startTestServer({
      dataDir: tempDir(),
      env: { PUBLIC_BASE_URL: 'https://kc.example.vn', TAB_JWKS_URL: entra.jwksUrl, ...env },
      web: { jwks: entra.keySet() },
    });
  }
  const foreign = () => entra.userToken({ tenant: 'tenant-foreign', audience: AUDIENCE });
  const paths = ['/api/registrations', '/api/registrations/KC-2026-000001', '/api/registrations/export.xlsx'];

  it('refuses a foreign tenant’s token on every route of the API', async () => {
    for (const path of paths) expect((await get(path, await foreign())).status).toBe(401);
    expect(server.logs.join('')).toContain('tab token refused');
    expect(server.logs.join('')).not.toContain(await foreign());
  });

  it('lets no tenant in with a multi-tenant app and no TEAMS_ALLOWED_TENANTS (outside production, where it cannot start)', async () => {
    const open = await tabServer({
      NODE_ENV: 'development',
      MicrosoftAppId: APP_ID,
      MicrosoftAppType: 'MultiTenant',
      MicrosoftAppPassword: 'app-password-for-tests',
    });
    try {
      for (const path of paths) {
        const res = await fetch(`${open.url}${path}`, { headers: { authorization: `Bearer ${await foreign()}` } });
        expect(res.status).toBe(401);
      }
      const own = await entra.userToken({ tenant: 'tenant-ok', audience: AUDIENCE });
      expect(
        (await fetch(`${open.url}/api/registrations`, { headers: { authorization: `Bearer ${own}` } })).status,
      ).toBe(401);
      expect(open.logs.join('')).toContain('set TEAMS_ALLOWED_TENANTS');
      // Nor does leaving the token out, in development too, once a Teams app is configured.
      expect((await fetch(`${open.url}/api/registrations`)).status).toBe(401);
    } finally {
      await open.close();
    }
  });

  it('serves the tab standalone, without a token, only outside production and without a Teams app', async () => {
    // A laptop: no public address (an empty variable counts as unset).
    const laptop = await tabServer({ NODE_ENV: 'development', PUBLIC_BASE_URL: '' });
    try {
      expect((await fetch(`${laptop.url}/api/registrations`)).status).toBe(200);
      expect(
        (await fetch(`${laptop.url}/api/registrations`, { headers: { authorization: `Bearer ${await foreign()}` } }))
          .status,
      ).toBe(401);
    } finally {
      await laptop.close();
    }
  });

  it('takes the bot’s own tenant (MicrosoftAppTenantId) as the only one allowed when TEAMS_ALLOWED_TENANTS is not set', async () => {
    const single = await tabServer({
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'app-password-for-tests',
      MicrosoftAppTenantId: 'tenant-ok',
    });
    try {
      const as = async (tenant: string) =>
        (
          await fetch(`${single.url}/api/registrations`, {
            headers: { authorization: `Bearer ${await entra.userToken({ tenant, audience: AUDIENCE })}` },
          })
        ).status;
      expect(await as('tenant-ok')).toBe(200);
      expect(await as('tenant-foreign')).toBe(401);
      expect((await fetch(`${single.url}/api/registrations`)).status).toBe(401);
    } finally {
      await single.close();
    }
  });
});
