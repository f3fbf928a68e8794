import type { Storage } from 'botbuilder';
import type { Config } from '../../bot/config.ts';
import type { Logger } from '../../bot/logger.ts';
import type { MetricEvents } from '../../bot/metrics.ts';
import type { BotRuntime } from '../../bot/runtime.ts';
import type { Stores } from '../../bot/stores.ts';
import type { HttpRoute } from '../web/http-route.ts';
import { ZaloAdapter } from './zalo-adapter.ts';
import { ZaloApiError, ZaloClient } from './zalo-client.ts';
import type { ZaloEvent } from './zalo-events.ts';
import { zaloWebhook } from './zalo-route.ts';

export { ZaloApiError, ZaloHttpError } from './zalo-client.ts';
export type { ZaloEvent } from './zalo-events.ts';
export { zaloSiteVerificationRouter, zaloWebhook } from './zalo-route.ts';

/** What the Zalo channel is built from. */
export interface ZaloChannelOptions {
  config: Config;
  runtime: BotRuntime;
  stores: Stores;
  storage: Storage;
  logger: Logger;
  metrics?: MetricEvents;
  /** How often the tokens are checked and refreshed ahead of need (default KEEP_ALIVE_EVERY_MS). */
  keepAliveEveryMs?: number;
}

/** How often a thread that runs Zalo turns checks that the OA's tokens will not lapse. */
export const KEEP_ALIVE_EVERY_MS = 30 * 60_000;

/** The Zalo client and adapter on a runtime of this thread; returns the event handler. */
export function createZaloTurns(options: ZaloChannelOptions): { adapter: ZaloAdapter; handleEvent: (event: ZaloEvent, requestId?: string) => Promise<void>; stopKeepAlive: () => void } {
  const { config, runtime, stores, storage, logger, metrics } = options;
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
  });
  // Tokens are kept alive without traffic too; another thread or instance that refreshed first
  // is seen under the refresh lock, so this refreshes once however many threads check.
  const keepAlive = setInterval(() => {
    client.keepAlive().catch((err: unknown) => {
      const code = err instanceof ZaloApiError ? err.code : undefined;
      if (code !== undefined) metrics?.zaloApiError(code);
      logger.error({ code, err: err instanceof Error ? err.message : String(err) }, 'zalo tokens not refreshed ahead of need: if this goes on, authorise the app again (see the README)');
    });
  }, options.keepAliveEveryMs ?? KEEP_ALIVE_EVERY_MS).unref();
  const adapter = new ZaloAdapter({ client, deliveryKeys: stores.deliveryKeys, storage, logger, humanPauseMinutes: config.ZALO_HUMAN_PAUSE_MINUTES, contactImageUrl: config.ZALO_CONTACT_IMAGE_URL });
  runtime.attach(adapter);
  return { adapter, handleEvent: (event, requestId) => adapter.handleEvent(event, (context) => runtime.bot.run(context), requestId), stopKeepAlive: () => clearInterval(keepAlive) };
}

/** Builds the whole Zalo channel on this thread: client, adapter and webhook routes. */
export function createZaloChannel(options: ZaloChannelOptions): { routes: HttpRoute[]; adapter: ZaloAdapter; stopKeepAlive: () => void } {
  const { adapter, handleEvent, stopKeepAlive } = createZaloTurns(options);
  return { routes: zaloWebhook(options.config, handleEvent, options.logger), adapter, stopKeepAlive };
}
