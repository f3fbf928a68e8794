import { loadContentOrThrow } from '../adapters/content/content-files.ts';
import { openStores } from '../adapters/storage/open-stores.ts';
import { webchatRouter } from '../adapters/webchat/webchat-route.ts';
import { registrationsApi } from '../adapters/teams/registrations-api.ts';
import { createTeamsChannel } from '../adapters/teams/teams-channel.ts';
import { PUBLIC_DIR } from '../adapters/web/build-assets.ts';
import { webPagesRouter } from '../adapters/web/pages.ts';
import { createZaloChannel, zaloSiteVerificationRouter } from '../adapters/zalo/index.ts';
import { BUNDLED_CONTENT_DIR } from '../knowledge/index.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { scheduleRetention } from './retention.ts';
import { createMetrics } from './metrics.ts';
import { createRuntime } from './runtime.ts';
import { createHttpApp } from './server.ts';

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
  const logger = createLogger(config.LOG_LEVEL);
  const content = loadContentOrThrow(config.KNOWLEDGE_DIR ?? BUNDLED_CONTENT_DIR);
  const { storage, stores } = await openStores({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  const metrics = createMetrics();
  const runtime = createRuntime({ config, logger, content, storage, stores, metrics, userMessagesPerMinute: config.USER_MESSAGES_PER_MINUTE });
  const stopRetention = scheduleRetention({ stores, clock: () => new Date(), draftDays: config.DRAFT_RETENTION_DAYS, logger });

  const routers = [
    zaloSiteVerificationRouter(config.ZALO_SITE_VERIFICATION, config.webchatEnabled),
    webPagesRouter({ publicDir: PUBLIC_DIR, webchatEnabled: config.webchatEnabled, zaloSiteVerification: config.ZALO_SITE_VERIFICATION }),
    registrationsApi({ stores, logger, auth: { appId: config.MicrosoftAppId, tenants: config.TEAMS_ALLOWED_TENANTS.length > 0 ? config.TEAMS_ALLOWED_TENANTS : config.MicrosoftAppTenantId ? [config.MicrosoftAppTenantId] : [], jwksUrl: config.TAB_JWKS_URL, allowStandalone: config.NODE_ENV !== 'production' } }),
  ];
  if (config.webchatEnabled) routers.push(webchatRouter(runtime, { requestsPerMinute: config.WEBCHAT_REQUESTS_PER_MINUTE }));
  if (config.zalo.enabled) routers.push(createZaloChannel({ config, runtime, stores, storage, logger, metrics }).router);
  if (config.teams.enabled) routers.push(createTeamsChannel({ config, runtime, stores, logger }).router);
  const channels = { webchat: config.webchatEnabled, zalo: config.zalo.enabled, teams: config.teams.enabled ? (config.teams.localMode ? 'local mode (no credentials)' : 'authenticated') : false };
  const app = createHttpApp({
    logger,
    metrics,
    routers,
    readiness: [
      { name: 'knowledge', check: () => runtime.knowledge.entries.length > 0 },
      { name: 'store', check: () => stores.ping() },
      { name: 'channels', check: () => config.webchatEnabled || config.zalo.enabled || config.teams.enabled },
    ],
  });
  const server = app.listen(config.PORT, config.HOST, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    logger.info({ port, entries: runtime.knowledge.entries.length, store: stores.engine, channels }, 'Trợ lý Khuyến công is listening');
    if (!channels.webchat) logger.info('web chat is disabled (NODE_ENV=production without WEBCHAT_ENABLED=true)');
    if (!config.zalo.enabled) logger.info({ missing: config.zalo.missing }, 'Zalo channel is disabled: set the missing variables to enable it');
    if (!config.teams.enabled) logger.info({ missing: config.teams.missing }, 'Teams channel is disabled: set the missing variables to enable it');
  });
  // Graceful shutdown: stop accepting, let the turns in flight finish (at most 10 s), close the stores.
  const shutdown = (signal: string) => {
    logger.info({ signal, inFlight: runtime.inFlight() }, 'shutting down');
    stopRetention();
    server.close();
    server.closeIdleConnections();
    const deadline = Date.now() + 10_000;
    const waitForTurns = () => {
      if (runtime.inFlight() > 0 && Date.now() < deadline) return void setTimeout(waitForTurns, 50);
      stores.close().finally(() => process.exit(0));
    };
    waitForTurns();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

await main();
