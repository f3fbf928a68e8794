import { loadContentOrThrow } from '../../adapters/content/content-files.ts';
import {
  evaluateOwners as evaluateOwnersOn,
  inProcessBot as inProcessBotOn,
  readConversations,
  readOwnerMessages,
  EVAL_NOW,
} from '../../adapters/content/quality.ts';
import { BUNDLED_CONTENT_DIR } from '../../knowledge/index.ts';

// The owner-style sets and their figures live in adapters/content/quality.ts, where the check
// before publishing uses them too; the tests and `npm run eval` read them here on the bundled content.
export {
  judge,
  readConversations,
  readOwnerMessages,
  type Conversation,
  type ConversationTurn,
  type OwnerMessage,
  type OwnerReport,
} from '../../adapters/content/quality.ts';

/**
 * A whole bot in this process on the bundled content (memory state, no records), answering as the
 * channels do; with `officer`, as Teams does.
 */
export function inProcessBot(now = EVAL_NOW, options: { officer?: boolean } = {}) {
  return inProcessBotOn(loadContentOrThrow(BUNDLED_CONTENT_DIR), now, options);
}

/** Runs the owner-style messages and the conversations on the bundled content. */
export function evaluateOwners(messages = readOwnerMessages(), conversations = readConversations()) {
  return evaluateOwnersOn(loadContentOrThrow(BUNDLED_CONTENT_DIR), messages, conversations);
}
