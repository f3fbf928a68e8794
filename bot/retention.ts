import type { Logger } from './logger.ts';
import type { Stores } from './stores.ts';

const DAY_MS = 86_400_000;
/** Zalo redelivers for about two hours; delivery keys are kept two days to be safe. */
export const DELIVERY_KEY_DAYS = 2;
/** "Báo cho tôi khi có hạn mới" is kept for a yearly cycle and a little more, then forgotten. */
export const DEADLINE_WATCH_DAYS = 400;

/** What one retention run deleted, or null when another instance was running it. */
export type RetentionResult = {
  drafts: number;
  userState: number;
  unanswered: number;
  deliveryKeys: number;
  owners: number;
  deadlineWatches: number;
} | null;

/** How long records are kept, in days. */
export interface RetentionPeriods {
  /** Drafts, conversation state and Zalo officer pauses untouched this long. */
  draftDays: number;
  /** Unanswered questions recorded this long ago. */
  unansweredDays: number;
}

/**
 * Deletes drafts, conversation state and Zalo officer pauses untouched for `draftDays`,
 * unanswered questions older than `unansweredDays`, and old delivery keys. A form in progress
 * keeps what the user typed in its conversation state as well as in the draft, so both go after
 * the same time; an unanswered question is masked, but its free text may still name someone. Only one instance runs it at a
 * time (a database lock); the others skip that round.
 */
export async function runRetention(stores: Stores, now: Date, periods: RetentionPeriods): Promise<RetentionResult> {
  const ago = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const result = await stores.jobLock.tryRun('retention', async () => ({
    drafts: await stores.registrations.purgeDrafts(ago(periods.draftDays)),
    userState: await stores.botState.purgeUserState(ago(periods.draftDays)),
    unanswered: await stores.unanswered.purge(ago(periods.unansweredDays)),
    deliveryKeys: await stores.deliveryKeys.purge(ago(DELIVERY_KEY_DAYS)),
    // A conversation's state is gone after draftDays untouched; who opened it need not outlive it.
    owners: await stores.conversations.purge(ago(periods.draftDays)),
    // A watch lasts a yearly cycle and a little more; once told, a month (it tells a later
    // message that the owner has heard the news already).
    deadlineWatches: await stores.deadlineWatches.purge(ago(DEADLINE_WATCH_DAYS), ago(30)),
  }));
  // What was purged is overwritten in the files too (a checkpoint empties SQLite's log).
  if (result) await stores.scrub();
  return result ?? null;
}

/** Runs retention now and then every `intervalMs`; returns a function that stops it. */
export function scheduleRetention(options: {
  stores: Stores;
  clock: () => Date;
  periods: RetentionPeriods;
  logger: Logger;
  intervalMs?: number;
}): () => void {
  const tick = () => {
    runRetention(options.stores, options.clock(), options.periods)
      .then((r) => r && Object.values(r).some((n) => n > 0) && options.logger.info(r, 'retention purge'))
      .catch((err: unknown) => options.logger.error({ err }, 'retention purge failed'));
  };
  tick();
  const timer = setInterval(tick, options.intervalMs ?? 3_600_000);
  timer.unref();
  return () => clearInterval(timer);
}
