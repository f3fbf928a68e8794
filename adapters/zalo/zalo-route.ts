import express, { type Request, type Response, type Router } from 'express';
import type { Config } from '../../bot/config.ts';
import type { Logger } from '../../bot/logger.ts';
import { parseZaloEvent, type ZaloEvent } from './zalo-events.ts';
import { verifyZaloSignature } from './zalo-signature.ts';

/** What the webhook needs to check a delivery. */
export interface ZaloWebhookOptions {
  appId: string;
  oaSecretKey: string;
  /** Processes a verified event (on this thread or a turn worker); settles when it is done. */
  handleEvent: (event: ZaloEvent) => Promise<void>;
  logger: Logger;
  /** Events accepted but not yet processed, above which deliveries get 503 (Zalo retries). */
  maxPending?: number;
}

/**
 * POST /api/zalo/webhook: checks size, signature and app id on the raw bytes, answers 200 at
 * once, then processes (Zalo wants an answer within 2 s and retries otherwise).
 */
export function zaloWebhookRouter(options: ZaloWebhookOptions): Router {
  const router = express.Router();
  let pending = 0;
  router.get('/api/zalo/webhook', (_req, res) => {
    res.status(200).send('ok');
  });
  router.post('/api/zalo/webhook', express.raw({ type: () => true, limit: '64kb' }), (req: Request, res: Response) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      res.status(400).json({ error: 'bad_request' });
      return;
    }
    const timestamp = body && typeof body === 'object' ? (body as { timestamp?: unknown }).timestamp : undefined;
    const signature = req.get('x-zevent-signature');
    if ((typeof timestamp !== 'string' && typeof timestamp !== 'number') || !verifyZaloSignature(signature, options.appId, raw, String(timestamp), options.oaSecretKey)) {
      res.status(401).json({ error: 'unauthorized' });
      return;
    }
    const event = parseZaloEvent(body);
    if (!event || event.appId !== options.appId) {
      res.status(401).json({ error: 'unauthorized' });
      return;
    }
    // Past this many events waiting, answer 503: Zalo delivers again later, and memory stays bounded.
    if (pending >= (options.maxPending ?? 1000)) {
      res.status(503).json({ error: 'busy' });
      return;
    }
    res.status(200).json({ ok: true });
    pending += 1;
    options
      .handleEvent(event)
      .catch((err: unknown) => {
        options.logger.error({ err: err instanceof Error ? err.message : String(err), channel: 'zalo' }, 'zalo event processing failed');
      })
      .finally(() => {
        pending -= 1;
      });
  });
  return router;
}

/** The webhook routes, handing verified events to `handleEvent` (this thread or a turn worker). */
export function zaloWebhook(config: Pick<Config, 'ZALO_APP_ID' | 'ZALO_OA_SECRET_KEY'>, handleEvent: (event: ZaloEvent) => Promise<void>, logger: Logger): Router {
  return zaloWebhookRouter({ appId: config.ZALO_APP_ID!, oaSecretKey: config.ZALO_OA_SECRET_KEY!, handleEvent, logger });
}

/** Zalo's domain verification: the verifier file and, when the web chat does not own `/`, a page with the meta tag. */
export function zaloSiteVerificationRouter(code: string | undefined, webchatOwnsRoot = false): Router {
  const router = express.Router();
  if (!code) return router;
  const meta = `<meta name="zalo-platform-site-verification" content="${code}" />`;
  router.get(`/zalo_verifier${code}.html`, (_req, res) => {
    res.type('html').send(`<!doctype html><html><head>${meta}</head><body>There Is No Limit To What You Can Accomplish Using Zalo!</body></html>`);
  });
  if (webchatOwnsRoot) return router;
  router.get('/', (_req, res, next) => {
    if (!_req.accepts('html')) return next();
    res.type('html').send(`<!doctype html><html lang="vi"><head><meta charset="utf-8">${meta}<title>Trợ lý Khuyến công</title></head><body><h1>Trợ lý Khuyến công</h1></body></html>`);
  });
  return router;
}
