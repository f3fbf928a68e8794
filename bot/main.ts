import type { Server } from 'node:http';
import type { Storage } from 'botbuilder';
import type { Router } from 'express';
import type { JWTVerifyGetKey } from 'jose';
import type { HttpRoute } from './http-route.ts';
import { loadContentOrThrow } from '../adapters/content/content-files.ts';
import { openStores, type OpenedStores } from '../adapters/storage/open-stores.ts';
import { WEBCHAT_CHANNEL, webchatRoute } from '../adapters/webchat/webchat-route.ts';
import { webchatTurns } from '../adapters/webchat/webchat-turns.ts';
import { contentApi } from '../adapters/teams/content-api.ts';
import { officerAccessFromConfig } from '../adapters/teams/officers-file.ts';
import { registrationsApi, tabAuthOptions, type TabAuthOptions } from '../adapters/teams/registrations-api.ts';
import { createTeamsChannel } from '../adapters/teams/teams-channel.ts';
import { PUBLIC_DIR } from '../adapters/web/build-assets.ts';
import { webPagesRouter } from '../adapters/web/pages.ts';
import { createZaloChannel } from '../adapters/zalo/index.ts';
import { zaloTextMessages } from '../adapters/zalo/zalo-mapping.ts';
import { zaloSiteVerificationRouter } from '../adapters/zalo/zalo-route.ts';
import { BUNDLED_CONTENT_DIR, type KnowledgeContent } from '../knowledge/index.ts';
import type { Config } from './config.ts';
import { scheduleDeadlineNews, type DeadlineNews } from './deadline-news.ts';
import { KnowledgeVersions } from './knowledge-versions.ts';
import type { Logger } from './logger.ts';
import { scheduleRetention } from './retention.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import type { OfficerAccess } from './officers.ts';
import { ownerMessaging } from './owner-messages.ts';
import { registrationWork } from './registration-work.ts';
import { createRuntime, type BotRuntime } from './runtime.ts';
import { createHttpServer } from './server.ts';
import type { Stores } from './stores.ts';

/**
 * The composition root: the one place that wires adapters into the bot. `buildBot` assembles the
 * bot without channels (the command-line tools); `buildApp` the whole application behind its
 * HTTP server (`npm start` through ./start.ts, and the tests). Both take a configuration and a
 * few choices that a tool or a test makes differently from the server.
 */

/** What the bot is built with besides the configuration. */
export interface BotOptions {
  logger: Logger;
  /** State and records in the configured store (default); false keeps them in memory (a tool that keeps nothing). */
  persist?: boolean;
  /** Stores already open (a test's shared database); opened from the configuration otherwise. */
  opened?: OpenedStores;
  /** The knowledge content; read from KNOWLEDGE_DIR or the bundled content otherwise. */
  content?: KnowledgeContent;
  /** Tests: a fixed clock. */
  clock?: () => Date;
  metrics?: Metrics;
  /** The per-user message limit; USER_MESSAGES_PER_MINUTE by default (the command-line tools have none). */
  userMessagesPerMinute?: number;
  /** Tests: a shorter turn deadline. */
  turnDeadlineMs?: number;
}

/** The bot without channels. */
export interface Bot {
  runtime: BotRuntime;
  /** The open stores, unless the bot keeps everything in memory. */
  opened?: OpenedStores;
  /** The published knowledge versions in the store (absent when the bot keeps everything in memory). */
  versions?: KnowledgeVersions;
  /** The content being answered from: the live published version, or the content files until one is published. */
  content: () => KnowledgeContent;
  /**
   * Reads the content files again (SIGHUP): they are answered from while no version was published,
   * and are the seed (version 0) afterwards; the store is looked at again too. Resolves whether the
   * files are now live; throws, keeping the old, when they are invalid.
   */
  reloadContent: () => Promise<boolean>;
  close: () => Promise<void>;
}

/** Builds the knowledge base, the stores and the runtime from the configuration. */
export async function buildBot(config: Config, options: BotOptions): Promise<Bot> {
  const contentDir = config.KNOWLEDGE_DIR ?? BUNDLED_CONTENT_DIR;
  const seed = options.content ?? loadContentOrThrow(contentDir);
  const opened =
    options.opened ??
    (options.persist === false
      ? undefined
      : await openStores({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR }));
  // One thread runs every turn; more cores mean more instances on PostgreSQL behind the proxy
  // (docs/decisions/0005-no-turn-workers.md).
  const runtime = createRuntime({
    config,
    logger: options.logger,
    content: seed,
    storage: opened?.storage,
    stores: opened?.stores,
    clock: options.clock,
    metrics: options.metrics,
    userMessagesPerMinute: options.userMessagesPerMinute ?? config.USER_MESSAGES_PER_MINUTE,
    turnDeadlineMs: options.turnDeadlineMs,
    ownedConversationChannels: [WEBCHAT_CHANNEL],
    zaloPaidConsultation: config.ZALO_PAID_CONSULTATION,
  });
  let files = seed;
  // The newest published version is live on every instance; the content files until one is.
  const versions = opened
    ? new KnowledgeVersions({
        store: opened.stores.content,
        apply: (next) => runtime.reloadKnowledge(next),
        seed,
        logger: options.logger,
      })
    : undefined;
  await versions
    ?.refresh()
    .catch((error: unknown) =>
      options.logger.error(
        { err: error },
        'cannot read the live knowledge version; answering from the bundled content',
      ),
    );
  return {
    runtime,
    opened,
    versions,
    content: () => versions?.liveContent ?? files,
    reloadContent: async () => {
      const next = loadContentOrThrow(contentDir);
      let live = true;
      if (versions) {
        live = versions.replaceSeed(next);
        await versions.refresh();
      } else runtime.reloadKnowledge(next);
      files = next;
      return live;
    },
    close: async () => opened?.stores.close(),
  };
}

/** What the application is built with besides the configuration. */
export interface AppOptions extends Omit<BotOptions, 'persist' | 'metrics'> {
  /** Tests: the tab's sign-in (audiences, tenants, keys) and who officers are, instead of the configuration's. */
  tab?: { auth?: TabAuthOptions; jwks?: JWTVerifyGetKey; access?: OfficerAccess };
  /** Tests: how long a call to the Bot Connector may take. */
  teamsConnectorTimeoutMs?: number;
  /** Tests: how often the Zalo tokens are checked. */
  zaloKeepAliveEveryMs?: number;
  /** Tests: false sends no daily digest by itself (a test sends it through `teams`). */
  teamsDigest?: boolean;
}

/** The application: its HTTP server (not yet listening), the bot behind it, and how to stop it. */
export interface App extends Omit<Bot, 'opened' | 'versions'> {
  versions: KnowledgeVersions;
  server: Server;
  stores: Stores;
  storage: Storage;
  metrics: Metrics;
  /** The Teams channel, when it is on. */
  teams?: ReturnType<typeof createTeamsChannel>;
  /** Whether /metrics is served (with METRICS_TOKEN, or where officers' data is open). */
  exposeMetrics: boolean;
  /** Requests being answered, and turns still running after their answer (Zalo's come later). */
  inFlight: () => number;
  /** Owners waiting for new deadlines (a round every 2 minutes; tests run one by hand). */
  deadlineNews: DeadlineNews;
  /** Stops the timers that start work (retention, the version watcher, the deadline news), before a shutdown waits for what runs. */
  stopJobs: () => void;
  /** Stops the channels' background work and closes the stores (the server is closed by its owner). */
  close: () => Promise<void>;
}

/** Builds the whole application from the configuration: the bot, its channels and its HTTP server. */
export async function buildApp(config: Config, options: AppOptions): Promise<App> {
  const { logger } = options;
  const metrics = createMetrics();
  const bot = await buildBot(config, { ...options, metrics });
  const { runtime } = bot;
  const { stores, storage } = bot.opened!;
  metrics.countRegistrations(() => stores.registrations.countByStatus());
  metrics.probeStore(() => stores.ping());
  const versions = bot.versions!;
  const stopWatching = versions.watch(config.CONTENT_CHECK_SECONDS * 1000);
  // Who officers are (bot/officers.ts): an invalid officers file stops the start here, saying why.
  const officers = options.tab?.access ?? officerAccessFromConfig(config, stores, logger);
  const clock = options.clock ?? (() => new Date());
  const stopRetention = scheduleRetention({
    stores,
    clock,
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
  // Zalo's replies are sent from the outbox, so the OA's rate limit is kept in one place; events
  // left unfinished by the last run go first.
  const zalo = config.zalo.enabled
    ? await createZaloChannel({
        config,
        runtime,
        stores,
        storage,
        logger,
        metrics,
        keepAliveEveryMs: options.zaloKeepAliveEveryMs,
      })
    : undefined;
  if (zalo) {
    routes.push(...zalo.routes);
    metrics.countZaloOutbox(() => stores.zalo.pendingCount());
  }
  // Officers' messages to owners, from Teams ("nhắn KC-…") and from the tab.
  const zaloMessages = config.zalo.enabled ? zaloTextMessages : undefined;
  const messaging = ownerMessaging({
    stores,
    work: registrationWork(stores, clock),
    clock,
    paidConsultation: config.ZALO_PAID_CONSULTATION,
    zaloMessages,
  });
  // Owners waiting for the next cycle's deadlines hear of them on Zalo while the OA may write.
  const news = runtime.deadlineNews!;
  const stopNews = scheduleDeadlineNews(news, {
    zaloMessages,
    requestsPerMinute: config.ZALO_REQUESTS_PER_MINUTE,
    logger,
  });
  const teams = config.teams.enabled
    ? createTeamsChannel({
        config,
        runtime,
        stores,
        logger,
        access: officers,
        messaging,
        scheduleDigest: options.teamsDigest ?? true,
        connectorTimeoutMs: options.teamsConnectorTimeoutMs,
      })
    : undefined;
  if (teams) routers.push(teams.router);
  const tabAuth = options.tab?.auth ?? tabAuthOptions(config);
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
      auth: tabAuth,
      jwks: options.tab?.jwks,
      access: officers,
      clock: options.clock,
      paidConsultation: config.ZALO_PAID_CONSULTATION,
      zaloMessages,
    }),
    contentApi({
      stores,
      versions,
      logger,
      auth: tabAuth,
      jwks: options.tab?.jwks,
      access: officers,
      clock: options.clock,
      timeZone: config.TZ,
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
      { name: 'knowledge', check: () => bot.content().entries.length > 0 },
      { name: 'store', check: () => stores.ping() },
      { name: 'channels', check: () => config.webchatEnabled || config.zalo.enabled || config.teams.enabled },
    ],
  });
  return {
    ...bot,
    versions,
    teams,
    server,
    stores,
    storage,
    metrics,
    exposeMetrics,
    inFlight: () => requestsInFlight() + runtime.inFlight(),
    deadlineNews: news,
    stopJobs: () => {
      stopRetention();
      stopWatching();
      stopNews();
    },
    close: async () => {
      stopRetention();
      stopWatching();
      stopNews();
      await zalo?.stop();
      await bot.close();
    },
  };
}
