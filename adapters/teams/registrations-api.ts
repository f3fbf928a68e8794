import express, { type Router } from 'express';
import type { JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import type { Logger } from '../../bot/logger.ts';
import { visibleProvinces, type OfficerAccess, type OfficerIdentity } from '../../bot/officers.ts';
import type { RegistrationCounts, RegistrationFilter, RegistrationRecord, Stores } from '../../bot/stores.ts';
import {
  CORRECTABLE_FIELDS,
  fieldInfo,
  formatField,
  GROUP_LABELS,
  registrationFlags,
  registrationRows,
  STAGE_LABELS,
  stageNeeds,
  STAGES,
} from '../../dialogs/index.ts';
import {
  effectiveData,
  MAX_TEXT,
  nextStages,
  registrationWork,
  stageOf,
  type WorkResult,
} from '../../bot/registration-work.ts';
import { toExported, writeXlsx } from '../console/registrations-export.ts';
import { ownerMessaging, type ZaloMessages } from '../../bot/owner-messages.ts';
import { identityOf, officerSignIn, type TabAuthOptions } from './officer-sign-in.ts';

export { tabAuthOptions, type TabAuthOptions } from './officer-sign-in.ts';

/** Headers of every answer of the tab's API, errors included: officers' data is neither cached nor sniffed. */
const API_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

const Query = z.object({
  province: z.string().max(64).optional(),
  area: z.string().max(64).optional(),
  status: z.enum(['draft', 'submitted']).optional(),
  /** A stage of the Sở's work (submitted ones only). */
  stage: z.enum(STAGES).optional(),
  /** Drafts with consent and a phone that nobody touched for this many days: owners to call back. */
  abandonedDays: z.coerce.number().int().min(1).max(365).optional(),
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

/** The officers' API behind the tab: list with filters and statistics, one registration, XLSX of a filter. */
export function registrationsApi(options: {
  stores: Stores;
  auth: TabAuthOptions;
  /** How officers are recognised (bot/officers.ts). */
  access: OfficerAccess;
  logger: Logger;
  jwks?: JWTVerifyGetKey;
  clock?: () => Date;
  /** Zalo's message bodies for a user, when the Zalo channel is on (officers' messages to owners). */
  zaloMessages?: ZaloMessages;
  /** ZALO_PAID_CONSULTATION. */
  paidConsultation?: boolean;
}): Router {
  const { stores, auth, jwks } = options;
  const clock = options.clock ?? (() => new Date());
  const work = registrationWork(stores, clock);
  const messaging = ownerMessaging({
    stores,
    work,
    clock,
    paidConsultation: options.paidConsultation ?? false,
    zaloMessages: options.zaloMessages,
  });
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

  /**
   * The store's filter for a query and an officer: their provinces only (an administrator's all);
   * undefined when they may see nothing of it.
   */
  const storeFilter = (f: Filter, identity: OfficerIdentity): RegistrationFilter | undefined => {
    const visible = visibleProvinces(identity);
    if (visible !== 'all' && (visible.length === 0 || (f.province && !visible.includes(f.province)))) return undefined;
    const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
    return {
      status: f.abandonedDays ? 'draft' : f.status,
      stage: f.stage,
      province: f.province,
      ...(visible === 'all' ? {} : { provinces: visible }),
      supportArea: f.area,
      consentedOnly: true,
      search: f.q,
      createdFrom: f.from ? new Date(day(f.from)) : undefined,
      createdBefore: f.to ? new Date(day(f.to) + 86_400_000) : undefined,
      ...(f.abandonedDays
        ? { updatedBefore: new Date(clock().getTime() - f.abandonedDays * 86_400_000), withPhone: true }
        : {}),
    };
  };

  /**
   * Every registration of a filter, newest first, read a page at a time from where the last one
   * ended, handing the thread back in between: on the main thread, the channels' requests wait for
   * one page, not for every registration.
   */
  async function* pages(filter: RegistrationFilter): AsyncGenerator<RegistrationRecord[]> {
    let after: RegistrationRecord | undefined;
    for (let read = 0; read < MAX_LISTED; read += LIST_PAGE) {
      const page = await stores.registrations.list({ ...filter, limit: LIST_PAGE, after });
      if (page.length > 0) yield page;
      after = page.at(-1);
      if (page.length < LIST_PAGE) return;
      await new Promise(setImmediate);
    }
  }

  router.get('/api/registrations/export.xlsx', authenticate, async (req, res) => {
    const parsed = Query.safeParse(req.query);
    if (!parsed.success) return void res.status(400).json({ error: 'bad_request' });
    const filter = storeFilter(parsed.data, identityOf(res));
    res.setHeader('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader(
      'content-disposition',
      `attachment; filename="dang-ky-khuyen-cong-${clock().toISOString().slice(0, 10)}.xlsx"`,
    );
    // The file streams out as the registrations are read: neither is ever whole in memory.
    async function* exported() {
      if (filter) for await (const page of pages(filter)) yield toExported(page);
    }
    // Audited before a byte leaves: an export cut short has still been made.
    const count = filter ? (await stores.registrations.count(filter)).total : 0;
    await stores.audit.record(
      {
        action: 'registrations.export',
        actor: String(res.locals.actor),
        details: { format: 'xlsx', count, via: 'tab', filter: { ...parsed.data } },
      },
      clock(),
    );
    try {
      await writeXlsx(exported(), res);
    } catch (error) {
      options.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'the XLSX export failed');
      res.destroy();
    }
  });

  router.get('/api/registrations/:code', authenticate, async (req, res) => {
    const identity = identityOf(res);
    const record = await work.find(identity, String(req.params.code));
    if (!record) return void res.status(404).json({ error: 'not_found' });
    res.json(await detailOf(record));
  });

  /** The detail as every view shows it: labels, groups and values from the one catalogue, corrections over the owner's answers. */
  const detailOf = async (record: RegistrationRecord) => {
    const view = registrationRows(effectiveData(record)).map((row) => ({
      ...row,
      groupLabel: GROUP_LABELS[row.group],
      ...(row.key in record.corrections ? { corrected: true, original: formatField(row.key, record.data) } : {}),
    }));
    const history = record.status === 'submitted' ? await stores.work.history(record.id) : [];
    return {
      ...toExported([record])[0],
      flags: (await flagsOf([record]))[0],
      stageLabel: STAGE_LABELS[stageOf(record)],
      nextStages: nextStages(record).map((s) => ({ id: s, label: STAGE_LABELS[s], needs: stageNeeds(s) ?? null })),
      correctable: CORRECTABLE_FIELDS.map((key) => ({ key, label: fieldInfo(key).label })),
      view,
      history,
    };
  };

  /** The flags of some registrations: caps, counterpart, fields, and duplicates among the submitted ones. */
  const flagsOf = async (records: RegistrationRecord[]) => {
    const digits = (r: RegistrationRecord, key: string) => String(effectiveData(r)[key] ?? '').replace(/\D/g, '');
    const [taxCodes, phones] = await Promise.all([
      stores.registrations.sharing(
        'taxCode',
        records.map((r) => digits(r, 'taxCode')),
      ),
      stores.registrations.sharing(
        'phone',
        records.map((r) => digits(r, 'phone')),
      ),
    ]);
    // Others than itself: a submitted registration counts itself once.
    const others = (counts: Record<string, number>, r: RegistrationRecord, key: string) => {
      const v = digits(r, key);
      return v ? Math.max(0, (counts[v] ?? 0) - (r.status === 'submitted' ? 1 : 0)) : 0;
    };
    return records.map((r) =>
      registrationFlags(effectiveData(r), {
        taxCode: others(taxCodes, r, 'taxCode'),
        phone: others(phones, r, 'phone'),
      }),
    );
  };

  // An officer's actions on one registration: JSON bodies only (a form elsewhere cannot post them).
  const body = express.json({ limit: '32kb' });
  const answer = async <T>(res: express.Response, result: WorkResult<T>, then: (value: T) => unknown) => {
    if (result.ok) return void res.json(await then(result.value));
    const status = result.refusal === 'not-found' ? 404 : result.refusal === 'conflict' ? 409 : 422;
    res.status(status).json({ error: result.refusal, message: result.message });
  };
  const Stage = z.object({
    to: z.enum(STAGES),
    missing: z.string().max(MAX_TEXT).optional(),
    reason: z.string().max(MAX_TEXT).optional(),
    notifyOwner: z.boolean().optional(),
  });
  router.post('/api/registrations/:code/stage', authenticate, body, async (req, res) => {
    const parsed = Stage.safeParse(req.body);
    if (!parsed.success) return void res.status(400).json({ error: 'bad_request' });
    const { to, notifyOwner, ...details } = parsed.data;
    const identity = identityOf(res);
    const result = await work.changeStage(identity, String(req.params.code), to, details);
    await answer(res, result, async ({ record }) => {
      // The owner hears of it only when the officer chooses, on their channel, if it can reach them.
      const notice = notifyOwner ? await messaging.notifyStage(identity, record.code!, to, details) : undefined;
      return { ...(await detailOf(record)), ...(notice ? { notice } : {}) };
    });
  });
  router.get('/api/registrations/:code/reach', authenticate, async (req, res) => {
    const record = await work.find(identityOf(res), String(req.params.code));
    if (!record) return void res.status(404).json({ error: 'not_found' });
    res.json(await messaging.reach(record));
  });
  router.post('/api/registrations/:code/messages', authenticate, body, async (req, res) => {
    const text = (req.body as { text?: unknown } | undefined)?.text;
    const sent = await messaging.send(identityOf(res), String(req.params.code), text);
    if (sent.ok) return void res.json(sent);
    res
      .status(sent.reach ? 409 : sent.message.includes('không tìm thấy') ? 404 : 422)
      .json({ error: 'not_sent', ...sent });
  });
  router.post('/api/registrations/:code/notes', authenticate, body, async (req, res) => {
    const text = (req.body as { text?: unknown } | undefined)?.text;
    const result = await work.addNote(identityOf(res), String(req.params.code), text);
    await answer(res, result, (event) => event);
  });
  router.post('/api/registrations/:code/corrections', authenticate, body, async (req, res) => {
    const { field, value, reason } = (req.body ?? {}) as { field?: unknown; value?: unknown; reason?: unknown };
    const result = await work.correct(identityOf(res), String(req.params.code), String(field ?? ''), value, reason);
    await answer(res, result, (record) => detailOf(record));
  });
  router.get('/api/registrations/:code/history', authenticate, async (req, res) => {
    await answer(res, await work.history(identityOf(res), String(req.params.code)), (events) => ({ events }));
  });

  /** A page's rows: exported form, the stage's label and the flags. */
  const listed = async (records: RegistrationRecord[]) => {
    const flags = await flagsOf(records);
    return toExported(records).map((e, i) => ({
      ...e,
      stageLabel: STAGE_LABELS[e.stage as keyof typeof STAGE_LABELS],
      flags: flags[i],
    }));
  };

  router.get('/api/registrations', authenticate, async (req, res) => {
    const parsed = Query.safeParse(req.query);
    if (!parsed.success) return void res.status(400).json({ error: 'bad_request' });
    const f = parsed.data;
    const identity = identityOf(res);
    const filter = storeFilter(f, identity);
    let page: RegistrationRecord[] = [];
    let counts: RegistrationCounts = { total: 0, cells: [] };
    if (filter) {
      counts = await stores.registrations.count(filter);
      const offset = (f.page - 1) * f.pageSize;
      if (f.sort === 'facilityName') {
        // Names sort the Vietnamese way, which the engines do not share: every match is read and sorted here.
        const all: { r: RegistrationRecord; key: string }[] = [];
        for await (const batch of pages(filter))
          for (const r of batch) all.push({ r, key: String(effectiveData(r).facilityName ?? '') });
        const sign = f.dir === 'asc' ? 1 : -1;
        all.sort((a, b) => VIETNAMESE.compare(a.key, b.key) * sign);
        page = all.slice(offset, offset + f.pageSize).map(({ r }) => r);
      } else {
        // Other orders come from the store a page at a time, along its indexes.
        page = await stores.registrations.list({
          ...filter,
          order: { by: f.sort, dir: f.dir },
          limit: f.pageSize,
          offset,
        });
      }
    }
    const by = (key: 'province' | 'supportArea') => {
      const out: Record<string, number> = {};
      for (const cell of counts.cells) {
        const k = cell[key] ?? '(chưa có)';
        out[k] = (out[k] ?? 0) + cell.n;
      }
      return out;
    };
    const visible = visibleProvinces(identity);
    res.json({
      // What this officer may see, so the tab can say why a list is empty.
      scope: visible === 'all' ? { all: true, provinces: [] } : { all: false, provinces: visible },
      total: counts.total,
      page: f.page,
      pageSize: f.pageSize,
      items: await listed(page),
      stats: { byArea: by('supportArea'), byProvince: by('province') },
    });
  });
  return router;
}
