import express, { type Request, type Response, type Router } from 'express';
import type { JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { InvalidContentError, type KnowledgeVersions } from '../../bot/knowledge-versions.ts';
import type { Logger } from '../../bot/logger.ts';
import { hasRole, type OfficerAccess } from '../../bot/officers.ts';
import { ContentVersionConflictError, type Stores } from '../../bot/stores.ts';
import { validateContent, type KnowledgeContent } from '../../knowledge/index.ts';
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
const SaveDraft = z.strictObject({ note: Note.optional(), content: z.record(z.string(), z.unknown()) });
const Publish = z.strictObject({ note: Note, expectedLive: z.number().int().min(0) });
const Restore = z.strictObject({ note: Note });

const badRequest = (res: Response, message: string) => void res.status(400).json({ error: 'bad_request', message });
const actorOf = (res: Response) => String(res.locals.actor);
const idParam = (req: Request) => {
  const id = String(req.params.id);
  return /^[0-9a-f-]{36}$/.test(id) ? id : undefined;
};

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
    '/api/content',
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
    res.json({ live: versions.live, versions: list, drafts });
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

  router.get('/api/content/drafts/:id', async (req, res) => {
    const id = idParam(req);
    const draft = id ? await stores.content.getDraft(id) : undefined;
    if (!draft) return void res.status(404).json({ error: 'not_found' });
    const checked = validateContent(draft.content);
    res.json({ ...draft, problems: checked.ok ? [] : checked.errors });
  });

  router.put('/api/content/drafts/:id', async (req, res) => {
    const id = idParam(req);
    const draft = id ? await stores.content.getDraft(id) : undefined;
    if (!draft) return void res.status(404).json({ error: 'not_found' });
    const parsed = SaveDraft.safeParse(req.body);
    if (!parsed.success) return badRequest(res, 'Nội dung bản nháp không đúng định dạng.');
    // A draft is kept even with problems (a curator saves work in progress); it cannot be published so.
    const content = parsed.data.content as unknown as KnowledgeContent;
    const checked = validateContent(content);
    const saved = await stores.content.saveDraft(
      {
        id: draft.id,
        content,
        author: actorOf(res),
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
    const id = idParam(req);
    if (!id || !(await stores.content.deleteDraft(id))) return void res.status(404).json({ error: 'not_found' });
    await audit('content.draft.delete', actorOf(res), { draft: id });
    res.status(204).end();
  });

  router.post('/api/content/drafts/:id/publish', async (req, res) => {
    const id = idParam(req);
    const draft = id ? await stores.content.getDraft(id) : undefined;
    if (!draft) return void res.status(404).json({ error: 'not_found' });
    const parsed = Publish.safeParse(req.body);
    if (!parsed.success) return badRequest(res, 'Cần ghi chú (3–500 ký tự) và phiên bản đang dùng.');
    try {
      const info = await versions.publish({
        content: draft.content,
        author: actorOf(res),
        note: parsed.data.note,
        expectedLive: parsed.data.expectedLive,
        now: clock(),
      });
      await stores.content.deleteDraft(draft.id);
      await audit('content.publish', actorOf(res), { version: info.version, draft: draft.id, note: info.note });
      res.status(201).json(info);
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

  router.post('/api/content/versions/:version/restore', async (req, res) => {
    const version = Number(req.params.version);
    if (!Number.isInteger(version) || version < 0) return badRequest(res, 'Số phiên bản không hợp lệ.');
    const parsed = Restore.safeParse(req.body);
    if (!parsed.success) return badRequest(res, 'Cần ghi chú (3–500 ký tự) cho việc khôi phục.');
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
