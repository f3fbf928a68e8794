import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import express, { type ErrorRequestHandler, type Router } from 'express';
import { isLoopbackHost } from './config.ts';
import { errorResponse, sendJson, type HttpRoute } from './http-route.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import { requestIdMiddleware, requestIdOf } from './request-context.ts';
import { within } from './within.ts';

/**
 * How long /readyz waits for each check: a store that stops answering is reported as not ready
 * at once, rather than after its driver's own timeout, which outlasts any probe's.
 */
export const READINESS_CHECK_TIMEOUT_MS = 1000;

/**
 * How long an idle keep-alive connection is kept, by default: longer than the reverse proxies
 * and load balancers in front keep theirs (nginx and AWS's ALB: 60 s), so they always close
 * first. With Node's 5 s, a proxy would now and then send a request down a connection this
 * server was closing, and answer its client 502.
 */
export const KEEP_ALIVE_SECONDS = 75;

/**
 * How long a client may take to send a request's headers, and the whole request. Node's defaults
 * (60 s and 5 min, checked every 30 s) let a client that trickles bytes hold a connection and its
 * memory for minutes; a few thousand such clients would hold the server (a "slowloris"). The
 * largest body any route takes is 256 KB (Teams), which even a slow phone sends in seconds.
 */
export const HEADERS_TIMEOUT_MS = 15_000;
export const REQUEST_TIMEOUT_MS = 30_000;
/** How often Node looks for requests past those timeouts (its default, 30 s, would double them). */
export const TIMEOUT_CHECK_INTERVAL_MS = 2_000;

/** What /readyz reports about. */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<boolean> | boolean;
}

/** Runs a route's handler; whatever it throws, at once or later, rejects the promise. */
const run = async (route: HttpRoute, req: IncomingMessage, res: ServerResponse, requestId: string) =>
  route.handle(req, res, requestId);

/** The HTTP server, not yet listening, and how many requests it has not finished answering. */
export interface HttpServer {
  server: Server;
  /** Requests received and not yet answered (a graceful shutdown waits for them). */
  inFlight: () => number;
}

/** The host name of a Host header, without its port or an IPv6 address's brackets. */
function hostnameOf(host: string | undefined): string {
  const value = (host ?? '').trim().toLowerCase();
  if (value.startsWith('[')) return value.slice(1, value.indexOf(']'));
  return value.replace(/:\d*$/, '');
}

/** True when an Authorization header carries `Bearer <token>` with this token's SHA-256 digest, compared in constant time. */
function bearerMatches(header: string | undefined, digest: Buffer): boolean {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
  return token !== undefined && timingSafeEqual(createHash('sha256').update(token).digest(), digest);
}

/**
 * Builds the HTTP server: the channels' `routes` answered by node:http directly, then Express
 * for health, metrics, the channels' `routers` and JSON errors.
 */
export function createHttpServer(options: {
  logger: Logger;
  routes?: HttpRoute[];
  routers: Router[];
  readiness: ReadinessCheck[];
  /** Served on /metrics when given. */
  metrics?: Metrics;
  /** With it, /metrics answers only requests that carry it as a bearer token. */
  metricsToken?: string;
  keepAliveSeconds?: number;
  /** Shorter limits for slow clients than the defaults above (tests). */
  slowClientLimits?: { headersMs: number; requestMs: number; checkEveryMs: number };
  /**
   * Only requests whose Host is a loopback name are answered (421 otherwise): a server whose
   * officers' data is open on loopback must not be reachable through a web page's DNS rebinding.
   */
  loopbackHostsOnly?: boolean;
}): HttpServer {
  const routes = options.routes ?? [];
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestIdMiddleware);
  if (options.metrics) {
    const { registry } = options.metrics;
    const digest =
      options.metricsToken === undefined ? undefined : createHash('sha256').update(options.metricsToken).digest();
    app.get('/metrics', async (req, res) => {
      if (digest && !bearerMatches(req.headers.authorization, digest))
        return void res.status(401).set('www-authenticate', 'Bearer').json({ error: 'unauthorized' });
      res.type(registry.contentType).send(await registry.metrics());
    });
  }
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      options.readiness.map(async (r) => {
        try {
          return [
            r.name,
            await within(Promise.resolve(r.check()), READINESS_CHECK_TIMEOUT_MS, `readiness check ${r.name}`),
          ] as const;
        } catch {
          return [r.name, false] as const;
        }
      }),
    );
    const ready = results.every(([, ok]) => ok);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks: Object.fromEntries(results) });
  });
  // The routes answer other spellings of their paths (a trailing slash, capitals) through Express.
  for (const route of routes)
    app[route.method === 'GET' ? 'get' : 'post'](
      route.path,
      (req, res, next) => void run(route, req, res, String(res.locals.requestId)).catch(next),
    );
  for (const router of options.routers) app.use(router);
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found' });
  });
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    const { status, body } = errorResponse(err);
    if (status === 500) options.logger.error({ err }, 'request failed');
    res.status(status).json(body);
  };
  app.use(onError);

  const direct = new Map(routes.map((r) => [`${r.method} ${r.path}`, r]));
  const serve = (route: HttpRoute, req: IncomingMessage, res: ServerResponse) => {
    run(route, req, res, requestIdOf(req, res)).catch((err: unknown) => {
      const { status, body } = errorResponse(err);
      if (status === 500) options.logger.error({ err }, 'request failed');
      if (!res.headersSent) sendJson(res, status, body);
      else res.destroy();
    });
  };
  let inFlight = 0;
  const limits = options.slowClientLimits ?? {
    headersMs: HEADERS_TIMEOUT_MS,
    requestMs: REQUEST_TIMEOUT_MS,
    checkEveryMs: TIMEOUT_CHECK_INTERVAL_MS,
  };
  // A request past either limit is answered 408 and its connection closed.
  const server = createServer(
    {
      headersTimeout: limits.headersMs,
      requestTimeout: limits.requestMs,
      connectionsCheckingInterval: limits.checkEveryMs,
    },
    (req, res) => {
      inFlight += 1;
      res.once('close', () => (inFlight -= 1));
      if (options.loopbackHostsOnly && !isLoopbackHost(hostnameOf(req.headers.host))) {
        req.resume();
        return sendJson(res, 421, {
          error: 'misdirected_request',
          message: 'Máy chủ này chỉ phục vụ trên chính máy này (localhost).',
        });
      }
      const url = req.url ?? '/';
      const query = url.indexOf('?');
      const route = direct.get(`${req.method} ${query < 0 ? url : url.slice(0, query)}`);
      if (route) serve(route, req, res);
      else app(req, res);
    },
  );
  server.keepAliveTimeout = (options.keepAliveSeconds ?? KEEP_ALIVE_SECONDS) * 1000;
  return { server, inFlight: () => inFlight };
}
