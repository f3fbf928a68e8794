import type { Logger } from './logger.ts';
import type { Stores } from './stores.ts';

const DAY_MS = 86_400_000;
/** Zalo redelivers for about two hours; delivery keys are kept two days to be safe. */
export const DELIVERY_KEY_DAYS = 2;

/** What one retention run deleted, or null when another instance was running it. */
export type RetentionResult = { drafts: number; conversations: number; deliveryKeys: number } | null;

/**
 * Deletes drafts and conversation state untouched for `draftDays`, and old delivery keys. A form
 * in progress keeps what the user typed in its conversation state as well as in the draft, so both
 * go after the same time. Only one instance runs it at a time (a database lock); the others skip
 * that round.
 */
export async function runRetention(stores: Stores, now: Date, draftDays: number): Promise<RetentionResult> {
  const result = await stores.jobLock.tryRun('retention', async () => ({
    drafts: await stores.registrations.purgeDrafts(new Date(now.getTime() - draftDays * DAY_MS)),
    conversations: await stores.botState.purgeConversations(new Date(now.getTime() - draftDays * DAY_MS)),
    deliveryKeys: await stores.deliveryKeys.purge(new Date(now.getTime() - DELIVERY_KEY_DAYS * DAY_MS)),
  }));
  return result ?? null;
}

/** Runs retention now and then every `intervalMs`; returns a function that stops it. */
export function scheduleRetention(options: { stores: Stores; clock: () => Date; draftDays: number; logger: Logger; intervalMs?: number }): () => void {
  const tick = () => {
    runRetention(options.stores, options.clock(), options.draftDays)
      .then((r) => r && (r.drafts > 0 || r.conversations > 0 || r.deliveryKeys > 0) && options.logger.info(r, 'retention purge'))
      .catch((err: unknown) => options.logger.error({ err }, 'retention purge failed'));
  };
  tick();
  const timer = setInterval(tick, options.intervalMs ?? 3_600_000);
  timer.unref();
  return () => clearInterval(timer);
}
