import type { Storage } from 'botbuilder';
import type { Config } from '../../bot/config.ts';
import type { Logger } from '../../bot/logger.ts';
import type { MetricEvents } from '../../bot/metrics.ts';
import type { Stores } from '../../bot/stores.ts';
import { ZaloApiError, ZaloClient } from './zalo-client.ts';
import { SlidingWindowLimiter, ZaloOutbox, type ZaloOutboxOptions } from './zalo-outbox.ts';

/** What the Zalo sender is built from (on the main thread: one per process, so one rate limit). */
export interface ZaloSenderOptions {
  config: Config;
  stores: Stores;
  storage: Storage;
  logger: Logger;
  metrics?: MetricEvents;
  /** How often the tokens are checked and refreshed ahead of need (default KEEP_ALIVE_EVERY_MS). */
  keepAliveEveryMs?: number;
  /** Tests and the bench: the window ZALO_REQUESTS_PER_MINUTE counts over (default one minute). */
  rateWindowMs?: number;
  /** Tells of each message Zalo took, with how long it waited in the outbox. */
  onSent?: ZaloOutboxOptions['onSent'];
}

/** How often the thread that sends Zalo messages checks that the OA's tokens will not lapse. */
export const KEEP_ALIVE_EVERY_MS = 30 * 60_000;

/**
 * The Zalo client and the outbox it sends from, at ZALO_REQUESTS_PER_MINUTE, with the tokens kept
 * alive without traffic too. Call `start` once the store is open.
 */
export function createZaloSender(options: ZaloSenderOptions): {
  outbox: ZaloOutbox;
  client: ZaloClient;
  start: () => Promise<void>;
  stop: () => Promise<void>;
} {
  const { config, stores, storage, logger, metrics } = options;
  const limiter = new SlidingWindowLimiter(config.ZALO_REQUESTS_PER_MINUTE, options.rateWindowMs ?? 60_000);
  const client = new ZaloClient({
    apiBaseUrl: config.ZALO_API_BASE_URL.replace(/\/$/, ''),
    oauthBaseUrl: config.ZALO_OAUTH_BASE_URL.replace(/\/$/, ''),
    appId: config.ZALO_APP_ID!,
    appSecret: config.ZALO_APP_SECRET!,
    storage,
    initial: { accessToken: config.ZALO_OA_ACCESS_TOKEN, refreshToken: config.ZALO_OA_REFRESH_TOKEN },
    logger,
    lock: (fn) => stores.turnLock.withLock('zalo:token-refresh', fn),
    onApiError: (code) => metrics?.zaloApiError(code),
    onTokenRefresh: () => metrics?.zaloTokenRefresh(),
    throttle: () => limiter.acquire(),
  });
  const outbox = new ZaloOutbox({
    store: stores.zalo,
    client,
    limiter,
    logger,
    salt: config.USER_HASH_SALT,
    metrics,
    jobLock: stores.jobLock,
    onSent: options.onSent,
  });
  let keepAlive: NodeJS.Timeout | undefined;
  return {
    outbox,
    client,
    start: async () => {
      // Tokens are kept alive without traffic too; another instance that refreshed first is seen
      // under the refresh lock, so this refreshes once however many instances check.
      keepAlive = setInterval(() => {
        client.keepAlive().catch((err: unknown) => {
          const code = err instanceof ZaloApiError ? err.code : undefined;
          if (code !== undefined) metrics?.zaloApiError(code);
          logger.error(
            { code, err: err instanceof Error ? err.message : String(err) },
            'zalo tokens not refreshed ahead of need: if this goes on, authorise the app again (see docs/zalo.md)',
          );
        });
      }, options.keepAliveEveryMs ?? KEEP_ALIVE_EVERY_MS).unref();
      // SQLite serves one instance: nothing it had taken for sending is being sent any more.
      await outbox.start(stores.engine === 'sqlite');
    },
    stop: async () => {
      clearInterval(keepAlive);
      await outbox.stop();
    },
  };
}
