import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { allowedTenants, type Config } from '../../bot/config.ts';
import type { Logger } from '../../bot/logger.ts';
import type { RegistrationRecord, Stores } from '../../bot/stores.ts';
import { GROUP_LABELS, registrationRows } from '../../dialogs/index.ts';
import { toExported, toXlsx } from '../console/registrations-export.ts';

/** Who may read the registrations from the officers' tab. */
export interface TabAuthOptions {
  /** The audiences a token may be issued for (the Teams app's client id, its api:// URI); none: every token is refused. */
  audiences: string[];
  /** Tenants whose officers may read; empty: every token is refused. */
  tenants: string[];
  /** Entra ID key set (tests point it at a local one). */
  jwksUrl: string;
  /** Standalone access without a token: development only. */
  allowStandalone: boolean;
}

/**
 * The tab's sign-in from the configuration alone: the token's audience is the app id, or the
 * Application ID URI the Teams package declares for SSO (`api://<PUBLIC_BASE_URL's host>/<app id>`),
 * never one built from the request, whose Host header the client writes.
 */
export function tabAuthOptions(
  config: Pick<
    Config,
    'MicrosoftAppId' | 'PUBLIC_BASE_URL' | 'TEAMS_ALLOWED_TENANTS' | 'MicrosoftAppTenantId' | 'TAB_JWKS_URL' | 'access'
  >,
): TabAuthOptions {
  const appId = config.MicrosoftAppId;
  const audiences = appId
    ? [appId, ...(config.PUBLIC_BASE_URL ? [`api://${new URL(config.PUBLIC_BASE_URL).host}/${appId}`] : [])]
    : [];
  // Standalone (no token) is for trying the tab on a laptop: only where officers' data is open
  // (loopback, no channel credentials, not production), never once a Teams app is configured,
  // whose officers' data would then be open to anyone who leaves the token out.
  return {
    audiences,
    tenants: allowedTenants(config),
    jwksUrl: config.TAB_JWKS_URL,
    allowStandalone: config.access.officersOpen && !appId,
  };
}

/** Headers of every answer of the tab's API, errors included: officers' data is neither cached nor sniffed. */
const API_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

const Query = z.object({
  province: z.string().max(64).optional(),
  area: z.string().max(64).optional(),
  status: z.enum(['draft', 'submitted']).optional(),
  q: z.string().max(200).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  sort: z.enum(['createdAt', 'code', 'province', 'supportArea', 'facilityName']).default('createdAt'),
  dir: z.enum(['asc', 'desc']).default('desc'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

type Filter = z.infer<typeof Query>;

/** Registrations read from the store per page, and at most in all. */
const LIST_PAGE = 1000;
const MAX_LISTED = 100_000;
const VIETNAMESE = new Intl.Collator('vi');

function matches(r: RegistrationRecord, f: Filter): boolean {
  if (f.q) {
    const hay =
      `${r.code ?? ''} ${String(r.data.facilityName ?? '')} ${String(r.data.projectName ?? '')} ${String(r.data.contactPerson ?? '')}`.toLocaleLowerCase(
        'vi',
      );
    if (!hay.includes(f.q.toLocaleLowerCase('vi'))) return false;
  }
  const day = r.createdAt.toISOString().slice(0, 10);
  return (!f.from || day >= f.from) && (!f.to || day <= f.to);
}

function sortKey(r: RegistrationRecord, sort: Filter['sort']): string {
  switch (sort) {
    case 'code':
      return r.code ?? '';
    case 'province':
      return r.province ?? '';
    case 'supportArea':
      return r.supportArea ?? '';
    case 'facilityName':
      return String(r.data.facilityName ?? '');
    default:
      return r.createdAt.toISOString();
  }
}

/**
 * The tab's sign-in, for every officers' API: a Teams (Entra ID) token of an allowed tenant, or
 * nothing at all where standalone development access is allowed; the officer goes to `res.locals.actor`.
 */
export function tabAuthentication(options: {
  auth: TabAuthOptions;
  logger: Logger;
  jwks: JWTVerifyGetKey;
}): (req: Request, res: Response, next: NextFunction) => Promise<void> {
  const { auth } = options;
  return async (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization');
    if (!header) {
      if (auth.allowStandalone) {
        res.locals.actor = 'standalone-dev';
        return next();
      }
      res.status(401).json({ error: 'unauthorized', message: 'Trang này chỉ mở được trong Microsoft Teams.' });
      return;
    }
    try {
      // Nobody outside the allowed tenants, ever: with none allowed, no token is even verified.
      if (auth.tenants.length === 0 || auth.audiences.length === 0)
        throw new Error('no tenant or audience is configured');
      const token = header.replace(/^Bearer\s+/i, '');
      // A token without an expiry would be good for ever: Entra ID always sets one.
      const { payload } = await jwtVerify(token, options.jwks, {
        audience: auth.audiences,
        algorithms: ['RS256'],
        requiredClaims: ['exp', 'tid'],
      });
      const tid = String(payload.tid ?? '');
      const issuers = [`https://login.microsoftonline.com/${tid}/v2.0`, `https://sts.windows.net/${tid}/`];
      if (!issuers.includes(String(payload.iss)) || !auth.tenants.includes(tid))
        throw new Error('issuer or tenant not allowed');
      res.locals.actor = `aad:${String(payload.oid ?? payload.sub ?? 'unknown')}`;
      next();
    } catch (err) {
      options.logger.info({ reason: err instanceof Error ? err.message : 'invalid token' }, 'tab token refused');
      res.status(401).json({ error: 'unauthorized', message: 'Phiên đăng nhập Teams không hợp lệ.' });
    }
  };
}

/** The officers' API behind the tab: list with filters and statistics, one registration, XLSX of a filter. */
export function registrationsApi(options: {
  stores: Stores;
  auth: TabAuthOptions;
  logger: Logger;
  jwks?: JWTVerifyGetKey;
}): Router {
  const { stores, auth } = options;
  const jwks = options.jwks ?? createRemoteJWKSet(new URL(auth.jwksUrl), { cacheMaxAge: 24 * 3600_000 });
  const router = express.Router();
  router.use('/api/registrations', (_req, res, next) => {
    res.set(API_HEADERS);
    next();
  });
  if (auth.audiences.length > 0 && auth.tenants.length === 0)
    options.logger.warn(
      "the officers' tab refuses every Teams token: no tenant is allowed (set TEAMS_ALLOWED_TENANTS, or MicrosoftAppTenantId for a single-tenant bot)",
    );

  const authenticate = tabAuthentication({ auth, logger: options.logger, jwks });

  // Registrations are read a page at a time, handing the thread back in between: on the main
  // thread, the channels' requests wait for one page, not for every registration.
  const load = async (f: Filter) => {
    const filtered: RegistrationRecord[] = [];
    let after: RegistrationRecord | undefined;
    for (let read = 0; read < MAX_LISTED; read += LIST_PAGE) {
      const page = await stores.registrations.list({
        status: f.status,
        province: f.province,
        supportArea: f.area,
        consentedOnly: true,
        limit: LIST_PAGE,
        after,
      });
      for (const r of page) if (matches(r, f)) filtered.push(r);
      after = page.at(-1);
      if (page.length < LIST_PAGE) break;
      await new Promise(setImmediate);
    }
    const sign = f.dir === 'asc' ? 1 : -1;
    const keyed = filtered.map((r) => ({ r, key: sortKey(r, f.sort) }));
    keyed.sort((a, b) => VIETNAMESE.compare(a.key, b.key) * sign);
    return keyed.map(({ r }) => r);
  };

  router.get('/api/registrations/export.xlsx', authenticate, async (req, res) => {
    const parsed = Query.safeParse(req.query);
    if (!parsed.success) return void res.status(400).json({ error: 'bad_request' });
    const rows = toExported(await load(parsed.data));
    const file = await toXlsx(rows);
    await stores.audit.record(
      {
        action: 'registrations.export',
        actor: String(res.locals.actor),
        details: { format: 'xlsx', count: rows.length, via: 'tab', filter: { ...parsed.data } },
      },
      new Date(),
    );
    res.setHeader('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader(
      'content-disposition',
      `attachment; filename="dang-ky-khuyen-cong-${new Date().toISOString().slice(0, 10)}.xlsx"`,
    );
    res.send(file);
  });

  router.get('/api/registrations/:code', authenticate, async (req, res) => {
    const code = String(req.params.code);
    const record = /^KC-\d{4}-\d{6}$/i.test(code) ? await stores.registrations.getByCode(code) : undefined;
    if (!record) return void res.status(404).json({ error: 'not_found' });
    // The detail as every view shows it: labels, groups and formatted values from the one catalogue.
    const view = registrationRows(record.data).map((row) => ({ ...row, groupLabel: GROUP_LABELS[row.group] }));
    res.json({ ...toExported([record])[0], view });
  });

  router.get('/api/registrations', authenticate, async (req, res) => {
    const parsed = Query.safeParse(req.query);
    if (!parsed.success) return void res.status(400).json({ error: 'bad_request' });
    const f = parsed.data;
    const filtered = await load(f);
    const count = (key: (r: RegistrationRecord) => string | null) => {
      const out: Record<string, number> = {};
      for (const r of filtered) {
        const k = key(r) ?? '(chưa có)';
        out[k] = (out[k] ?? 0) + 1;
      }
      return out;
    };
    res.json({
      total: filtered.length,
      page: f.page,
      pageSize: f.pageSize,
      items: toExported(filtered.slice((f.page - 1) * f.pageSize, f.page * f.pageSize)),
      stats: { byArea: count((r) => r.supportArea), byProvince: count((r) => r.province) },
    });
  });
  return router;
}
