/**
 * Owners who asked "báo cho tôi khi có hạn mới" are told of the next cycle's deadlines once they
 * are published. On Zalo the OA may write first only within the interaction window (free within
 * 48 hours of the owner's last message, paid consultation messages up to 7 days where the
 * deployment enables them, never after); everyone else, and Zalo owners outside the window, are
 * told with their next message (dialogs/main-dialog.ts). Each owner is told once: the watch is
 * taken by whichever tells first.
 */
import { deadlineNewsText } from '../dialogs/index.ts';
import type { KnowledgeBase } from '../knowledge/index.ts';
import type { Logger } from './logger.ts';
import { ZALO_FREE_HOURS, ZALO_PAID_DAYS, type ZaloMessages } from './owner-messages.ts';
import type { Stores } from './stores.ts';

const HOUR = 3_600_000;
/** The most owners one round looks at (newest watches first); the rest are looked at the next round or told when they write. */
export const DEADLINE_NEWS_BATCH = 1_000;

/** The proactive side of the deadline watch. */
export function deadlineNews(options: {
  stores: Pick<Stores, 'deadlineWatches' | 'zalo' | 'jobLock'>;
  knowledge: Pick<KnowledgeBase, 'latestCycle'>;
  clock: () => Date;
  logger: Logger;
  /** ZALO_PAID_CONSULTATION: the OA's ZBS account is funded for consultation messages after 48 h. */
  paidConsultation: boolean;
  /** Zalo's messages of a text; absent when Zalo is off. */
  zaloMessages?: ZaloMessages;
}) {
  const { stores, clock } = options;

  /** Tells every Zalo owner waiting for a cycle older than the newest whom the OA may write to now; returns how many. */
  async function round(): Promise<number> {
    const now = clock();
    const cycle = options.knowledge.latestCycle({ now });
    if (!cycle || !options.zaloMessages) return 0;
    let told = 0;
    for (const watch of await stores.deadlineWatches.waiting('zalo', cycle.planYear, DEADLINE_NEWS_BATCH)) {
      const userId = watch.userKey.slice('zalo:'.length);
      const last = await stores.zalo.lastInteraction(userId);
      const age = last ? now.getTime() - last.getTime() : Infinity;
      const mayWrite = age <= ZALO_FREE_HOURS * HOUR || (options.paidConsultation && age <= ZALO_PAID_DAYS * 24 * HOUR);
      if (!mayWrite) continue;
      // Queued under a key of its own first (queuing it again queues nothing), then the watch is
      // ended: a crash between the two sends it once, at the next round.
      await stores.zalo.finish(
        `deadline-news:${userId}:${cycle.planYear}`,
        options.zaloMessages(userId, deadlineNewsText(cycle)),
        now,
      );
      await stores.deadlineWatches.take(watch.userKey);
      told += 1;
    }
    return told;
  }

  /** One round now, on one instance at a time; null when another instance is running one. */
  const run = async (): Promise<number | null> => (await stores.jobLock.tryRun('deadline-news', round)) ?? null;

  return {
    run,
    /** A round every `intervalMs`; returns the stop function. */
    schedule(intervalMs = 10 * 60_000): () => void {
      const timer = setInterval(() => {
        void run()
          .then((n) => n && options.logger.info({ told: n }, 'deadline news sent to owners on Zalo'))
          .catch((err: unknown) => options.logger.error({ err }, 'deadline news round failed'));
      }, intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
