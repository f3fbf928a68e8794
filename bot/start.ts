import type { Server } from 'node:http';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger, stdoutDestination, type Logger, type StdoutDestination } from './logger.ts';
import { buildApp } from './main.ts';

/**
 * The server process (`npm start`): reads the configuration, builds the application through the
 * composition root (./main.ts), listens, and owns what belongs to the process alone: its exit
 * paths, the shutdown signals and SIGHUP.
 */

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

/** Starts the server and stays up until a shutdown signal. */
async function main(): Promise<void> {
  const config = configOrExit();
  const logDestination = stdoutDestination();
  const logger = createLogger(config.LOG_LEVEL, logDestination);
  const exit = exitPaths(logger, logDestination);
  const app = await buildApp(config, { logger });
  // A store that does not take writes (read-only files or disk) is served unready; say why at once.
  app.stores
    .ping()
    .catch((error: unknown) =>
      logger.error({ err: error }, 'the store does not accept writes, so the server is not ready'),
    );
  const { server } = app;
  server.listen(config.PORT, config.HOST, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    logStart(logger, config, {
      port,
      entries: app.content().entries.length,
      store: app.stores.engine,
      exposeMetrics: app.exposeMetrics,
    });
  });
  onShutdownSignals({
    logger,
    server,
    exit,
    inFlight: () => app.inFlight(),
    beforeWait: () => app.stopJobs(),
    close: () => app.close(),
  });
  // After editing the content files: `kill -HUP <pid>` reloads them without a restart, if they are
  // valid; they are live while no version was published, the seed (version 0) afterwards.
  process.on('SIGHUP', () => {
    app.reloadContent().then(
      (live) =>
        live
          ? logger.info({ entries: app.content().entries.length }, 'knowledge base reloaded')
          : logger.info(
              { version: app.versions.live },
              'content files read, but a published version is live: import them as a draft to publish them',
            ),
      (error: unknown) =>
        logger.error(
          { err: error instanceof Error ? error.message : String(error) },
          'knowledge base not reloaded; the previous one stays',
        ),
    );
  });
}

await main();
