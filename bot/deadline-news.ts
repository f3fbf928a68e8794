/**
 * Owners who asked "báo cho tôi khi có hạn mới" are told of the next cycle's deadlines once they
 * are published, once. The watch is a row of `deadline_watches` (any channel); whoever tells the
 * owner first claims it:
 *
 * - their next message, on any channel (`news`, asked by the main dialog each turn: a lookup in
 *   this process's set of users waiting for an older cycle, and a claim in the store only for
 *   them, so a turn of anyone else reads nothing);
 * - on Zalo, a round every two minutes writes first to those the OA may write to: within 48 hours
 *   of their last message (free), or up to 7 days with paid consultation messages where the
 *   deployment enables them, less an hour for the outbox to send it; never after. A round queues
 *   at most a tenth of a minute's Zalo quota, so the replies of owners writing meanwhile do not
 *   wait behind it.
 */
import { deadlineNewsText } from '../dialogs/index.ts';
import type { KnowledgeBase } from '../knowledge/index.ts';
import type { Logger } from './logger.ts';
import { ZALO_FREE_HOURS, ZALO_PAID_DAYS, type ZaloMessages } from './owner-messages.ts';
import type { Stores } from './stores.ts';

const HOUR = 3_600_000;
/** The most waiting users this process keeps in memory for the per-turn check; past it, the oldest are told when a round reaches them. */
export const PENDING_IN_MEMORY = 200_000;
/** How long before the end of Zalo's window the round stops writing first: the outbox may take a while to send. */
const WINDOW_MARGIN_MS = HOUR;

/** The deadline watch: starting one, and telling each owner once. */
export function deadlineNews(options: {
  stores: Pick<Stores, 'deadlineWatches' | 'zalo' | 'jobLock'>;
  knowledge: Pick<KnowledgeBase, 'latestCycle'>;
  clock: () => Date;
  logger: Logger;
  /** ZALO_PAID_CONSULTATION: the OA's ZBS account is funded for consultation messages after 48 h. */
  paidConsultation: boolean;
}) {
  const { stores, clock } = options;
  /** Users not yet told who wait for a plan year older than `pendingFor`. */
  let pending = new Set<string>();
  let pendingFor = -1;
  const latest = () => options.knowledge.latestCycle({ now: clock() })?.planYear;

  /** Reads again who waits for an older cycle than the newest: after a publication, and every round. */
  async function refresh(): Promise<void> {
    const newest = latest();
    if (newest === undefined) {
      pending = new Set();
      return;
    }
    pending = new Set(await stores.deadlineWatches.pending(newest, PENDING_IN_MEMORY));
    pendingFor = newest;
  }

  /** Hours after a Zalo user's last message within which the OA may write to them first. */
  const zaloWindowHours = options.paidConsultation ? ZALO_PAID_DAYS * 24 : ZALO_FREE_HOURS;

  /**
   * One round: tells the Zalo owners the OA may write to now, at most `limit` of them (a share of
   * the OA's quota); returns how many were told.
   */
  async function round(zaloMessages: ZaloMessages, limit: number): Promise<number> {
    const now = clock();
    const cycle = options.knowledge.latestCycle({ now });
    if (!cycle) return 0;
    const since = new Date(now.getTime() - zaloWindowHours * HOUR + WINDOW_MARGIN_MS);
    let told = 0;
    for (const watch of await stores.deadlineWatches.zaloWithinWindow(cycle.planYear, since, limit)) {
      // Claimed first: an owner who writes meanwhile is told by whichever claims, once. A crash
      // between the claim and the queue loses this one message rather than sending it twice.
      if ((await stores.deadlineWatches.claim(watch.userKey, cycle.planYear, now)) !== 'claimed') continue;
      pending.delete(watch.userKey);
      const userId = watch.userKey.slice('zalo:'.length);
      await stores.zalo.finish(
        `deadline-news:${userId}:${cycle.planYear}`,
        zaloMessages(userId, deadlineNewsText(cycle)),
        now,
      );
      told += 1;
    }
    return told;
  }

  return {
    refresh,
    /** Starts the watch of `userKey`; returns the hours within which they may be told before they write again (0: with their next message). */
    async watch(userKey: string, planYear: number): Promise<number> {
      await stores.deadlineWatches.watch(userKey, planYear, clock());
      return userKey.startsWith('zalo:') ? zaloWindowHours : 0;
    },
    /** True, once, when `userKey` waits for an older cycle than the newest and nobody has told them: tell them now. */
    async news(userKey: string): Promise<boolean> {
      if (!pending.has(userKey)) return false;
      pending.delete(userKey);
      return (await stores.deadlineWatches.claim(userKey, pendingFor, clock())) === 'claimed';
    },
    /**
     * For a watch kept in a conversation only (before the store kept them): whether someone already
     * told `userKey` of plan year `planYear`; when not, they are noted told now (the caller tells them).
     */
    async toldOf(userKey: string, planYear: number): Promise<boolean> {
      return (await stores.deadlineWatches.claim(userKey, planYear, clock())) === 'told';
    },
    /**
     * Reads the waiting set again, then runs a Zalo round (when Zalo is on) on one instance at a
     * time; returns how many were told (null when another instance runs the round).
     */
    async run(zaloMessages: ZaloMessages | undefined, limit: number): Promise<number | null> {
      await refresh();
      if (!zaloMessages) return 0;
      return (await stores.jobLock.tryRun('deadline-news', () => round(zaloMessages, limit))) ?? null;
    },
  };
}

/** The deadline watch's type. */
export type DeadlineNews = ReturnType<typeof deadlineNews>;

/**
 * Runs `run` every `intervalMs`: the waiting set read again, and with Zalo a round that queues at
 * most a tenth of a minute's quota (`requestsPerMinute`); returns the stop function.
 */
export function scheduleDeadlineNews(
  news: DeadlineNews,
  options: { zaloMessages?: ZaloMessages; requestsPerMinute: number; logger: Logger; intervalMs?: number },
): () => void {
  const limit = Math.max(1, Math.floor(options.requestsPerMinute / 10));
  const timer = setInterval(
    () => {
      news
        .run(options.zaloMessages, limit)
        .then((n) => n && options.logger.info({ told: n }, 'deadline news sent to owners on Zalo'))
        .catch((err: unknown) => options.logger.error({ err }, 'deadline news round failed'));
    },
    options.intervalMs ?? 2 * 60_000,
  );
  timer.unref();
  return () => clearInterval(timer);
}
