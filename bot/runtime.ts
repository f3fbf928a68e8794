import { createHash } from 'node:crypto';
import {
  MemoryStorage,
  type BotAdapter,
  type ConversationState,
  type Middleware,
  type Storage,
  type TurnContext,
} from 'botbuilder';
import {
  EligibilityDialog,
  MainDialog,
  RegistrationDialog,
  type Clock,
  type MemoStore,
  type StoredMemo,
  type UnansweredReason,
} from '../dialogs/index.ts';
import {
  createKnowledgeBase,
  foldDiacritics,
  normalizeText,
  ReloadableKnowledgeBase,
  type KnowledgeBase,
  type KnowledgeContent,
} from '../knowledge/index.ts';
import { KhuyenCongBot } from './bot.ts';
import { deadlineNews, type DeadlineNews } from './deadline-news.ts';
import { ConcurrencySafeConversationState } from './conversation-state.ts';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import { redactPersonalData } from './privacy.ts';
import { turnAudience } from './request-context.ts';
import { MemoryRegistrationStore, registrationSink } from './registration-sink.ts';
import { ownerRelay, type OwnerReply } from './owner-relay.ts';
import type { RegistrationRecord, Stores, TurnLock } from './stores.ts';
import type { MetricEvents } from './metrics.ts';
import { installTurnErrorHandler } from './turn-error.ts';
import { cleanIncomingText, rateLimitPerUser, truncateLongMessages, turnLogging } from './turn-middleware.ts';
import { DeadlineError } from './within.ts';

/** The assembled bot, shared by every channel of one process. */
export interface BotRuntime {
  bot: KhuyenCongBot;
  knowledge: KnowledgeBase;
  conversationState: ConversationState;
  /** Gives an adapter the common turn error policy and the per-conversation turn lock. */
  attach(adapter: BotAdapter): void;
  /** Calls `listener` for every registration confirmed on any channel (officers' notifications). */
  onRegistrationSubmitted(listener: (record: RegistrationRecord) => Promise<void>): void;
  /** Tells those listeners of a registration now, and waits for them (tests, tools). */
  announceRegistration(record: RegistrationRecord): Promise<void>;
  /** Calls `listener` with every owner's answer to an officer (the officer's channel relays it). */
  onOwnerReply(listener: (reply: OwnerReply) => Promise<void>): void;
  /** Turns and officers' notifications in progress, for a graceful shutdown. */
  inFlight(): number;
  /** Answers from `content` from now on (an operator's SIGHUP after editing the content). */
  reloadKnowledge(content: KnowledgeContent): void;
  /** "Báo cho tôi khi có hạn mới" (with a store): its rounds are the server's to schedule. */
  deadlineNews?: DeadlineNews;
}

/**
 * A turn still running after this long is abandoned: its conversation's lock is let go, the user
 * gets the apology and the turn counts as failed. Turns take milliseconds; the bound is for a
 * store or a service that stops answering, whose own timeouts (PostgreSQL's 30 s and more) add up
 * past what a reverse proxy waits (60 s) and what a user waits. With the apology sent first and
 * the state cleared within STATE_CLEAR_MS, the user hears back within 25 s.
 */
export const TURN_DEADLINE_MS = 20_000;
/** How long a failed turn waits for its conversation state to be cleared (after the apology). */
export const STATE_CLEAR_MS = 3_000;

/** Collaborators that the composition root (or a test) chooses. */
export interface RuntimeDeps {
  config: Pick<Config, 'TZ'> & Partial<Pick<Config, 'USER_HASH_SALT'>>;
  logger: Logger;
  content: KnowledgeContent;
  /** Bot state; in memory when absent (tests and tools that keep nothing). */
  storage?: Storage;
  /** Records; without them nothing is recorded and turns are serialised in process only. */
  stores?: Stores;
  clock?: Clock;
  metrics?: MetricEvents;
  /** Messages per minute per user before the polite "slow down"; absent or 0, no limit (tools, tests). */
  userMessagesPerMinute?: number;
  /**
   * Channels whose conversation ids the client chooses (web chat): there a conversation belongs
   * to the user who first keeps something in it, claimed in `stores.conversations` with the
   * conversation's first state write, and another user's turn cannot store anything in it.
   */
  ownedConversationChannels?: readonly string[];
  /** Tests: a shorter TURN_DEADLINE_MS. */
  turnDeadlineMs?: number;
  /** ZALO_PAID_CONSULTATION: how long after a Zalo owner's last message the bot may write first. */
  zaloPaidConsultation?: boolean;
}

/** The key a user's records are filed under: channel and channel user id. */
export function userKeyOf(context: TurnContext): string {
  return `${context.activity.channelId}:${context.activity.from?.id ?? 'unknown'}`;
}

/** A one-way hash of a user id, so unanswered questions can be grouped without naming anyone. */
export function hashUser(salt: string, userKey: string): string {
  return createHash('sha256').update(`${salt}:${userKey}`).digest('hex').slice(0, 32);
}

/** How many one-question conversations keep their memo in this process, and for how long. */
const MEMO_CACHE = { entries: 20_000, ttlMs: 24 * 3_600_000 };
const MEMO_FROM_STATE = Symbol('memoFromState');

/**
 * Where the conversation memo (the topic of the last answer and the owner's facts) is kept. It
 * is a property of the conversation state once the conversation has state of its own or the
 * bot has judged the owner's own case. A conversation that has only asked plain
 * questions keeps it in a bounded cache of this process instead: writing a new row for every
 * one-question conversation would make a plain Q&A turn about 60% dearer, and a follow-up that
 * reaches another instance without it only gets a question back about the topic.
 */
function memoStore(conversationState: ConversationState, clock: Clock): MemoStore & { forget(userKey: string): void } {
  const property = conversationState.createProperty<StoredMemo>('memo');
  const cache = new Map<string, { stored: StoredMemo; at: number; userKey: string }>();
  const keyOf = (context: TurnContext) => `${context.activity.channelId}:${context.activity.conversation?.id ?? ''}`;
  return {
    async load(context) {
      const stored = await property.get(context);
      if (stored) {
        context.turnState.set(MEMO_FROM_STATE, true);
        return stored;
      }
      const cached = cache.get(keyOf(context));
      // Kept for the user who asked: another user id in the same conversation starts afresh.
      if (!cached || cached.userKey !== userKeyOf(context)) return undefined;
      if (clock().getTime() - cached.at > MEMO_CACHE.ttlMs) {
        cache.delete(keyOf(context));
        return undefined;
      }
      return cached.stored;
    },
    async save(context, stored) {
      const key = keyOf(context);
      cache.delete(key);
      // The owner's own case, once judged, is kept in the store; a topic alone is not.
      const worthStoring = stored?.memo.situation === true;
      if (!stored) await property.delete(context);
      else if (context.turnState.get(MEMO_FROM_STATE) === true || worthStoring) await property.set(context, stored);
      else {
        if (cache.size >= MEMO_CACHE.entries) cache.delete(cache.keys().next().value!);
        cache.set(key, { stored, at: clock().getTime(), userKey: userKeyOf(context) });
      }
    },
    /** "Xóa dữ liệu của tôi": the memos of every conversation of the user kept in this process. */
    forget(userKey) {
      for (const [key, entry] of cache) if (entry.userKey === userKey) cache.delete(key);
    },
  };
}

/** Builds the knowledge base, the dialogs and the bot around one storage. */
export function createRuntime(deps: RuntimeDeps): BotRuntime {
  const build = (content: KnowledgeContent) => createKnowledgeBase(content, { timeZone: deps.config.TZ });
  const knowledge = new ReloadableKnowledgeBase(build(deps.content));
  const clock = deps.clock ?? (() => new Date());
  const salt = deps.config.USER_HASH_SALT ?? 'tro-ly-khuyen-cong';
  const { stores } = deps;
  const owned = new Set(deps.ownedConversationChannels ?? []);
  const conversationState = new ConcurrencySafeConversationState(
    deps.storage ?? new MemoryStorage(),
    stores && owned.size > 0
      ? async (context) => {
          const { channelId, conversation } = context.activity;
          if (!owned.has(channelId)) return;
          if (!(await stores.conversations.claim(channelId, conversation.id, userKeyOf(context), clock())))
            throw new Error('the conversation belongs to another user');
        }
      : undefined,
  );
  const registrationStore = stores?.registrations ?? new MemoryRegistrationStore();
  // "Báo cho tôi khi có hạn mới", kept in the store; the owners waiting are read at start and
  // again whenever the content changes.
  const news = stores
    ? deadlineNews({
        stores,
        knowledge,
        clock,
        logger: deps.logger,
        paidConsultation: deps.zaloPaidConsultation ?? false,
      })
    : undefined;
  const refreshNews = () =>
    void news
      ?.refresh()
      .catch((err: unknown) => deps.logger.error({ err }, 'cannot read the owners waiting for new deadlines'));
  refreshNews();

  const onUnanswered = async (context: TurnContext, question: string, reason: UnansweredReason, province?: string) => {
    if (!stores) return;
    // Users type their phone number or tax code into questions too; none of it is kept.
    const text = redactPersonalData(question);
    const normalized = foldDiacritics(normalizeText(text));
    deps.metrics?.unanswered();
    await stores.unanswered.record({
      text,
      normalized,
      channel: context.activity.channelId,
      userHash: hashUser(salt, userKeyOf(context)),
      reason,
      createdAt: clock(),
      province: province ?? null,
    });
  };
  // "Xóa dữ liệu của tôi": everything tied to the user, in every conversation they own.
  const memory = memoStore(conversationState, clock);
  const forgetUser = async (context: TurnContext) => {
    const userKey = userKeyOf(context);
    memory.forget(userKey);
    const { channelId } = context.activity;
    const counts = stores
      ? await stores.personalData.erase({
          userKey,
          userHash: hashUser(salt, userKey),
          channel: channelId,
          userId: context.activity.from?.id ?? '',
        })
      : { drafts: await registrationStore.deleteDraftsOf(userKey) };
    await conversationState.delete(context);
    deps.logger.info({ channel: channelId, ...counts }, 'user data deleted on request');
  };

  const submittedListeners: ((record: RegistrationRecord) => Promise<void>)[] = [];
  const replyListeners: ((reply: OwnerReply) => Promise<void>)[] = [];
  const notifySubmitted = async (record: RegistrationRecord) => {
    for (const listener of submittedListeners) {
      // A failed notification must not undo or fail the user's confirmed registration.
      await listener(record).catch((err: unknown) =>
        deps.logger.error(
          { err: err instanceof Error ? err.message : String(err) },
          'registration notification failed',
        ),
      );
    }
  };
  // Officers are notified after the turn, not within it: a hung Teams service must not keep the
  // owner waiting, or turn a saved registration into an apology.
  let notifying = 0;
  const notifyLater = async (record: RegistrationRecord) => {
    notifying += 1;
    void notifySubmitted(record).finally(() => (notifying -= 1));
  };
  const registrations = registrationSink(
    registrationStore,
    clock,
    userKeyOf,
    notifyLater,
    stores ? (id) => stores.work.history(id) : undefined,
  );
  const dialogs = [
    new MainDialog({
      knowledge,
      clock,
      registrations,
      onUnanswered,
      forgetUser,
      memory,
      audienceOf: (context) => turnAudience(context.turnState),
      ...(news
        ? {
            deadlineWatches: {
              watch: (context: TurnContext, planYear: number) => news.watch(userKeyOf(context), planYear),
              news: (context: TurnContext) => news.news(userKeyOf(context)),
              toldOf: (context: TurnContext, planYear: number) => news.toldOf(userKeyOf(context), planYear),
            },
          }
        : {}),
    }),
    new RegistrationDialog(knowledge, clock, registrations),
    new EligibilityDialog(knowledge, clock),
  ];
  const bot = new KhuyenCongBot(conversationState, dialogs, knowledge);
  const turnLock = stores?.turnLock;
  let inFlight = 0;
  return {
    inFlight: () => inFlight + notifying,
    reloadKnowledge: (content) => {
      knowledge.replace(build(content));
      refreshNews();
    },
    deadlineNews: news,
    bot,
    knowledge,
    conversationState,
    onRegistrationSubmitted(listener) {
      submittedListeners.push(listener);
    },
    announceRegistration: notifySubmitted,
    onOwnerReply(listener) {
      replyListeners.push(listener);
    },
    attach(adapter) {
      installTurnErrorHandler(adapter, conversationState, deps.logger, { salt, clearMs: STATE_CLEAR_MS });
      adapter.use({
        onTurn: async (_context, next) => {
          inFlight += 1;
          try {
            await next();
          } finally {
            inFlight -= 1;
          }
        },
      });
      adapter.use(turnLogging(deps.logger, salt, deps.metrics));
      adapter.use(rateLimitPerUser(deps.userMessagesPerMinute ?? 0));
      adapter.use(cleanIncomingText);
      adapter.use(truncateLongMessages);
      if (turnLock) adapter.use(serialisedWithDeadline(turnLock, deps.turnDeadlineMs ?? TURN_DEADLINE_MS));
      if (stores)
        adapter.use(
          ownerRelay({
            stores,
            clock,
            userKeyOf,
            logger: deps.logger,
            onReply: async (reply) => {
              for (const listener of replyListeners) await listener(reply);
            },
          }),
        );
    },
  };
}

/**
 * Turns of one conversation run one after another (across instances on PostgreSQL), so two quick
 * messages never read the same state and overwrite each other. One deadline covers waiting for the
 * lock (a store that stops answering) and the turn; past it the lock is let go whatever the turn
 * still does (should it finish after all, the eTag check keeps it from overwriting a later turn's
 * state), and the turn fails with a DeadlineError.
 */
function serialisedWithDeadline(turnLock: TurnLock, deadline: number): Middleware {
  return {
    onTurn: async (context, next) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new DeadlineError('the turn', deadline)), deadline);
      });
      late.catch(() => undefined);
      const key = `${context.activity.channelId}:${context.activity.conversation?.id ?? ''}`;
      try {
        await Promise.race([turnLock.withLock(key, () => Promise.race([next(), late])), late]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
