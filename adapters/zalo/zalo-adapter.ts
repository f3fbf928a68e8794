import pLimit from 'p-limit';
import { BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse, type Storage } from 'botbuilder';
import type { Logger } from '../../bot/logger.ts';
import { TURN_REQUEST_ID } from '../../bot/request-context.ts';
import type { DeliveryKeyStore } from '../../bot/stores.ts';
import { KeyedMutex } from '../storage/sql-client.ts';
import { ZaloApiError, type ZaloClient } from './zalo-client.ts';
import type { ZaloEvent } from './zalo-events.ts';
import { activityToZaloMessages, zaloEventToActivity, ZALO_CHANNEL } from './zalo-mapping.ts';

/** Collaborators of the Zalo adapter. */
export interface ZaloAdapterOptions {
  client: ZaloClient;
  deliveryKeys: DeliveryKeyStore;
  /** Where the "a human is answering" pause per user is kept (under `zaloPauseKey`). */
  storage: Storage;
  logger: Logger;
  humanPauseMinutes: number;
  contactImageUrl?: string;
  /** Turns processed at once (others wait their turn): bounds memory and connections to Zalo in a burst. */
  concurrency?: number;
  clock?: () => Date;
}

/**
 * The Zalo OA channel as a Bot Framework adapter: webhook events become activities that run
 * through the common pipeline, replies become customer-service messages. De-duplicates
 * redeliveries in the store, keeps each user's messages in order, and steps aside while an
 * officer answers in the OA Manager.
 */
export class ZaloAdapter extends BotAdapter {
  private readonly perUser = new KeyedMutex();
  private readonly slots: ReturnType<typeof pLimit>;
  private readonly clock: () => Date;

  constructor(private readonly options: ZaloAdapterOptions) {
    super();
    this.clock = options.clock ?? (() => new Date());
    this.slots = pLimit(options.concurrency ?? 32);
  }

  /** Handles one verified webhook event (delivered by request `requestId`); safe to call again with a redelivered event. */
  async handleEvent(event: ZaloEvent, logic: (context: TurnContext) => Promise<void>, requestId?: string): Promise<void> {
    const { logger, deliveryKeys } = this.options;
    if (event.kind === 'unknown') {
      logger.info({ channel: ZALO_CHANNEL, event: event.eventName }, 'zalo event ignored');
      return;
    }
    const now = this.clock();
    if (event.kind === 'oa-send') {
      // Our own messages were recorded when sent; any other OA message is an officer typing.
      if (event.type === 'text' && (await deliveryKeys.claim(`zalo-sent:${event.msgId}`, now))) {
        await this.options.storage.write({ [zaloPauseKey(event.userId)]: { until: now.getTime() + this.options.humanPauseMinutes * 60_000, eTag: '*' } });
        logger.info({ channel: ZALO_CHANNEL, minutes: this.options.humanPauseMinutes }, 'zalo: an officer is answering, bot paused for this user');
      }
      return;
    }
    // Nothing is kept of a follower to forget when they leave: no message is ever sent to a
    // Zalo user unprompted, so their conversation reference is not stored at all.
    if (event.kind === 'unfollow') return;
    const activity = zaloEventToActivity(event);
    if (!activity) return;
    // Zalo redelivers the same body up to five times: the first claim wins, on any instance.
    if (!(await deliveryKeys.claim(`zalo:${activity.id}`, now))) {
      logger.debug({ channel: ZALO_CHANNEL }, 'zalo redelivery ignored');
      return;
    }
    // In order per user; a slot is taken only once it is this message's turn, so a user with
    // messages waiting never holds slots that others could use.
    await this.perUser.run(event.userId, () => this.slots(() => this.process(event.userId, activity, logic, requestId)));
  }

  /** One user's message, unless an officer is answering them. */
  private async process(userId: string, activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>, requestId: string | undefined): Promise<void> {
    const { logger } = this.options;
    const pause = (await this.options.storage.read([zaloPauseKey(userId)]))[zaloPauseKey(userId)] as { until?: number } | undefined;
    if (pause?.until && pause.until > this.clock().getTime()) {
      logger.info({ channel: ZALO_CHANNEL }, 'zalo message left to the officer answering');
      return;
    }
    const context = new TurnContext(this, activity);
    if (requestId) context.turnState.set(TURN_REQUEST_ID, requestId);
    await this.runMiddleware(context, logic);
  }

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const userId = context.activity.conversation?.id ?? context.activity.from?.id;
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      if (!userId) throw new Error('cannot send a Zalo message because the activity has no user id');
      const messages = activityToZaloMessages(activity, userId, { contactImageUrl: this.options.contactImageUrl });
      let id = '';
      for (const message of messages) {
        try {
          id = (await this.options.client.send(message)) ?? id;
          if (id) await this.options.deliveryKeys.claim(`zalo-sent:${id}`, this.clock());
        } catch (error) {
          const code = error instanceof ZaloApiError ? error.code : undefined;
          // A permanent refusal (e.g. -230: the user has been silent for 7 days) is not retried.
          this.options.logger.warn({ channel: ZALO_CHANNEL, code, err: error instanceof Error ? error.message : String(error) }, 'zalo send failed');
          break;
        }
      }
      responses.push({ id });
    }
    return responses;
  }

  override async updateActivity(): Promise<void> {
    throw new Error('cannot update a message because Zalo OA messages cannot be edited');
  }

  override async deleteActivity(): Promise<void> {
    throw new Error('cannot delete a message because the Zalo OA API does not support it here');
  }

  override async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: 'event', name: 'continueConversation' }, reference, true);
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }
}

/**
 * Where the pause of one user is kept in the bot state. Retention deletes these with the state
 * of conversations (`BotStateStore.purgeUserState`), since each names a Zalo user.
 */
export function zaloPauseKey(userId: string): string {
  return `zalo/pause/${userId}`;
}
