import type { Logger } from '../../bot/logger.ts';
import type { ZaloStore } from '../../bot/stores.ts';
import type { ZaloEvent } from './zalo-events.ts';

/**
 * How long an instance holds an event it recorded or took (renewed every INBOX_SWEEP_MS while it
 * has it in hand). An event whose holder died is taken by the next sweep of any instance after
 * this; on SQLite (one instance) the restarted server takes them all at once.
 */
export const INBOX_CLAIM_MS = 60_000;
/** How often held events are renewed and events nobody holds are taken. */
export const INBOX_SWEEP_MS = 15_000;

/** What the inbox hands events to. */
export interface ZaloInboxOptions {
  store: Pick<ZaloStore, 'accept' | 'takeUnfinished' | 'renewClaims'>;
  /** Processes a recorded event; settles once its replies are queued and it is marked done. */
  handleEvent: (event: ZaloEvent, requestId?: string) => Promise<void>;
  /** Told when an event has been processed (its replies are in the outbox). */
  onProcessed?: () => void;
  logger: Logger;
  clock?: () => number;
}

/**
 * The Zalo inbox of one instance: records accepted events (before Zalo is answered), hands them
 * on, and holds them in the store while it has them, so that no other instance processes them
 * too; takes the events left unfinished by an instance that died (or by this one before a
 * restart), in the order they happened.
 */
export class ZaloInbox {
  private readonly inHand = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private readonly clock: () => number;

  constructor(private readonly options: ZaloInboxOptions) {
    this.clock = options.clock ?? Date.now;
  }

  /** Events this instance has recorded or taken and not yet processed. */
  held(): number {
    return this.inHand.size;
  }

  /** Records an event; true when it is new (then call `process`), false for a redelivery. */
  async accept(
    key: string,
    event: ZaloEvent & { userId: string },
    eventAt: Date,
    interactionAt: Date | undefined,
  ): Promise<boolean> {
    const now = this.clock();
    const fresh = await this.options.store.accept(
      {
        key,
        userId: event.userId,
        event,
        eventAt,
        ...(interactionAt ? { interactionAt } : {}),
        claimUntil: new Date(now + INBOX_CLAIM_MS),
      },
      new Date(now),
    );
    if (fresh) this.inHand.add(key);
    return fresh;
  }

  /** Hands on an event this instance holds; its user's earlier events go first (the order of the calls). */
  process(key: string, event: ZaloEvent, requestId?: string): void {
    this.inHand.add(key);
    this.options
      .handleEvent(event, requestId)
      .catch((err: unknown) => {
        this.options.logger.error(
          { err: err instanceof Error ? err.message : String(err), channel: 'zalo' },
          'zalo event processing failed; it is taken again later',
        );
      })
      .finally(() => {
        this.inHand.delete(key);
        this.options.onProcessed?.();
      });
  }

  /**
   * Takes the events nobody holds (every unfinished one with `all`: at start on SQLite, where no
   * other instance runs) and hands them on in the order they happened; call at start before the
   * webhook takes new deliveries, so each user's events keep their order. Resolves with how many.
   */
  async resume(all = false): Promise<number> {
    const now = this.clock();
    const taken = (await this.options.store.takeUnfinished(new Date(now), new Date(now + INBOX_CLAIM_MS), all)).filter(
      (e) => !this.inHand.has(e.key),
    );
    for (const { key, event } of taken) this.process(key, event as ZaloEvent);
    if (taken.length > 0)
      this.options.logger.info(
        { channel: 'zalo', events: taken.length },
        'zalo events recorded and not processed (a stop, a crash) are processed now',
      );
    return taken.length;
  }

  /** Renews what this instance holds and takes what nobody holds, every INBOX_SWEEP_MS. */
  start(sweepMs = INBOX_SWEEP_MS): void {
    this.timer = setInterval(() => void this.sweep(), sweepMs).unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async sweep(): Promise<void> {
    try {
      if (this.inHand.size > 0)
        await this.options.store.renewClaims([...this.inHand], new Date(this.clock() + INBOX_CLAIM_MS));
      await this.resume();
    } catch (err) {
      this.options.logger.error(
        { err: err instanceof Error ? err.message : String(err), channel: 'zalo' },
        'zalo inbox not swept',
      );
    }
  }
}
