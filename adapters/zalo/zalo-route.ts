import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Router } from 'express';
import type { Config } from '../../bot/config.ts';
import type { Logger } from '../../bot/logger.ts';
import type { MetricEvents } from '../../bot/metrics.ts';
import { isUserInteraction, parseZaloEvent, zaloEventKey } from './zalo-events.ts';
import type { ZaloInbox } from './zalo-inbox.ts';
import { verifyZaloSignature } from './zalo-signature.ts';
import {
  HttpError,
  MAX_JSON_DEPTH,
  nestedDeeperThan,
  readBody,
  sendJson,
  type HttpRoute,
} from '../../bot/http-route.ts';

/**
 * A delivery whose timestamp is further in the past than this is refused (answered 200, processed
 * not at all, counted as `timestamp`): a replay of a captured delivery is refused by this window or,
 * within it, by the inbox that remembers every event key for two days. One hour covers Zalo's
 * redeliveries (for as long as they are reported to go on, with room to spare) and the time a
 * delivery may wait in a proxy or behind a restart.
 */
export const ZALO_MAX_EVENT_AGE_MS = 60 * 60_000;
/** A delivery stamped further in the future than this is refused too (clocks drift, not by minutes). */
export const ZALO_MAX_EVENT_SKEW_MS = 5 * 60_000;

/** A key the webhook's signature may be made with, and the variable it comes from (logged, never the key). */
export interface ZaloSigningKey {
  name: string;
  secret: string;
}

/** What the webhook needs to check, record and hand on a delivery. */
export interface ZaloWebhookOptions {
  appId: string;
  /** Practitioners disagree on which key Zalo signs with: a signature made with any of these is accepted. */
  keys: ZaloSigningKey[];
  /** Where accepted events are recorded before Zalo is answered, and handed on from. */
  inbox: Pick<ZaloInbox, 'accept' | 'process' | 'held'>;
  logger: Logger;
  metrics?: Pick<MetricEvents, 'zaloRejected'>;
  /** Events accepted but not yet processed, above which deliveries get 503 (Zalo retries). */
  maxPending?: number;
  clock?: () => number;
}

/**
 * GET and POST /api/zalo/webhook: checks size, signature, app id and timestamp on the raw bytes,
 * records the event in the inbox, answers 200, then processes it. Zalo wants an answer within 2 s,
 * and its console and its checks disable a webhook that answers other than 200, so a delivery that
 * fails a check is answered 200 too, processed not at all, logged and counted.
 */
export function zaloWebhookRoutes(options: ZaloWebhookOptions): HttpRoute[] {
  const { inbox } = options;
  const clock = options.clock ?? Date.now;
  const announced = new Set<string>();
  const reject = (res: ServerResponse, reason: 'signature' | 'app-id' | 'timestamp' | 'malformed') => {
    options.metrics?.zaloRejected(reason);
    options.logger.warn({ channel: 'zalo', reason }, 'zalo delivery rejected: answered 200 and not processed');
    sendJson(res, 200, { ok: true });
  };
  const receive = async (req: IncomingMessage, res: ServerResponse, requestId: string) => {
    const raw = await readBody(req, 64 * 1024);
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new HttpError(400, 'bad_request');
    }
    // Nothing Zalo sends is nested this deep; code that walks such a value runs out of stack.
    if (nestedDeeperThan(body, MAX_JSON_DEPTH)) return reject(res, 'malformed');
    const timestamp = body && typeof body === 'object' ? (body as { timestamp?: unknown }).timestamp : undefined;
    const header = req.headers['x-zevent-signature'];
    const signature = typeof header === 'string' ? header : undefined;
    const key =
      typeof timestamp === 'string' || typeof timestamp === 'number'
        ? options.keys.find((k) => verifyZaloSignature(signature, options.appId, raw, String(timestamp), k.secret))
        : undefined;
    if (!key) return reject(res, 'signature');
    if (!announced.has(key.name)) {
      announced.add(key.name);
      options.logger.info({ channel: 'zalo', key: key.name }, `zalo webhook deliveries are signed with ${key.name}`);
    }
    const event = parseZaloEvent(body);
    if (!event) return reject(res, 'malformed');
    if (event.appId !== options.appId) return reject(res, 'app-id');
    const now = clock();
    const at = Number(timestamp);
    if (!Number.isFinite(at) || at < now - ZALO_MAX_EVENT_AGE_MS || at > now + ZALO_MAX_EVENT_SKEW_MS)
      return reject(res, 'timestamp');
    const inboxKey = zaloEventKey(event);
    if (event.kind === 'unknown' || !inboxKey) {
      options.logger.info(
        { channel: 'zalo', event: event.kind === 'unknown' ? event.eventName : event.kind },
        'zalo event ignored',
      );
      return sendJson(res, 200, { ok: true });
    }
    // Past this many events waiting, answer 503: Zalo delivers again later, and memory stays bounded.
    if (inbox.held() >= (options.maxPending ?? 1000)) return sendJson(res, 503, { error: 'busy' });
    // Recorded before the answer: a crash after it loses nothing (the event is taken again after a
    // restart), and a redelivery of a recorded event is not processed again. A store that cannot
    // record it fails the request, and Zalo delivers again.
    const fresh = await inbox.accept(
      inboxKey,
      event,
      new Date(at),
      isUserInteraction(event) ? new Date(at) : undefined,
    );
    sendJson(res, 200, { ok: true });
    if (!fresh) {
      options.logger.debug({ channel: 'zalo' }, 'zalo redelivery ignored');
      return;
    }
    inbox.process(inboxKey, event, requestId);
  };
  return [
    // Zalo's console checks that the URL answers.
    {
      method: 'GET',
      path: '/api/zalo/webhook',
      handle: (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('ok'),
    },
    { method: 'POST', path: '/api/zalo/webhook', handle: receive },
  ];
}

/** The keys the configuration gives for checking signatures: the OA Secret Key first, then the App Secret. */
export function zaloSigningKeys(config: Pick<Config, 'ZALO_OA_SECRET_KEY' | 'ZALO_APP_SECRET'>): ZaloSigningKey[] {
  const keys: ZaloSigningKey[] = [];
  if (config.ZALO_OA_SECRET_KEY) keys.push({ name: 'ZALO_OA_SECRET_KEY', secret: config.ZALO_OA_SECRET_KEY });
  if (config.ZALO_APP_SECRET) keys.push({ name: 'ZALO_APP_SECRET', secret: config.ZALO_APP_SECRET });
  return keys;
}

/** The webhook routes of the configured app, recording events in `inbox`, which hands them on to the turns. */
export function zaloWebhook(
  options: { config: Pick<Config, 'ZALO_APP_ID' | 'ZALO_OA_SECRET_KEY' | 'ZALO_APP_SECRET'> } & Omit<
    ZaloWebhookOptions,
    'appId' | 'keys'
  >,
): HttpRoute[] {
  return zaloWebhookRoutes({ ...options, appId: options.config.ZALO_APP_ID!, keys: zaloSigningKeys(options.config) });
}

/** Zalo's domain verification: the verifier file and, when the web chat does not own `/`, a page with the meta tag. */
export function zaloSiteVerificationRouter(code: string | undefined, webchatOwnsRoot = false): Router {
  const router = express.Router();
  if (!code) return router;
  const meta = `<meta name="zalo-platform-site-verification" content="${code}" />`;
  router.get(`/zalo_verifier${code}.html`, (_req, res) => {
    res
      .type('html')
      .send(
        `<!doctype html><html><head>${meta}</head><body>There Is No Limit To What You Can Accomplish Using Zalo!</body></html>`,
      );
  });
  if (webchatOwnsRoot) return router;
  router.get('/', (_req, res, next) => {
    if (!_req.accepts('html')) return next();
    res
      .type('html')
      .send(
        `<!doctype html><html lang="vi"><head><meta charset="utf-8">${meta}<title>Trợ lý Khuyến công</title></head><body><h1>Trợ lý Khuyến công</h1></body></html>`,
      );
  });
  return router;
}
