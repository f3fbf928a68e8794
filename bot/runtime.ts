import { ConversationState, MemoryStorage, type BotAdapter, type Storage } from 'botbuilder';
import { MainDialog, type Clock } from '../dialogs/index.ts';
import { createKnowledgeBase, type KnowledgeBase, type KnowledgeContent } from '../knowledge/index.ts';
import { KhuyenCongBot } from './bot.ts';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import { installTurnErrorHandler } from './turn-error.ts';

/** The assembled bot, shared by every channel of one process. */
export interface BotRuntime {
  bot: KhuyenCongBot;
  knowledge: KnowledgeBase;
  conversationState: ConversationState;
  /** Gives an adapter the common turn error policy. */
  attach(adapter: BotAdapter): void;
}

/** Collaborators that the composition root (or a test) chooses. */
export interface RuntimeDeps {
  config: Pick<Config, 'TZ'>;
  logger: Logger;
  content: KnowledgeContent;
  storage?: Storage;
  clock?: Clock;
}

/** Builds the knowledge base, the dialogs and the bot around one storage. */
export function createRuntime(deps: RuntimeDeps): BotRuntime {
  const knowledge = createKnowledgeBase(deps.content, { timeZone: deps.config.TZ });
  const conversationState = new ConversationState(deps.storage ?? new MemoryStorage());
  const dialog = new MainDialog({ knowledge, clock: deps.clock ?? (() => new Date()) });
  const bot = new KhuyenCongBot(conversationState, dialog, knowledge);
  return {
    bot,
    knowledge,
    conversationState,
    attach: (adapter) => installTurnErrorHandler(adapter, conversationState, deps.logger),
  };
}
