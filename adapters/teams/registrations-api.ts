import express, { type Router } from 'express';
import type { JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import type { Logger } from '../../bot/logger.ts';
import { canSee, visibleProvinces, type OfficerAccess, type OfficerIdentity } from '../../bot/officers.ts';
import type { RegistrationRecord, Stores } from '../../bot/stores.ts';
import { GROUP_LABELS, registrationRows } from '../../dialogs/index.ts';
import { toExported, toXlsx } from '../console/registrations-export.ts';
import { identityOf, officerSignIn, type TabAuthOptions } from './officer-sign-in.ts';

export { tabAuthOptions, type TabAuthOptions } from './officer-sign-in.ts';

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

/** The officers' API behind the tab: list with filters and statistics, one registration, XLSX of a filter. */
export function registrationsApi(options: {
  stores: Stores;
  auth: TabAuthOptions;
  /** How officers are recognised (bot/officers.ts). */
  access: OfficerAccess;
  logger: Logger;
  jwks?: JWTVerifyGetKey;
}): Router {
  const { stores, auth, jwks } = options;
  const router = express.Router();
  router.use('/api/registrations', (_req, res, next) => {
    res.set(API_HEADERS);
    next();
  });
  if (auth.audiences.length > 0 && auth.tenants.length === 0)
    options.logger.warn(
      "the officers' tab refuses every Teams token: no tenant is allowed (set TEAMS_ALLOWED_TENANTS, or MicrosoftAppTenantId for a single-tenant bot)",
    );

  const authenticate = officerSignIn({ auth, access: options.access, stores, logger: options.logger, jwks });

  // Who the tab's user is, as the officers' surfaces see them: the tab shows it, and what it offers.
  router.get('/api/officers/me', authenticate, (_req, res) => {
    const { id, name, roles, provinces, grants } = identityOf(res);
    res.set(API_HEADERS).json({ id, name, roles, provinces, grants });
  });

  // Registrations are read a page at a time, handing the thread back in between: on the main
  // thread, the channels' requests wait for one page, not for every registration.
  // An officer reads their provinces' registrations only; an administrator every one.
  const load = async (f: Filter, identity: OfficerIdentity) => {
    const filtered: RegistrationRecord[] = [];
    const visible = visibleProvinces(identity);
    if (visible !== 'all' && (visible.length === 0 || (f.province && !visible.includes(f.province)))) return filtered;
    let after: RegistrationRecord | undefined;
    for (let read = 0; read < MAX_LISTED; read += LIST_PAGE) {
      const page = await stores.registrations.list({
        status: f.status,
        province: f.province,
        ...(visible === 'all' ? {} : { provinces: visible }),
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
    const rows = toExported(await load(parsed.data, identityOf(res)));
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
    // Another province's registration is as absent as one that does not exist.
    if (!record || !canSee(identityOf(res), record.province)) return void res.status(404).json({ error: 'not_found' });
    // The detail as every view shows it: labels, groups and formatted values from the one catalogue.
    const view = registrationRows(record.data).map((row) => ({ ...row, groupLabel: GROUP_LABELS[row.group] }));
    res.json({ ...toExported([record])[0], view });
  });

  router.get('/api/registrations', authenticate, async (req, res) => {
    const parsed = Query.safeParse(req.query);
    if (!parsed.success) return void res.status(400).json({ error: 'bad_request' });
    const f = parsed.data;
    const filtered = await load(f, identityOf(res));
    const count = (key: (r: RegistrationRecord) => string | null) => {
      const out: Record<string, number> = {};
      for (const r of filtered) {
        const k = key(r) ?? '(chưa có)';
        out[k] = (out[k] ?? 0) + 1;
      }
      return out;
    };
    const visible = visibleProvinces(identityOf(res));
    res.json({
      // What this officer may see, so the tab can say why a list is empty.
      scope: visible === 'all' ? { all: true, provinces: [] } : { all: false, provinces: visible },
      total: filtered.length,
      page: f.page,
      pageSize: f.pageSize,
      items: toExported(filtered.slice((f.page - 1) * f.pageSize, f.page * f.pageSize)),
      stats: { byArea: count((r) => r.supportArea), byProvince: count((r) => r.province) },
    });
  });
  return router;
}
