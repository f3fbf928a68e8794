import type { Router } from 'express';
import type { HttpRoute } from './http-route.ts';
import { loadContentOrThrow } from '../adapters/content/content-files.ts';
import { openStores } from '../adapters/storage/open-stores.ts';
import { webchatRoute } from '../adapters/webchat/webchat-route.ts';
import { webchatTurns } from '../adapters/webchat/webchat-turns.ts';
import { registrationsApi, tabAuthOptions } from '../adapters/teams/registrations-api.ts';
import { PUBLIC_DIR } from '../adapters/web/build-assets.ts';
import { webPagesRouter } from '../adapters/web/pages.ts';
import { createZaloTurns } from '../adapters/zalo/index.ts';
import { ZaloInbox } from '../adapters/zalo/zalo-inbox.ts';
import { zaloSiteVerificationRouter, zaloWebhook } from '../adapters/zalo/zalo-route.ts';
import { createZaloSender } from '../adapters/zalo/zalo-sender.ts';
import { BUNDLED_CONTENT_DIR } from '../knowledge/index.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger, stdoutDestination } from './logger.ts';
import { scheduleRetention } from './retention.ts';
import { createMetrics } from './metrics.ts';
import { createRuntime } from './runtime.ts';
import { createHttpServer } from './server.ts';

/** SIGTERM or SIGINT → the process has exited within this long, whatever is still running. */
const SHUTDOWN_GRACE_MS = 10_000;

/** The composition root: reads the configuration, builds the adapters and starts the server. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logDestination = stdoutDestination();
  const logger = createLogger(config.LOG_LEVEL, logDestination);
  // A failure outside any request or turn ends the process as Node would (the service manager
  // starts it again), but first says so in the log, where the operator looks.
  // Every exit writes what is left of the log first; the flush itself always returns.
  const exit = (code: number) => {
    logDestination.flushSync();
    process.exit(code);
  };
  const crash = (kind: string) => (error: unknown) => {
    logger.fatal({ err: error instanceof Error ? error : new Error(String(error)) }, `crashed: ${kind}`);
    exit(1);
  };
  process.on('uncaughtException', crash('uncaught exception'));
  process.on('unhandledRejection', crash('unhandled promise rejection'));
  const contentDir = config.KNOWLEDGE_DIR ?? BUNDLED_CONTENT_DIR;
  let content = loadContentOrThrow(contentDir);
  const { storage, stores } = await openStores({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  // A store that does not take writes (read-only files or disk) is served unready; say why at once.
  stores.ping().catch((error: unknown) => logger.error({ err: error }, 'the store does not accept writes, so the server is not ready'));
  const metrics = createMetrics();
  metrics.countRegistrations(() => stores.registrations.countByStatus());
  metrics.probeStore(() => stores.ping());
  // One thread runs every turn; more cores mean more instances on PostgreSQL behind the proxy
  // (docs/decisions/0005-no-turn-workers.md).
  const runtime = createRuntime({ config, logger, content, storage, stores, metrics, userMessagesPerMinute: config.USER_MESSAGES_PER_MINUTE });
  const stopRetention = scheduleRetention({ stores, clock: () => new Date(), periods: { draftDays: config.DRAFT_RETENTION_DAYS, unansweredDays: config.UNANSWERED_RETENTION_DAYS }, logger });

  // The channels' routes, served by node:http ahead of Express: they carry nearly every request.
  const routes: HttpRoute[] = [];
  const routers: Router[] = [];
  if (config.webchatEnabled) routes.push(webchatRoute(webchatTurns(runtime), { requestsPerMinute: config.WEBCHAT_REQUESTS_PER_MINUTE, trustedProxies: config.TRUST_PROXY, owners: stores.conversations }));
  // Zalo: replies are sent from the outbox, so the OA's rate limit is kept in one place; events
  // left unfinished by the last run go first.
  const zaloSender = config.zalo.enabled ? createZaloSender({ config, stores, storage, logger, metrics }) : undefined;
  let zaloInbox: ZaloInbox | undefined;
  if (zaloSender) {
    metrics.countZaloOutbox(() => stores.zalo.pendingCount());
    const { handleEvent } = createZaloTurns({ config, runtime, stores, storage, logger });
    zaloInbox = new ZaloInbox({ store: stores.zalo, handleEvent, onProcessed: () => zaloSender.outbox.poke(), logger });
    await zaloSender.start();
    // SQLite serves one instance: whatever is unfinished was this one's before it stopped.
    await zaloInbox.resume(stores.engine === 'sqlite');
    zaloInbox.start();
    routes.push(...zaloWebhook({ config, inbox: zaloInbox, logger, metrics }));
  }
  if (config.teams.enabled) routers.push((await import('../adapters/teams/teams-channel.ts')).createTeamsChannel({ config, runtime, stores, logger }).router);
  routers.push(
    zaloSiteVerificationRouter(config.ZALO_SITE_VERIFICATION, config.webchatEnabled),
    webPagesRouter({ publicDir: PUBLIC_DIR, webchatEnabled: config.webchatEnabled, zaloSiteVerification: config.ZALO_SITE_VERIFICATION }),
    registrationsApi({ stores, logger, auth: tabAuthOptions(config) }),
  );
  const channels = { webchat: config.webchatEnabled, zalo: config.zalo.enabled, teams: config.teams.enabled ? (config.teams.localMode ? 'local mode (no credentials)' : 'authenticated') : false };
  // The process's figures are for the operator: behind a token, and open only where officers' data is.
  const exposeMetrics = config.METRICS_TOKEN !== undefined || config.access.officersOpen;
  const { server, inFlight: requestsInFlight } = createHttpServer({
    logger,
    keepAliveSeconds: config.HTTP_KEEP_ALIVE_SECONDS,
    metrics: exposeMetrics ? metrics : undefined,
    metricsToken: config.METRICS_TOKEN,
    routes,
    routers,
    readiness: [
      { name: 'knowledge', check: () => content.entries.length > 0 },
      { name: 'store', check: () => stores.ping() },
      { name: 'channels', check: () => config.webchatEnabled || config.zalo.enabled || config.teams.enabled },
    ],
  });
  // Requests being answered, and turns still running after their answer (Zalo's come later).
  const inFlight = () => requestsInFlight() + runtime.inFlight();
  server.listen(config.PORT, config.HOST, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
    logger.info({ port, entries: content.entries.length, store: stores.engine, channels, url: `http://${host}:${port}/` }, `Trợ lý Khuyến công is listening: open http://${host}:${port}/`);
    logger.info({ mode: config.access.mode, officersOpen: config.access.officersOpen }, `${config.access.mode} mode: ${config.access.why}`);
    if (!channels.webchat) logger.info('web chat is disabled (NODE_ENV=production without WEBCHAT_ENABLED=true)');
    if (!config.zalo.enabled) logger.info({ missing: config.zalo.missing }, 'Zalo channel is disabled: set the missing variables to enable it');
    if (!config.teams.enabled) logger.info({ missing: config.teams.missing }, 'Teams channel is disabled: set the missing variables to enable it');
    if (!exposeMetrics) logger.info('/metrics is off without METRICS_TOKEN here: set it, and give it to Prometheus as a bearer token');
  });
  // Graceful shutdown: stop accepting, let the requests and turns in flight finish, stop sending
  // and close the stores, all within SHUTDOWN_GRACE_MS; whatever has not finished by then (a store
  // that never answers) is abandoned and the process exits.
  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal, inFlight: inFlight() }, 'shutting down');
    const forced = setTimeout(() => {
      logger.error({ inFlight: inFlight(), graceMs: SHUTDOWN_GRACE_MS }, 'shutdown did not finish in time; exiting anyway');
      exit(1);
    }, SHUTDOWN_GRACE_MS);
    stopRetention();
    zaloInbox?.stop();
    server.close();
    server.closeIdleConnections();
    const deadline = Date.now() + SHUTDOWN_GRACE_MS - 1_000;
    const waitForTurns = () => {
      if (inFlight() > 0 && Date.now() < deadline) return void setTimeout(waitForTurns, 50);
      Promise.resolve(zaloSender?.stop())
        .then(() => stores.close())
        .then(
          () => exit(0),
          (err: unknown) => {
            logger.error({ err: err instanceof Error ? err.message : String(err) }, 'cannot close cleanly');
            exit(1);
          },
        )
        .finally(() => clearTimeout(forced));
    };
    waitForTurns();
  };
  // After editing the content: `kill -HUP <pid>` reloads it without a restart, if it is valid.
  process.on('SIGHUP', () => {
    try {
      const next = loadContentOrThrow(contentDir);
      runtime.reloadKnowledge(next);
      content = next;
      logger.info({ entries: next.entries.length }, 'knowledge base reloaded');
    } catch (error) {
      logger.error({ err: error instanceof Error ? error.message : String(error) }, 'knowledge base not reloaded; the previous one stays');
    }
  });
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

await main();
