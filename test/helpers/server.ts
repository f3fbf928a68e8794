import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Storage } from 'botbuilder';
import type { JWTVerifyGetKey } from 'jose';
import type { TabAuthOptions } from '../../adapters/teams/registrations-api.ts';
import { loadConfig } from '../../bot/config.ts';
import type { KnowledgeVersions } from '../../bot/knowledge-versions.ts';
import { createLogger } from '../../bot/logger.ts';
import { buildApp, type App } from '../../bot/main.ts';
import type { OfficerAccess } from '../../bot/officers.ts';
import type { BotRuntime } from '../../bot/runtime.ts';
import type { Stores } from '../../bot/stores.ts';

/** The test servers' METRICS_TOKEN: /metrics is served behind a token, as in production. */
const TEST_METRICS_TOKEN = 'test-metrics-token-0b7d41';

/** A real HTTP server on 127.0.0.1, built as `npm start` builds it, and the log lines it wrote. */
export interface TestServer {
  url: string;
  runtime: BotRuntime;
  stores: Stores;
  /** The bot state storage. */
  storage: Storage;
  /** The Teams channel, when it is on (its daily digest is sent by hand in tests). */
  teams?: App['teams'];
  /** The published knowledge versions. */
  versions: KnowledgeVersions;
  /** Owners waiting for new deadlines, told on Zalo (its rounds are run by hand in tests). */
  deadlineNews: App['deadlineNews'];
  logs: string[];
  /** GET /metrics with the test server's METRICS_TOKEN. */
  metrics(): Promise<Response>;
  /** The first log line (parsed) that `match` accepts, waiting for it up to 5 s (a turn logs after its replies are sent). */
  waitForLog(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown> | undefined>;
  close(): Promise<void>;
}

/**
 * Starts the application (the composition root's `buildApp`, as the server does) on an ephemeral
 * loopback port with a fixed clock, configured by `env` as a development server: state and records
 * in SQLite under `dataDir` (a temporary folder when none is given) or in PostgreSQL with
 * `databaseUrl`. The per-user and per-address limits are off unless asked for: tests send many
 * messages quickly from one address.
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
  const ownDir = options.dataDir || options.databaseUrl ? undefined : mkdtempSync(join(tmpdir(), 'kc-server-'));
  const config = loadConfig({
    USER_MESSAGES_PER_MINUTE: String(options.userMessagesPerMinute ?? 0),
    WEBCHAT_REQUESTS_PER_MINUTE: String(options.webchatPerMinute ?? 0),
    ...(options.trustedProxies ? { TRUST_PROXY: options.trustedProxies.join(',') } : {}),
    DATA_DIR: options.dataDir ?? ownDir,
    DATABASE_URL: options.databaseUrl,
    METRICS_TOKEN: TEST_METRICS_TOKEN,
    ...options.env,
  });
  const app = await buildApp(config, {
    logger: createLogger('info', sink),
    clock: () => now,
    tab: options.web,
    teamsConnectorTimeoutMs: options.teamsConnectorTimeoutMs,
    zaloKeepAliveEveryMs: options.zaloKeepAliveEveryMs,
    turnDeadlineMs: options.turnDeadlineMs,
    teamsDigest: false,
  });
  const { server } = app;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    runtime: app.runtime,
    stores: app.stores,
    storage: app.storage,
    versions: app.versions,
    deadlineNews: app.deadlineNews,
    teams: app.teams,
    logs,
    metrics: () =>
      fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` } }),
    waitForLog: async (match) => {
      for (let i = 0; i < 200; i++) {
        const line = logs.map((l) => JSON.parse(l) as Record<string, unknown>).find(match);
        if (line) return line;
        await new Promise((r) => setTimeout(r, 25));
      }
      return undefined;
    },
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close();
      if (ownDir) rmSync(ownDir, { recursive: true, force: true });
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
