import express, { type Request, type Response, type Router } from 'express';
import type { JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { InvalidContentError, type KnowledgeVersions } from '../../bot/knowledge-versions.ts';
import type { Logger } from '../../bot/logger.ts';
import { hasRole, type OfficerAccess, type OfficerIdentity } from '../../bot/officers.ts';
import { ContentVersionConflictError, type Stores, type UnansweredQuestion } from '../../bot/stores.ts';
import {
  cycleStatus,
  entryProblems,
  localDate,
  validateContent,
  type KnowledgeContent,
  type KnowledgeEntry,
} from '../../knowledge/index.ts';
import { groupUnanswered, markScopes, marksFor } from '../../bot/unanswered-groups.ts';
import { checkContent } from '../content/content-check.ts';
import { identityOf, officerSignIn, type TabAuthOptions } from './officer-sign-in.ts';

/** Headers of every answer: officers' data is neither cached nor sniffed. */
const API_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

/** The whole knowledge content is about 120 kB as JSON; a draft may grow well past it, not without bound. */
const BODY_LIMIT = '2mb';

const Note = z.string().trim().min(3).max(500);
const NewDraft = z.strictObject({
  note: Note,
  /** The version to start from (the live one when absent). */
  from: z.number().int().min(0).optional(),
});
// A draft may hold problems (work in progress), but its lists are lists of objects: the entry
// routes and the validation walk them.
const SaveDraft = z.strictObject({
  note: Note.optional(),
  content: z
    .object({
      entries: z.array(z.record(z.string(), z.unknown())),
      outOfScope: z.array(z.unknown()).optional(),
      otherProgrammes: z.array(z.record(z.string(), z.unknown())).optional(),
    })
    .catchall(z.unknown()),
});
const Publish = z.strictObject({
  note: Note,
  expectedLive: z.number().int().min(0),
  /** An administrator publishes a draft that misses a threshold, saying why. */
  override: z.strictObject({ reason: z.string().trim().min(10).max(1000) }).optional(),
});
const Restore = z.strictObject({ note: Note });
const UnansweredQuery = z.object({
  days: z.coerce.number().int().min(1).max(3650).default(30),
  status: z.enum(['open', 'handled', 'ignored', 'all']).default('open'),
});
const Mark = z.strictObject({
  normalized: z.array(z.string().min(1).max(1000)).min(1).max(500),
  status: z.enum(['handled', 'ignored', 'open']),
});
const Questions = z.strictObject({ questions: z.array(z.string().trim().min(2).max(200)).min(1).max(50) });
/** Unanswered questions read for grouping, at most. */
const UNANSWERED_READ = 20_000;

const badRequest = (res: Response, message: string) => void res.status(400).json({ error: 'bad_request', message });
const actorOf = (res: Response) => String(res.locals.actor);

/** A draft is its author's to change or delete (an administrator's too): one curator cannot undo another's work. */
function refuseOthersDraft(res: Response, draft: { author: string }): boolean {
  if (draft.author === actorOf(res) || hasRole(identityOf(res), 'admin')) return false;
  res.status(403).json({
    error: 'not_your_draft',
    message: 'Bản nháp này do cán bộ khác tạo; anh/chị tạo bản nháp mới từ phiên bản đang dùng.',
  });
  return true;
}
const idParam = (req: Request) => {
  const id = String(req.params.id);
  return /^[0-9a-f-]{36}$/.test(id) ? id : undefined;
};

/**
 * What `identity` may not change between the live content and `draft`: an entry of a province where
 * they are no curator, a national entry (administrators only), the out-of-scope examples or the
 * other programmes (administrators only). Empty: they may publish it.
 */
export function forbiddenChanges(identity: OfficerIdentity, live: KnowledgeContent, draft: KnowledgeContent): string[] {
  if (hasRole(identity, 'admin')) return [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const before = new Map(live.entries.map((e) => [e.id, e]));
  const after = new Map(draft.entries.map((e) => [e.id, e]));
  const refused: string[] = [];
  for (const id of new Set([...before.keys(), ...after.keys()])) {
    const [was, now] = [before.get(id), after.get(id)];
    if (same(was, now)) continue;
    // An entry added, changed or removed: each side of it must be in one of their provinces.
    const provinces = [was, now].flatMap((e) => (e ? [e.province] : []));
    if (
      provinces.some((p) => p === undefined || !identity.grants.some((g) => g.role === 'curator' && g.province === p))
    )
      refused.push(id);
  }
  if (!same(live.outOfScope, draft.outOfScope)) refused.push('(outOfScope)');
  if (!same(live.otherProgrammes ?? [], draft.otherProgrammes ?? [])) refused.push('(otherProgrammes)');
  return refused;
}

/**
 * The curators' API behind the tab: the published versions, drafts of the knowledge content
 * (with the problems `npm run kb -- validate` would report), publishing a draft and restoring an
 * earlier version. Every change goes to the audit trail.
 */
export function contentApi(options: {
  stores: Stores;
  versions: KnowledgeVersions;
  auth: TabAuthOptions;
  access: OfficerAccess;
  logger: Logger;
  jwks?: JWTVerifyGetKey;
  clock?: () => Date;
  /** Where "today" is, for the deadlines (TZ). */
  timeZone?: string;
}): Router {
  const { stores, versions } = options;
  const clock = options.clock ?? (() => new Date());
  const authenticate = officerSignIn({
    auth: options.auth,
    access: options.access,
    stores,
    logger: options.logger,
    jwks: options.jwks,
  });
  // Curators (of any province) and administrators work on the content; nobody else sees it here.
  const curatorsOnly = (_req: Request, res: Response, next: () => void) => {
    if (hasRole(identityOf(res), 'curator')) return next();
    res
      .status(403)
      .json({ error: 'forbidden', message: 'Chỉ biên tập viên nội dung và quản trị viên dùng được mục này.' });
  };
  const router = express.Router();
  router.use(
    ['/api/content', '/api/unanswered'],
    (_req, res, next) => {
      res.set(API_HEADERS);
      next();
    },
    authenticate,
    curatorsOnly,
    express.json({ limit: BODY_LIMIT }),
  );

  const audit = (action: string, actor: string, details: Record<string, unknown>) =>
    stores.audit.record({ action, actor, details }, clock());

  router.get('/api/content', async (_req, res) => {
    const [list, drafts] = await Promise.all([stores.content.list(100), stores.content.listDrafts(100)]);
    // Every known deadline passed and no newer cycle: the page reminds curators to enter the next one.
    const national = versions.liveContent.entries.filter((e) => !e.province).flatMap((e) => e.deadlines);
    const cycle = cycleStatus(national, localDate(clock(), options.timeZone ?? 'Asia/Ho_Chi_Minh'));
    res.json({ live: versions.live, versions: list, drafts, cycle });
  });

  router.get('/api/content/versions/:version', async (req, res) => {
    const version = Number(req.params.version);
    if (!Number.isInteger(version) || version < 0) return badRequest(res, 'Số phiên bản không hợp lệ.');
    const content = version === versions.live ? versions.liveContent : (await stores.content.get(version))?.content;
    if (!content) return void res.status(404).json({ error: 'not_found' });
    res.json({ version, content });
  });

  router.post('/api/content/drafts', async (req, res) => {
    const parsed = NewDraft.safeParse(req.body);
    if (!parsed.success) return badRequest(res, 'Cần ghi chú (3–500 ký tự) cho bản nháp.');
    const from = parsed.data.from ?? versions.live;
    const content = from === versions.live ? versions.liveContent : (await stores.content.get(from))?.content;
    if (!content) return void res.status(404).json({ error: 'not_found' });
    const draft = await stores.content.saveDraft(
      { content, author: actorOf(res), note: parsed.data.note, baseVersion: versions.live },
      clock(),
    );
    await audit('content.draft.create', actorOf(res), { draft: draft.id, from });
    res.status(201).json({ ...draft, problems: [] });
  });

  /** The draft the path names; undefined once a 404 has been answered. */
  const draftOr404 = async (req: Request, res: Response) => {
    const id = idParam(req);
    const draft = id ? await stores.content.getDraft(id) : undefined;
    if (!draft) res.status(404).json({ error: 'not_found' });
    return draft;
  };

  router.get('/api/content/drafts/:id', async (req, res) => {
    const draft = await draftOr404(req, res);
    if (!draft) return;
    const checked = validateContent(draft.content);
    res.json({ ...draft, problems: checked.ok ? [] : checked.errors });
  });

  router.put('/api/content/drafts/:id', async (req, res) => {
    const draft = await draftOr404(req, res);
    if (!draft) return;
    if (refuseOthersDraft(res, draft)) return;
    const parsed = SaveDraft.safeParse(req.body);
    if (!parsed.success) return badRequest(res, 'Nội dung bản nháp không đúng định dạng.');
    // A draft is kept even with problems (a curator saves work in progress); it cannot be published so.
    const content = parsed.data.content as unknown as KnowledgeContent;
    const checked = validateContent(content);
    const saved = await stores.content.saveDraft(
      {
        id: draft.id,
        content,
        author: draft.author,
        note: parsed.data.note ?? draft.note,
        baseVersion: draft.baseVersion,
      },
      clock(),
    );
    await audit('content.draft.save', actorOf(res), {
      draft: draft.id,
      problems: checked.ok ? 0 : checked.errors.length,
    });
    res.json({ ...saved, problems: checked.ok ? [] : checked.errors });
  });

  router.delete('/api/content/drafts/:id', async (req, res) => {
    const draft = await draftOr404(req, res);
    if (!draft) return;
    if (refuseOthersDraft(res, draft)) return;
    if (!(await stores.content.deleteDraft(draft.id))) return void res.status(404).json({ error: 'not_found' });
    await audit('content.draft.delete', actorOf(res), { draft: draft.id });
    res.status(204).end();
  });

  // The draft answers every question set beside the live content: what changes, and the thresholds.
  router.post('/api/content/drafts/:id/check', async (req, res) => {
    const draft = await draftOr404(req, res);
    if (!draft) return;
    const checked = validateContent(draft.content);
    if (!checked.ok) return void res.status(422).json({ error: 'invalid_content', problems: checked.errors });
    const [liveVersion, live] = [versions.live, versions.liveContent];
    // The other programmes' triggers and the out-of-scope examples run as code over every message:
    // only an administrator's draft that changes them is run at all.
    const forbidden = forbiddenChanges(identityOf(res), live, checked.content);
    if (forbidden.some((f) => f.startsWith('(')))
      return void res.status(403).json({
        error: 'forbidden',
        forbidden,
        message: 'Chỉ quản trị viên được sửa danh sách chương trình khác và câu ngoài phạm vi.',
      });
    const report = await checkContent(checked.content, live);
    res.json({ liveVersion, forbidden, ...report });
  });

  router.post('/api/content/drafts/:id/publish', async (req, res) => {
    const draft = await draftOr404(req, res);
    if (!draft) return;
    const parsed = Publish.safeParse(req.body);
    if (!parsed.success)
      return badRequest(
        res,
        'Cần ghi chú (3–500 ký tự), phiên bản đang dùng, và lý do (từ 10 ký tự) nếu bỏ qua kiểm tra.',
      );
    const identity = identityOf(res);
    const checked = validateContent(draft.content);
    if (!checked.ok) return void res.status(422).json({ error: 'invalid_content', problems: checked.errors });
    if (parsed.data.expectedLive !== versions.live)
      return void res.status(409).json({
        error: 'version_conflict',
        live: versions.live,
        message: `Đã có phiên bản ${versions.live} được xuất bản sau khi bản nháp này được kiểm tra; hãy kiểm tra lại.`,
      });
    // A draft started from an older version would undo what was published since: start again from the live one.
    if (draft.baseVersion !== versions.live)
      return void res.status(409).json({
        error: 'draft_outdated',
        live: versions.live,
        message: `Bản nháp được tạo từ phiên bản ${draft.baseVersion}, nhưng phiên bản ${versions.live} đã được xuất bản sau đó. Hãy tạo bản nháp mới từ phiên bản đang dùng và làm lại thay đổi.`,
      });
    const forbidden = forbiddenChanges(identity, versions.liveContent, checked.content);
    if (forbidden.length > 0)
      return void res.status(403).json({
        error: 'forbidden',
        forbidden,
        message: 'Bản nháp sửa các mục ngoài tỉnh của anh/chị hoặc mục toàn quốc (chỉ quản trị viên được sửa).',
      });
    const report = await checkContent(checked.content, versions.liveContent);
    const override = parsed.data.override;
    // Published over what was checked: another version going live meanwhile is a conflict (store).
    if (!report.passed && !(override && hasRole(identity, 'admin')))
      return void res.status(422).json({
        error: 'check_failed',
        message: override
          ? 'Chỉ quản trị viên được xuất bản khi bản nháp không đạt ngưỡng.'
          : 'Bản nháp làm giảm chất lượng trả lời dưới ngưỡng cho phép, nên chưa được xuất bản.',
        report,
      });
    try {
      const info = await versions.publish({
        content: draft.content,
        author: actorOf(res),
        note: parsed.data.note,
        expectedLive: parsed.data.expectedLive,
        now: clock(),
      });
      await stores.content.deleteDraft(draft.id);
      await audit(report.passed ? 'content.publish' : 'content.publish.override', actorOf(res), {
        version: info.version,
        draft: draft.id,
        note: info.note,
        changes: report.changes.length,
        ...(report.passed ? {} : { override: override!.reason, misses: report.misses }),
      });
      res.status(201).json({ ...info, report });
    } catch (error) {
      if (error instanceof InvalidContentError)
        return void res.status(422).json({ error: 'invalid_content', problems: error.problems });
      if (error instanceof ContentVersionConflictError)
        return void res.status(409).json({
          error: 'version_conflict',
          live: error.live,
          message: `Đã có phiên bản ${error.live} được xuất bản sau khi bản nháp này được kiểm tra; hãy kiểm tra lại.`,
        });
      throw error;
    }
  });

  // What the bot could not answer: a province curator sees their province's and those of no known province.
  const visibleTo = (identity: OfficerIdentity, questions: UnansweredQuestion[]) =>
    hasRole(identity, 'admin')
      ? questions
      : questions.filter(
          (q) => !q.province || identity.grants.some((g) => g.role === 'curator' && g.province === q.province),
        );

  // What the bot could not answer, grouped.
  router.get('/api/unanswered', async (req, res) => {
    const parsed = UnansweredQuery.safeParse(req.query);
    if (!parsed.success) return badRequest(res, 'Khoảng thời gian hoặc trạng thái không hợp lệ.');
    const { days, status } = parsed.data;
    const identity = identityOf(res);
    const since = new Date(clock().getTime() - days * 86_400_000);
    const scopes = markScopes(identity);
    const [questions, marks] = await Promise.all([
      stores.unanswered.since(since, UNANSWERED_READ),
      stores.unanswered.marks(scopes),
    ]);
    const mine = visibleTo(identity, questions);
    const groups = groupUnanswered(mine, marksFor(marks, scopes)).filter(
      (g) => status === 'all' || g.status === status,
    );
    res.json({ days, total: mine.length, groups });
  });

  router.post('/api/unanswered/marks', async (req, res) => {
    const parsed = Mark.safeParse(req.body);
    if (!parsed.success) return badRequest(res, 'Cần danh sách câu hỏi và trạng thái (đã xử lý, bỏ qua, mở lại).');
    const { status } = parsed.data;
    // Marked for the curator's own provinces (an administrator's for everyone's view of it).
    const identity = identityOf(res);
    const scopes = markScopes(identity);
    if (scopes.length === 0) return badRequest(res, 'Tài khoản của anh/chị chưa được phân công tỉnh, thành nào.');
    // Only texts that were asked, within the curator's view: a mark cannot hold other words.
    const asked = new Set(
      visibleTo(
        identity,
        await stores.unanswered.since(new Date(clock().getTime() - 365 * 86_400_000), UNANSWERED_READ),
      ).map((q) => q.normalized),
    );
    const normalized = parsed.data.normalized.filter((n) => asked.has(n));
    if (normalized.length === 0) return badRequest(res, 'Không có câu hỏi nào trong danh sách này.');
    for (const scope of scopes)
      await stores.unanswered.mark(normalized, status === 'open' ? null : status, actorOf(res), clock(), scope);
    await audit('unanswered.mark', actorOf(res), { status, texts: normalized.length, scopes });
    res.status(204).end();
  });

  /** The draft and one entry's place in it, if the actor may edit that entry. */
  const draftEntry = async (req: Request, res: Response) => {
    const draft = await draftOr404(req, res);
    if (!draft) return;
    if (refuseOthersDraft(res, draft)) return;
    return { draft, index: draft.content.entries.findIndex((e) => e.id === String(req.params.entry)) };
  };
  const saveEntry = async (
    res: Response,
    draft: { id: string; content: KnowledgeContent; author: string; note: string; baseVersion: number },
    entry: unknown,
    index: number,
  ) => {
    const others = draft.content.entries.filter((_, i) => i !== index);
    const problems = entryProblems(entry, others);
    if (problems.length > 0) return void res.status(422).json({ error: 'invalid_entry', problems });
    const entries = [...draft.content.entries];
    if (index >= 0) entries[index] = entry as KnowledgeEntry;
    else entries.push(entry as KnowledgeEntry);
    const content = { ...draft.content, entries };
    const forbidden = forbiddenChanges(identityOf(res), versions.liveContent, content);
    if (forbidden.includes((entry as KnowledgeEntry).id))
      return void res.status(403).json({
        error: 'forbidden',
        message: 'Anh/chị chỉ sửa được các mục của tỉnh mình; mục toàn quốc do quản trị viên sửa.',
      });
    await stores.content.saveDraft({ ...draft, content }, clock());
    await audit('content.draft.entry', actorOf(res), { draft: draft.id, entry: (entry as KnowledgeEntry).id });
    res.json({ problems: [], entry });
  };

  // A new entry, or one replaced, with the problems of each field.
  router.put('/api/content/drafts/:id/entries/:entry', async (req, res) => {
    const found = await draftEntry(req, res);
    if (!found) return;
    const body = req.body as { entry?: { id?: unknown } } | undefined;
    if (!body?.entry || typeof body.entry !== 'object' || body.entry.id !== String(req.params.entry))
      return badRequest(res, 'Mã mục trong đường dẫn và trong nội dung phải trùng nhau.');
    await saveEntry(res, found.draft, body.entry, found.index);
  });

  // Questions of a group added to an existing entry as alternate questions.
  router.post('/api/content/drafts/:id/entries/:entry/questions', async (req, res) => {
    const found = await draftEntry(req, res);
    if (!found) return;
    if (found.index < 0) return void res.status(404).json({ error: 'not_found' });
    const parsed = Questions.safeParse(req.body);
    if (!parsed.success) return badRequest(res, 'Cần từ 1 đến 50 câu hỏi, mỗi câu 2–200 ký tự.');
    const entry = found.draft.content.entries[found.index];
    const questions = [...entry.questions];
    for (const q of parsed.data.questions) if (!questions.includes(q)) questions.push(q);
    await saveEntry(res, found.draft, { ...entry, questions }, found.index);
  });

  router.post('/api/content/versions/:version/restore', async (req, res) => {
    const version = Number(req.params.version);
    if (!Number.isInteger(version) || version < 0) return badRequest(res, 'Số phiên bản không hợp lệ.');
    const parsed = Restore.safeParse(req.body);
    if (!parsed.success) return badRequest(res, 'Cần ghi chú (3–500 ký tự) cho việc khôi phục.');
    // A restore changes every province's entries at once: the administrators' call.
    if (!hasRole(identityOf(res), 'admin'))
      return void res
        .status(403)
        .json({ error: 'forbidden', message: 'Chỉ quản trị viên được khôi phục phiên bản cũ.' });
    try {
      const info = await versions.rollback({ to: version, author: actorOf(res), note: parsed.data.note, now: clock() });
      await audit('content.restore', actorOf(res), { version: info.version, restored: version, note: info.note });
      res.status(201).json(info);
    } catch (error) {
      if (error instanceof RangeError) return void res.status(404).json({ error: 'not_found' });
      if (error instanceof InvalidContentError)
        return void res.status(422).json({ error: 'invalid_content', problems: error.problems });
      throw error;
    }
  });
  return router;
}
