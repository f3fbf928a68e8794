import type { AddressInfo } from 'node:net';
import type { Router } from 'express';
import type { Storage } from 'botbuilder';
import type { JWTVerifyGetKey } from 'jose';
import { Writable } from 'node:stream';
import { webchatRoute } from '../../adapters/webchat/webchat-route.ts';
import { webchatTurns } from '../../adapters/webchat/webchat-turns.ts';
import { loadContentOrThrow } from '../../adapters/content/content-files.ts';
import { openStores } from '../../adapters/storage/open-stores.ts';
import { registrationsApi, type TabAuthOptions } from '../../adapters/teams/registrations-api.ts';
import { createTeamsChannel } from '../../adapters/teams/teams-channel.ts';
import { officerAccessFromConfig } from '../../adapters/teams/officers-file.ts';
import { PUBLIC_DIR } from '../../adapters/web/build-assets.ts';
import { webPagesRouter } from '../../adapters/web/pages.ts';
import { createZaloChannel } from '../../adapters/zalo/index.ts';
import { zaloTextBodies } from '../../adapters/zalo/zalo-mapping.ts';
import { loadConfig } from '../../bot/config.ts';
import { createLogger } from '../../bot/logger.ts';
import { createMetrics } from '../../bot/metrics.ts';
import type { OfficerAccess } from '../../bot/officers.ts';
import { ownerMessaging } from '../../bot/owner-messages.ts';
import { registrationWork } from '../../bot/registration-work.ts';
import { createRuntime, type BotRuntime } from '../../bot/runtime.ts';
import { createHttpServer } from '../../bot/server.ts';
import type { Stores } from '../../bot/stores.ts';
import { BUNDLED_CONTENT_DIR } from '../../knowledge/index.ts';

/** A real HTTP server on 127.0.0.1 with the web chat channel, and the log lines it wrote. */
export interface TestServer {
  url: string;
  runtime: BotRuntime;
  stores?: Stores;
  /** The bot state storage (with `dataDir` or `databaseUrl`). */
  storage?: Storage;
  logs: string[];
  /** The Teams channel, when it is on (its daily digest is sent by hand in tests). */
  teams?: ReturnType<typeof createTeamsChannel>;
  /** The first log line (parsed) that `match` accepts, waiting for it up to 5 s (a turn logs after its replies are sent). */
  waitForLog(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown> | undefined>;
  close(): Promise<void>;
}

/**
 * Starts the bot's HTTP app on an ephemeral loopback port with a fixed clock; with `dataDir`,
 * state and records live in SQLite there (or in PostgreSQL with `databaseUrl`).
 */
export async function startTestServer(
  options: {
    now?: Date;
    dataDir?: string;
    databaseUrl?: string;
    env?: Record<string, string>;
    web?: { auth?: TabAuthOptions; jwks?: JWTVerifyGetKey; access?: OfficerAccess };
    userMessagesPerMinute?: number;
    webchatPerMinute?: number;
    trustedProxies?: string[];
    teamsConnectorTimeoutMs?: number;
    zaloKeepAliveEveryMs?: number;
    turnDeadlineMs?: number;
  } = {},
): Promise<TestServer> {
  const now = options.now ?? new Date('2026-11-26T09:00:00+07:00');
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const logger = createLogger('info', sink);
  const metrics = createMetrics();
  const opened =
    options.dataDir || options.databaseUrl
      ? await openStores({ dataDir: options.dataDir ?? '', databaseUrl: options.databaseUrl })
      : undefined;
  const runtime = createRuntime({
    config: { TZ: 'Asia/Ho_Chi_Minh' },
    logger,
    content: loadContentOrThrow(BUNDLED_CONTENT_DIR),
    clock: () => now,
    storage: opened?.storage,
    stores: opened?.stores,
    metrics,
    // Tests send many messages quickly from one user; the limit has its own test.
    userMessagesPerMinute: options.userMessagesPerMinute ?? 0,
    turnDeadlineMs: options.turnDeadlineMs,
  });
  if (opened) {
    metrics.countRegistrations(() => opened.stores.registrations.countByStatus());
    metrics.probeStore(() => opened.stores.ping());
  }
  const routes = [
    webchatRoute(webchatTurns(runtime, opened?.stores.work), {
      requestsPerMinute: options.webchatPerMinute,
      trustedProxies: options.trustedProxies,
      owners: opened?.stores.conversations,
    }),
  ];
  const routers: Router[] = [];
  const stopTimers: (() => void | Promise<void>)[] = [];
  let teams: ReturnType<typeof createTeamsChannel> | undefined;
  if (options.env) {
    // A channel configured as in production, from environment-style variables.
    const config = loadConfig(options.env);
    if (config.zalo.enabled && opened) {
      const zalo = await createZaloChannel({
        config,
        runtime,
        stores: opened.stores,
        storage: opened.storage,
        logger,
        metrics,
        keepAliveEveryMs: options.zaloKeepAliveEveryMs,
      });
      routes.push(...zalo.routes);
      metrics.countZaloOutbox(() => opened.stores.zalo.pendingCount());
      stopTimers.push(zalo.stop);
    }
    if (options.env.TEAMS === 'on' && config.teams.enabled && opened) {
      teams = createTeamsChannel({
        config,
        runtime,
        stores: opened.stores,
        logger,
        access: officerAccessFromConfig(config, opened.stores, logger),
        messaging: ownerMessaging({
          stores: opened.stores,
          work: registrationWork(opened.stores, () => now),
          clock: () => now,
          paidConsultation: config.ZALO_PAID_CONSULTATION,
          zaloBodies: config.zalo.enabled ? zaloTextBodies : undefined,
        }),
        connectorTimeoutMs: options.teamsConnectorTimeoutMs,
      });
      routers.push(teams.router);
    }
  }
  if (options.web && opened) {
    routers.push(webPagesRouter({ publicDir: PUBLIC_DIR, webchatEnabled: true }));
    routers.push(
      registrationsApi({
        stores: opened.stores,
        logger,
        jwks: options.web.jwks,
        clock: () => now,
        ...(options.env && loadConfig(options.env).zalo.enabled
          ? { zaloBodies: zaloTextBodies, paidConsultation: loadConfig(options.env).ZALO_PAID_CONSULTATION }
          : {}),
        access: options.web.access ?? officerAccessFromConfig(loadConfig(options.env ?? {}), opened.stores, logger),
        auth: options.web.auth ?? {
          audiences: [],
          tenants: [],
          jwksUrl: 'http://127.0.0.1:9/none',
          allowStandalone: true,
        },
      }),
    );
  }
  const { server } = createHttpServer({
    logger,
    routes,
    routers,
    metrics,
    readiness: [{ name: 'knowledge', check: () => true }],
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    runtime,
    teams,
    stores: opened?.stores,
    storage: opened?.storage,
    logs,
    waitForLog: async (match) => {
      for (let i = 0; i < 200; i++) {
        const line = logs.map((l) => JSON.parse(l) as Record<string, unknown>).find(match);
        if (line) return line;
        await new Promise((r) => setTimeout(r, 25));
      }
      return undefined;
    },
    close: async () => {
      for (const stop of stopTimers) await stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await opened?.stores.close();
    },
  };
}

/** One web chat turn; returns the replies. */
export async function say(url: string, conversationId: string, text: string, userId = 'u1') {
  const res = await fetch(`${url}/api/webchat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ conversationId, userId, text }),
  });
  const json = (await res.json()) as {
    activities: {
      text: string;
      entities: { type: string; outcome?: string; topic?: string | null }[];
      suggestedActions: { actions: { title: string; value: unknown }[] };
    }[];
  };
  return json.activities;
}
