import type { Middleware, TurnContext } from 'botbuilder';
import type { Logger } from './logger.ts';
import type { Stores } from './stores.ts';

/** How long after an officer's last message the owner's messages go to the officer, not to the bot. */
export const RELAY_HOURS = 24;

/** An owner's answer to an officer, for the officer's channel. */
export interface OwnerReply {
  registrationId: string;
  code: string;
  text: string;
  /** Where the officer wrote from (a Teams conversation reference), if from Teams. */
  conversation?: Record<string, unknown>;
  officerName: string | null;
}

/** Told to an owner whose message went to the officer. */
export const RELAYED = (code: string) =>
  `Dạ, tôi đã chuyển tin nhắn của anh/chị tới cán bộ Sở Công Thương đang trao đổi với anh/chị về đăng ký ${code}. Cán bộ sẽ trả lời anh/chị tại đây; trong lúc này tôi không trả lời tự động để khỏi chen ngang.`;

/**
 * While an officer is talking with an owner (an officer's message, not a status notice, within
 * RELAY_HOURS), the owner's messages go to the officer: into the registration's history and to the
 * officer's Teams conversation through `onReply`; the bot says so and does not answer them itself.
 */
export function ownerRelay(options: {
  stores: Pick<Stores, 'work'>;
  clock: () => Date;
  userKeyOf: (context: TurnContext) => string;
  onReply: (reply: OwnerReply) => Promise<void>;
  logger: Logger;
}): Middleware {
  return {
    onTurn: async (context, next) => {
      const { activity } = context;
      const text = activity.type === 'message' ? (activity.text ?? '').trim() : '';
      if (!text || activity.channelId === 'msteams') return next();
      const since = new Date(options.clock().getTime() - RELAY_HOURS * 3_600_000);
      const thread = await options.stores.work.openThread(options.userKeyOf(context), since);
      if (!thread) return next();
      await options.stores.work.addEvent(
        thread.registrationId,
        { kind: 'message-in', actor: 'owner', actorName: null, details: { text: text.slice(0, 2000) } },
        options.clock(),
      );
      await context.sendActivity(RELAYED(thread.code));
      // The officer hears of it after the owner's turn: a slow Teams service must not hold it.
      void options
        .onReply({ ...thread, text: text.slice(0, 2000) })
        .catch((err: unknown) =>
          options.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'owner reply not relayed'),
        );
    },
  };
}
