import type { BotAdapter, ConversationState, TurnContext } from 'botbuilder';
import type { Logger } from './logger.ts';
import { loggedConversation } from './privacy.ts';
import { turnRequestId } from './request-context.ts';
import { EtagConflictError } from './stores.ts';
import { within } from './within.ts';

/** The one sentence a user sees when a turn fails. */
export const TURN_ERROR_TEXT =
  'Dạ, xin lỗi, hệ thống vừa gặp sự cố khi xử lý tin nhắn của bạn. Bạn vui lòng gửi lại sau ít phút nhé.';

/**
 * Sets the single turn-level error policy on an adapter: log with ids, apologise in one fixed
 * sentence, and clear the conversation state so no dialog stays wedged. The apology goes first:
 * when the store is what failed, clearing the state may fail slowly too (bounded by `clearMs`).
 * Conversations are logged by their salted hash.
 */
export function installTurnErrorHandler(
  adapter: BotAdapter,
  conversationState: ConversationState,
  logger: Logger,
  options: { salt: string; clearMs: number },
): void {
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    const { activity } = context;
    logger.error(
      {
        err: error,
        requestId: turnRequestId(context.turnState),
        channel: activity.channelId,
        conversation: loggedConversation(options.salt, activity.channelId, activity.conversation?.id),
      },
      'turn failed',
    );
    await context
      .sendActivity(TURN_ERROR_TEXT)
      .catch((sendError: unknown) =>
        logger.error({ err: sendError, channel: activity.channelId }, 'cannot apologise after a failed turn'),
      );
    // A conflict means another turn saved newer state: keep it. Anything else may have left a
    // dialog half-way, so the state is cleared.
    if (!(error instanceof EtagConflictError)) {
      await within(conversationState.delete(context), options.clearMs, 'clearing the conversation state').catch(
        (cleanupError: unknown) =>
          logger.error(
            { err: cleanupError, channel: activity.channelId },
            'cannot clear the conversation state after a failed turn',
          ),
      );
    }
  };
}
