import { randomUUID } from 'node:crypto';
import {
  ActivityTypes,
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';
import { TURN_REQUEST_ID } from '../../bot/request-context.ts';

/** What a local channel says for one incoming message. */
export interface LocalMessage {
  conversationId: string;
  userId: string;
  text?: string;
  value?: Record<string, unknown>;
  /** The id of the HTTP request that brought the message, for the turn's log line. */
  requestId?: string;
}

const REPLIES = Symbol('replies');

/**
 * A Bot Framework adapter for channels that live in this process (web chat, terminal, ask):
 * a turn runs through the same middleware and bot as any channel, and its replies are returned
 * to the caller instead of being posted to a connector.
 */
export class InProcessAdapter extends BotAdapter {
  constructor(private readonly channelId: string) {
    super();
  }

  /** Runs one turn and returns the activities the bot sent during it. */
  async send(message: LocalMessage, logic: (context: TurnContext) => Promise<void>): Promise<Partial<Activity>[]> {
    const activity: Partial<Activity> = {
      type: ActivityTypes.Message,
      id: randomUUID(),
      channelId: this.channelId,
      serviceUrl: 'local://in-process',
      timestamp: new Date(),
      conversation: { id: message.conversationId, isGroup: false, conversationType: 'personal', name: '' },
      from: { id: message.userId, name: message.userId },
      recipient: { id: 'tro-ly-khuyen-cong', name: 'Trợ lý Khuyến công' },
      locale: 'vi-VN',
      text: message.text ?? '',
      ...(message.value ? { value: message.value } : {}),
    };
    const context = new TurnContext(this, activity);
    if (message.requestId) context.turnState.set(TURN_REQUEST_ID, message.requestId);
    const replies: Partial<Activity>[] = [];
    context.turnState.set(REPLIES, replies);
    await this.runMiddleware(context, logic);
    return replies;
  }

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const replies = context.turnState.get<Partial<Activity>[] | undefined>(REPLIES);
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      const id = randomUUID();
      // A delay activity only paces output on real channels; there is nothing to pace here.
      if (activity.type !== 'delay') replies?.push({ ...activity, id });
      responses.push({ id });
    }
    return responses;
  }

  override async updateActivity(): Promise<void> {
    throw new Error('cannot update an activity because the local channels only append messages');
  }

  override async deleteActivity(): Promise<void> {
    throw new Error('cannot delete an activity because the local channels only append messages');
  }

  override async continueConversation(
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const context = new TurnContext(
      this,
      TurnContext.applyConversationReference(
        { type: ActivityTypes.Event, name: 'continueConversation' },
        reference,
        true,
      ),
    );
    await this.runMiddleware(context, logic);
  }
}
