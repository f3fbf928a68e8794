import express, { type ErrorRequestHandler, type Express, type Router } from 'express';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import { requestIdMiddleware } from './request-context.ts';

/** What /readyz reports about. */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<boolean> | boolean;
}

/** Builds the HTTP application: health routes, the channels' routers, and JSON errors. */
export function createHttpApp(options: { logger: Logger; routers: Router[]; readiness: ReadinessCheck[]; metrics?: Metrics }): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestIdMiddleware);
  if (options.metrics) {
    const { registry } = options.metrics;
    app.get('/metrics', async (_req, res) => {
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
          return [r.name, await r.check()] as const;
        } catch {
          return [r.name, false] as const;
        }
      }),
    );
    const ready = results.every(([, ok]) => ok);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks: Object.fromEntries(results) });
  });
  for (const router of options.routers) app.use(router);
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found' });
  });
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) options.logger.error({ err }, 'request failed');
    res.status(status).json({ error: status === 413 ? 'payload_too_large' : status === 500 ? 'internal_error' : 'bad_request' });
  };
  app.use(onError);
  return app;
}
