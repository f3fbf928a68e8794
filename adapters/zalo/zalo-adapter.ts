import pLimit from 'p-limit';
import {
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
  type Storage,
} from 'botbuilder';
import type { Logger } from '../../bot/logger.ts';
import { TURN_REQUEST_ID } from '../../bot/request-context.ts';
import type { ZaloStore } from '../../bot/stores.ts';
import { KeyedMutex } from '../storage/sql-client.ts';
import { zaloEventKey, type ZaloEvent } from './zalo-events.ts';
import { turnToZaloMessages, zaloEventToActivity, zaloTextFingerprint, ZALO_CHANNEL } from './zalo-mapping.ts';

/** Collaborators of the Zalo adapter. */
export interface ZaloAdapterOptions {
  /** The inbox the webhook recorded the events in, and the outbox the replies go to. */
  store: ZaloStore;
  /** Where the "a human is answering" pause per user is kept (under `zaloPauseKey`). */
  storage: Storage;
  logger: Logger;
  humanPauseMinutes: number;
  contactImageUrl?: string;
  /** Turns processed at once (others wait their turn): bounds memory and connections in a burst. */
  concurrency?: number;
  clock?: () => Date;
}

/** An OA message is the echo of one of the bot's own if the bot queued it within this long. */
export const ECHO_WINDOW_MS = 6 * 3_600_000;

/** The replies of the turn in progress, sent together when it ends. */
const REPLIES = Symbol('zalo replies');
interface TurnReplies {
  key: string;
  userId: string;
  activities: Partial<Activity>[];
  closed: boolean;
  late: number;
}

/**
 * The Zalo OA channel as a Bot Framework adapter: webhook events (recorded in the inbox by the
 * webhook) become activities that run through the common pipeline; a turn's replies become as few
 * customer-service messages as the format allows, queued in the outbox with the event marked done
 * in one transaction, and sent from there at the OA's rate. Keeps each user's events in order, and
 * steps aside while an officer answers in the OA Manager.
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

  /**
   * Processes one event the webhook recorded (delivered by request `requestId`), after every
   * earlier event of the same user; settles once its replies are queued and it is marked done.
   */
  handleEvent(event: ZaloEvent, logic: (context: TurnContext) => Promise<void>, requestId?: string): Promise<void> {
    const key = zaloEventKey(event);
    if (event.kind === 'unknown' || !key) {
      this.options.logger.info(
        { channel: ZALO_CHANNEL, event: event.kind === 'unknown' ? event.eventName : event.kind },
        'zalo event ignored',
      );
      return Promise.resolve();
    }
    // In order per user (the order of the calls); a slot is taken only once it is this event's
    // turn, so a user with events waiting never holds slots that others could use.
    return this.perUser.run(event.userId, () => this.slots(() => this.process(key, event, logic, requestId)));
  }

  private async process(
    key: string,
    event: Exclude<ZaloEvent, { kind: 'unknown' }>,
    logic: (context: TurnContext) => Promise<void>,
    requestId: string | undefined,
  ): Promise<void> {
    const { logger, store } = this.options;
    const now = this.clock();
    if (event.kind === 'oa-send') {
      // The bot's own messages are in the outbox before they are sent, so their echo is known
      // whenever it comes; any other OA message is an officer typing.
      const own = await store.claimEcho(
        event.userId,
        event.msgId,
        zaloTextFingerprint(event.userId, event.text),
        new Date(now.getTime() - ECHO_WINDOW_MS),
      );
      if (!own && event.type === 'text') {
        await this.options.storage.write({
          [zaloPauseKey(event.userId)]: { until: now.getTime() + this.options.humanPauseMinutes * 60_000, eTag: '*' },
        });
        logger.info(
          { channel: ZALO_CHANNEL, minutes: this.options.humanPauseMinutes },
          'zalo: an officer is answering, bot paused for this user',
        );
      }
      return store.finish(key, [], now);
    }
    // Nothing is kept of a follower to forget when they leave: no message is ever sent to a
    // Zalo user unprompted, so their conversation reference is not stored at all.
    const activity = event.kind === 'unfollow' ? undefined : zaloEventToActivity(event);
    if (!activity) return store.finish(key, [], now);
    const pause = (await this.options.storage.read([zaloPauseKey(event.userId)]))[zaloPauseKey(event.userId)] as
      { until?: number } | undefined;
    if (pause?.until && pause.until > now.getTime()) {
      logger.info({ channel: ZALO_CHANNEL }, 'zalo message left to the officer answering');
      return store.finish(key, [], now);
    }
    const context = new TurnContext(this, activity);
    if (requestId) context.turnState.set(TURN_REQUEST_ID, requestId);
    const replies: TurnReplies = { key, userId: event.userId, activities: [], closed: false, late: 0 };
    context.turnState.set(REPLIES, replies);
    await this.runMiddleware(context, logic);
    replies.closed = true;
    await this.queue(key, event.userId, replies.activities);
  }

  /** Queues replies in the outbox and marks event `key` done, together. */
  private queue(key: string, userId: string, activities: Partial<Activity>[]): Promise<void> {
    const messages = turnToZaloMessages(activities, userId, { contactImageUrl: this.options.contactImageUrl });
    return this.options.store.finish(
      key,
      messages.map((m) => ({
        userId,
        body: m as unknown as Record<string, unknown>,
        textHash: zaloTextFingerprint(userId, typeof m.message.text === 'string' ? m.message.text : undefined),
      })),
      this.clock(),
    );
  }

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const replies = context.turnState.get<TurnReplies | undefined>(REPLIES);
    if (!replies) throw new Error('cannot send a Zalo message because Zalo messages are only sent in answer to a user');
    // A turn's replies go out together when it ends; one sent after that (a turn that went on past
    // its deadline) is queued by itself.
    if (replies.closed) {
      replies.late += 1;
      await this.queue(`${replies.key}:late:${replies.late}`, replies.userId, activities);
    } else {
      replies.activities.push(...activities);
    }
    return activities.map(() => ({ id: '' }));
  }

  override async updateActivity(): Promise<void> {
    throw new Error('cannot update a message because Zalo OA messages cannot be edited');
  }

  override async deleteActivity(): Promise<void> {
    throw new Error('cannot delete a message because the Zalo OA API does not support it here');
  }

  override async continueConversation(
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const activity = TurnContext.applyConversationReference(
      { type: 'event', name: 'continueConversation' },
      reference,
      true,
    );
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
