import type { Storage } from 'botbuilder';
import type { Config } from '../../bot/config.ts';
import type { Logger } from '../../bot/logger.ts';
import type { BotRuntime } from '../../bot/runtime.ts';
import type { Stores } from '../../bot/stores.ts';
import type { HttpRoute } from '../../bot/http-route.ts';
import { ZaloAdapter } from './zalo-adapter.ts';
import type { ZaloEvent } from './zalo-events.ts';
import type { ZaloOutbox } from './zalo-outbox.ts';
import { ZaloInbox } from './zalo-inbox.ts';
import { zaloWebhook } from './zalo-route.ts';
import { createZaloSender, type ZaloSenderOptions } from './zalo-sender.ts';

export { ZaloApiError, ZaloHttpError } from './zalo-client.ts';
export type { ZaloEvent } from './zalo-events.ts';
export { zaloSiteVerificationRouter, zaloWebhook } from './zalo-route.ts';
export { ZaloInbox } from './zalo-inbox.ts';
export { ZaloOutbox } from './zalo-outbox.ts';
export { createZaloSender, KEEP_ALIVE_EVERY_MS, type ZaloSenderOptions } from './zalo-sender.ts';

/** What the Zalo channel's turns are built from (on the thread that runs them). */
export interface ZaloTurnsOptions {
  config: Config;
  runtime: BotRuntime;
  stores: Stores;
  storage: Storage;
  logger: Logger;
}

/** The Zalo adapter on a runtime of this thread; returns the handler of recorded events. */
export function createZaloTurns(options: ZaloTurnsOptions): {
  adapter: ZaloAdapter;
  handleEvent: (event: ZaloEvent, requestId?: string) => Promise<void>;
} {
  const { config, runtime, stores, storage, logger } = options;
  const adapter = new ZaloAdapter({
    store: stores.zalo,
    storage,
    logger,
    humanPauseMinutes: config.ZALO_HUMAN_PAUSE_MINUTES,
    contactImageUrl: config.ZALO_CONTACT_IMAGE_URL,
  });
  runtime.attach(adapter);
  return {
    adapter,
    handleEvent: (event, requestId) => adapter.handleEvent(event, (context) => runtime.bot.run(context), requestId),
  };
}

/**
 * Builds the whole Zalo channel on this thread: turns, sender and webhook routes; events left
 * unfinished by the last run are resumed before it returns.
 */
export async function createZaloChannel(
  options: ZaloTurnsOptions & ZaloSenderOptions,
): Promise<{ routes: HttpRoute[]; adapter: ZaloAdapter; outbox: ZaloOutbox; stop: () => Promise<void> }> {
  const { adapter, handleEvent } = createZaloTurns(options);
  const sender = createZaloSender(options);
  await sender.start();
  const inbox = new ZaloInbox({
    store: options.stores.zalo,
    handleEvent,
    onProcessed: () => sender.outbox.poke(),
    logger: options.logger,
  });
  // SQLite serves one instance: whatever is unfinished was this one's before it stopped.
  await inbox.resume(options.stores.engine === 'sqlite');
  inbox.start();
  return {
    routes: zaloWebhook({ config: options.config, inbox, logger: options.logger, metrics: options.metrics }),
    adapter,
    outbox: sender.outbox,
    stop: async () => {
      inbox.stop();
      await sender.stop();
    },
  };
}
