import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Router } from 'express';
import type { Config } from '../../bot/config.ts';
import type { Logger } from '../../bot/logger.ts';
import { parseZaloEvent, type ZaloEvent } from './zalo-events.ts';
import { verifyZaloSignature } from './zalo-signature.ts';
import { HttpError, readBody, sendJson, type HttpRoute } from '../web/http-route.ts';

/** What the webhook needs to check a delivery. */
export interface ZaloWebhookOptions {
  appId: string;
  oaSecretKey: string;
  /** Processes a verified event (on this thread or a turn worker) delivered by request `requestId`; settles when it is done. */
  handleEvent: (event: ZaloEvent, requestId?: string) => Promise<void>;
  logger: Logger;
  /** Events accepted but not yet processed, above which deliveries get 503 (Zalo retries). */
  maxPending?: number;
}

/**
 * GET and POST /api/zalo/webhook: checks size, signature and app id on the raw bytes, answers 200
 * at once, then processes (Zalo wants an answer within 2 s and retries otherwise).
 */
export function zaloWebhookRoutes(options: ZaloWebhookOptions): HttpRoute[] {
  let pending = 0;
  const unauthorized = new HttpError(401, 'unauthorized');
  const receive = async (req: IncomingMessage, res: ServerResponse, requestId: string) => {
    const raw = await readBody(req, 64 * 1024);
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new HttpError(400, 'bad_request');
    }
    const timestamp = body && typeof body === 'object' ? (body as { timestamp?: unknown }).timestamp : undefined;
    const signature = req.headers['x-zevent-signature'];
    if ((typeof timestamp !== 'string' && typeof timestamp !== 'number') || !verifyZaloSignature(typeof signature === 'string' ? signature : undefined, options.appId, raw, String(timestamp), options.oaSecretKey)) throw unauthorized;
    const event = parseZaloEvent(body);
    if (!event || event.appId !== options.appId) throw unauthorized;
    // Past this many events waiting, answer 503: Zalo delivers again later, and memory stays bounded.
    if (pending >= (options.maxPending ?? 1000)) return sendJson(res, 503, { error: 'busy' });
    sendJson(res, 200, { ok: true });
    pending += 1;
    options
      .handleEvent(event, requestId)
      .catch((err: unknown) => {
        options.logger.error({ err: err instanceof Error ? err.message : String(err), channel: 'zalo' }, 'zalo event processing failed');
      })
      .finally(() => {
        pending -= 1;
      });
  };
  return [
    // Zalo's console checks that the URL answers.
    { method: 'GET', path: '/api/zalo/webhook', handle: (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('ok') },
    { method: 'POST', path: '/api/zalo/webhook', handle: receive },
  ];
}

/** The webhook routes, handing verified events to `handleEvent` (this thread or a turn worker). */
export function zaloWebhook(config: Pick<Config, 'ZALO_APP_ID' | 'ZALO_OA_SECRET_KEY'>, handleEvent: ZaloWebhookOptions['handleEvent'], logger: Logger): HttpRoute[] {
  return zaloWebhookRoutes({ appId: config.ZALO_APP_ID!, oaSecretKey: config.ZALO_OA_SECRET_KEY!, handleEvent, logger });
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
