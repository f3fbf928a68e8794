import type { Server } from 'node:http';
import type { Router } from 'express';
import type { HttpRoute } from './http-route.ts';
import { loadContentOrThrow } from '../adapters/content/content-files.ts';
import { openStores, type OpenedStores } from '../adapters/storage/open-stores.ts';
import { webchatRoute } from '../adapters/webchat/webchat-route.ts';
import { webchatTurns } from '../adapters/webchat/webchat-turns.ts';
import { registrationsApi, tabAuthOptions } from '../adapters/teams/registrations-api.ts';
import { createTeamsChannel } from '../adapters/teams/teams-channel.ts';
import { officerAccessFromConfig } from '../adapters/teams/officers-file.ts';
import { PUBLIC_DIR } from '../adapters/web/build-assets.ts';
import { webPagesRouter } from '../adapters/web/pages.ts';
import { createZaloTurns } from '../adapters/zalo/index.ts';
import { ZaloInbox } from '../adapters/zalo/zalo-inbox.ts';
import { zaloSiteVerificationRouter, zaloWebhook } from '../adapters/zalo/zalo-route.ts';
import { createZaloSender } from '../adapters/zalo/zalo-sender.ts';
import { zaloTextBodies } from '../adapters/zalo/zalo-mapping.ts';
import { BUNDLED_CONTENT_DIR } from '../knowledge/index.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger, stdoutDestination, type Logger, type StdoutDestination } from './logger.ts';
import { scheduleRetention } from './retention.ts';
import { ownerMessaging } from './owner-messages.ts';
import { registrationWork } from './registration-work.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { createRuntime, type BotRuntime } from './runtime.ts';
import { createHttpServer } from './server.ts';

/** SIGTERM or SIGINT → the process has exited within this long, whatever is still running. */
const SHUTDOWN_GRACE_MS = 10_000;

/** The validated configuration, or the process ends with every problem listed. */
function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

/**
 * The process's one way out: what is left of the log is written first (the flush always returns).
 * A failure outside any request or turn ends the process as Node would (the service manager
 * starts it again), but first says so in the log, where the operator looks.
 */
function exitPaths(logger: Logger, destination: StdoutDestination): (code: number) => never {
  const exit = (code: number): never => {
    destination.flushSync();
    process.exit(code);
  };
  const crash = (kind: string) => (error: unknown) => {
    logger.fatal({ err: error instanceof Error ? error : new Error(String(error)) }, `crashed: ${kind}`);
    exit(1);
  };
  process.on('uncaughtException', crash('uncaught exception'));
  process.on('unhandledRejection', crash('unhandled promise rejection'));
  return exit;
}

/**
 * The Zalo channel: its webhook routes and what shutdown must stop. Replies are sent from the
 * outbox, so the OA's rate limit is kept in one place; events left unfinished by the last run go first.
 */
async function startZalo(
  config: Config,
  runtime: BotRuntime,
  opened: OpenedStores,
  logger: Logger,
  metrics: Metrics,
): Promise<{ routes: HttpRoute[]; stop(): Promise<void> }> {
  const { stores, storage } = opened;
  const sender = createZaloSender({ config, stores, storage, logger, metrics });
  metrics.countZaloOutbox(() => stores.zalo.pendingCount());
  const { handleEvent } = createZaloTurns({ config, runtime, stores, storage, logger });
  const inbox = new ZaloInbox({ store: stores.zalo, handleEvent, onProcessed: () => sender.outbox.poke(), logger });
  await sender.start();
  // SQLite serves one instance: whatever is unfinished was this one's before it stopped.
  await inbox.resume(stores.engine === 'sqlite');
  inbox.start();
  return {
    routes: zaloWebhook({ config, inbox, logger, metrics }),
    stop: async () => {
      inbox.stop();
      await sender.stop();
    },
  };
}

/** Says where the server listens, in which mode and why, and which channels are off and why. */
function logStart(
  logger: Logger,
  config: Config,
  facts: { port: number; entries: number; store: string; exposeMetrics: boolean },
): void {
  const host =
    config.HOST === '0.0.0.0' || config.HOST === '::'
      ? 'localhost'
      : config.HOST.includes(':')
        ? `[${config.HOST}]`
        : config.HOST;
  const channels = {
    webchat: config.webchatEnabled,
    zalo: config.zalo.enabled,
    teams: config.teams.enabled ? (config.teams.localMode ? 'local mode (no credentials)' : 'authenticated') : false,
  };
  const url = `http://${host}:${facts.port}/`;
  logger.info(
    { port: facts.port, entries: facts.entries, store: facts.store, channels, url },
    `Trợ lý Khuyến công is listening: open ${url}`,
  );
  logger.info(
    { mode: config.access.mode, officersOpen: config.access.officersOpen },
    `${config.access.mode} mode: ${config.access.why}`,
  );
  if (!channels.webchat) logger.info('web chat is disabled (NODE_ENV=production without WEBCHAT_ENABLED=true)');
  if (!config.zalo.enabled)
    logger.info({ missing: config.zalo.missing }, 'Zalo channel is disabled: set the missing variables to enable it');
  if (!config.teams.enabled)
    logger.info({ missing: config.teams.missing }, 'Teams channel is disabled: set the missing variables to enable it');
  if (!facts.exposeMetrics)
    logger.info('/metrics is off without METRICS_TOKEN here: set it, and give it to Prometheus as a bearer token');
}

/**
 * Graceful shutdown on SIGTERM and SIGINT: stop accepting, let the requests and turns in flight
 * finish, then `close`, all within SHUTDOWN_GRACE_MS; whatever has not finished by then (a store
 * that never answers) is abandoned and the process exits.
 */
function onShutdownSignals(options: {
  logger: Logger;
  server: Server;
  inFlight: () => number;
  beforeWait: () => void;
  close: () => Promise<void>;
  exit: (code: number) => never;
}): void {
  const { logger, server, inFlight, exit } = options;
  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal, inFlight: inFlight() }, 'shutting down');
    const forced = setTimeout(() => {
      logger.error(
        { inFlight: inFlight(), graceMs: SHUTDOWN_GRACE_MS },
        'shutdown did not finish in time; exiting anyway',
      );
      exit(1);
    }, SHUTDOWN_GRACE_MS);
    options.beforeWait();
    server.close();
    server.closeIdleConnections();
    const deadline = Date.now() + SHUTDOWN_GRACE_MS - 1_000;
    const waitForTurns = () => {
      if (inFlight() > 0 && Date.now() < deadline) return void setTimeout(waitForTurns, 50);
      options
        .close()
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
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** The composition root: reads the configuration, builds the adapters and starts the server. */
async function main(): Promise<void> {
  const config = configOrExit();
  const logDestination = stdoutDestination();
  const logger = createLogger(config.LOG_LEVEL, logDestination);
  const exit = exitPaths(logger, logDestination);
  const contentDir = config.KNOWLEDGE_DIR ?? BUNDLED_CONTENT_DIR;
  let content = loadContentOrThrow(contentDir);
  const opened = await openStores({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  const { storage, stores } = opened;
  // A store that does not take writes (read-only files or disk) is served unready; say why at once.
  stores
    .ping()
    .catch((error: unknown) =>
      logger.error({ err: error }, 'the store does not accept writes, so the server is not ready'),
    );
  const metrics = createMetrics();
  metrics.countRegistrations(() => stores.registrations.countByStatus());
  metrics.probeStore(() => stores.ping());
  // One thread runs every turn; more cores mean more instances on PostgreSQL behind the proxy
  // (docs/decisions/0005-no-turn-workers.md).
  const runtime = createRuntime({
    config,
    logger,
    content,
    storage,
    stores,
    metrics,
    userMessagesPerMinute: config.USER_MESSAGES_PER_MINUTE,
  });
  // Who officers are (bot/officers.ts): an invalid officers file stops the start here, saying why.
  const officers = officerAccessFromConfig(config, stores, logger);
  const stopRetention = scheduleRetention({
    stores,
    clock: () => new Date(),
    periods: { draftDays: config.DRAFT_RETENTION_DAYS, unansweredDays: config.UNANSWERED_RETENTION_DAYS },
    logger,
  });

  // The channels' routes, served by node:http ahead of Express: they carry nearly every request.
  const routes: HttpRoute[] = [];
  const routers: Router[] = [];
  if (config.webchatEnabled)
    routes.push(
      webchatRoute(webchatTurns(runtime, stores.work), {
        requestsPerMinute: config.WEBCHAT_REQUESTS_PER_MINUTE,
        trustedProxies: config.TRUST_PROXY,
        owners: stores.conversations,
      }),
    );
  const zalo = config.zalo.enabled ? await startZalo(config, runtime, opened, logger, metrics) : undefined;
  routes.push(...(zalo?.routes ?? []));
  // Officers' messages to owners, from Teams ("nhắn KC-…"); the tab's API builds its own the same way.
  const messaging = ownerMessaging({
    stores,
    work: registrationWork(stores, () => new Date()),
    clock: () => new Date(),
    paidConsultation: config.ZALO_PAID_CONSULTATION,
    zaloBodies: config.zalo.enabled ? zaloTextBodies : undefined,
  });
  if (config.teams.enabled)
    routers.push(
      createTeamsChannel({ config, runtime, stores, logger, access: officers, messaging, scheduleDigest: true }).router,
    );
  routers.push(
    zaloSiteVerificationRouter(config.ZALO_SITE_VERIFICATION, config.webchatEnabled),
    webPagesRouter({
      publicDir: PUBLIC_DIR,
      webchatEnabled: config.webchatEnabled,
      zaloSiteVerification: config.ZALO_SITE_VERIFICATION,
    }),
    registrationsApi({
      stores,
      logger,
      auth: tabAuthOptions(config),
      access: officers,
      paidConsultation: config.ZALO_PAID_CONSULTATION,
      zaloBodies: config.zalo.enabled ? zaloTextBodies : undefined,
    }),
  );
  // The process's figures are for the operator: behind a token, and open only where officers' data is.
  const exposeMetrics = config.METRICS_TOKEN !== undefined || config.access.officersOpen;
  const { server, inFlight: requestsInFlight } = createHttpServer({
    logger,
    keepAliveSeconds: config.HTTP_KEEP_ALIVE_SECONDS,
    metrics: exposeMetrics ? metrics : undefined,
    metricsToken: config.METRICS_TOKEN,
    loopbackHostsOnly: config.access.officersOpen,
    routes,
    routers,
    readiness: [
      { name: 'knowledge', check: () => content.entries.length > 0 },
      { name: 'store', check: () => stores.ping() },
      { name: 'channels', check: () => config.webchatEnabled || config.zalo.enabled || config.teams.enabled },
    ],
  });
  server.listen(config.PORT, config.HOST, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    logStart(logger, config, { port, entries: content.entries.length, store: stores.engine, exposeMetrics });
  });
  onShutdownSignals({
    logger,
    server,
    exit,
    // Requests being answered, and turns still running after their answer (Zalo's come later).
    inFlight: () => requestsInFlight() + runtime.inFlight(),
    beforeWait: () => stopRetention(),
    close: async () => {
      await zalo?.stop();
      await stores.close();
    },
  });
  // After editing the content: `kill -HUP <pid>` reloads it without a restart, if it is valid.
  process.on('SIGHUP', () => {
    try {
      const next = loadContentOrThrow(contentDir);
      runtime.reloadKnowledge(next);
      content = next;
      logger.info({ entries: next.entries.length }, 'knowledge base reloaded');
    } catch (error) {
      logger.error(
        { err: error instanceof Error ? error.message : String(error) },
        'knowledge base not reloaded; the previous one stays',
      );
    }
  });
}

await main();
