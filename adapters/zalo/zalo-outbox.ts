import type { Logger } from '../../bot/logger.ts';
import type { MetricEvents } from '../../bot/metrics.ts';
import { loggedConversation } from '../../bot/privacy.ts';
import type { JobLock, ZaloOutboxMessage, ZaloStore } from '../../bot/stores.ts';
import {
  RATE_LIMITED,
  TOKEN_ERRORS,
  ZALO_ERROR_ADVICE,
  ZaloApiError,
  ZaloHttpError,
  type ZaloClient,
} from './zalo-client.ts';
import type { ZaloOutgoing } from './zalo-mapping.ts';

/**
 * At most `limit` calls in any window of `windowMs` (Zalo states its package limits per minute),
 * handed out first come, first served. A call counts from when it is let through until `windowMs`
 * after it ended (the function `acquire` resolves with): Zalo counts it somewhere in between, and
 * a request that reached Zalo late (a busy thread, a slow network) must not let the next window's
 * calls overlap with it there.
 */
export class SlidingWindowLimiter {
  /** When each finished call ended, nearly in order (calls end out of order; the oldest go first). */
  private readonly ended: number[] = [];
  private head = 0;
  private running = 0;
  private chain: Promise<void> = Promise.resolve();
  private pausedUntil = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly clock: () => number = Date.now,
    // The wait does not keep a stopping process alive.
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms).unref()),
  ) {}

  /** Resolves when the next call may go, with the function to call once it has ended. */
  acquire(): Promise<() => void> {
    const turn = this.chain.then(() => this.take());
    this.chain = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  /** No call goes for `ms` (Zalo said the limit was reached all the same). */
  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock() + ms);
  }

  private async take(): Promise<() => void> {
    for (;;) {
      const now = this.clock();
      while (this.head < this.ended.length && this.ended[this.head] <= now - this.windowMs) this.head += 1;
      if (this.head > 1024) {
        this.ended.splice(0, this.head);
        this.head = 0;
      }
      const used = this.running + this.ended.length - this.head;
      // Every slot taken by calls still running: look again shortly.
      const full =
        used >= this.limit ? (this.ended.length > this.head ? this.ended[this.head] + this.windowMs - now : 50) : 0;
      const wait = Math.max(this.pausedUntil - now, full);
      if (wait <= 0) {
        this.running += 1;
        let ended = false;
        return () => {
          if (ended) return;
          ended = true;
          this.running -= 1;
          this.ended.push(this.clock());
        };
      }
      await this.sleep(Math.max(1, wait));
    }
  }
}

/** A user's last interaction is kept this long (Zalo's 7-day window, and a day to spare). */
export const INTERACTION_KEEP_MS = 8 * 86_400_000;
/** A message that cannot be sent within this long after its turn is given up (and logged). */
export const OUTBOX_MAX_AGE_MS = 6 * 3_600_000;
/**
 * How long a message taken for sending is left to this instance before another may take it: a
 * send is taken once its rate-limit slot is, and takes at most three 5-second tries.
 */
export const OUTBOX_CLAIM_MS = 30_000;
/** Waits before a message is tried again: after a network failure (doubling), and after a refusal an operator must mend. */
const RETRY_FIRST_MS = 2_000;
const RETRY_MAX_MS = 300_000;
const OPERATOR_RETRY_MS = 300_000;
/** After Zalo's own -32 no call goes for this long. */
const RATE_LIMIT_PAUSE_MS = 30_000;
/** Each error code's advice is logged at most this often. */
const ADVICE_EVERY_MS = 300_000;
/** Codes that only the operator can mend: the message waits (up to OUTBOX_MAX_AGE_MS) rather than being dropped. */
const OPERATOR_ERRORS = new Set([...TOKEN_ERRORS, -212, -224]);

/** What the sender needs. */
export interface ZaloOutboxOptions {
  store: ZaloStore;
  client: Pick<ZaloClient, 'send'>;
  /** The OA's rate limit the client's calls go through; paused when Zalo answers -32 all the same. */
  limiter?: SlidingWindowLimiter;
  logger: Logger;
  /** Salts the user's hash in log lines (USER_HASH_SALT). */
  salt: string;
  metrics?: MetricEvents;
  /** Sends at once (each user one at a time, in order). */
  concurrency?: number;
  /** How often the outbox is looked at besides when told of new messages. */
  pollMs?: number;
  /** Forgets done events and finished messages older than this (kept to spot redeliveries and echoes). */
  keepMs?: number;
  /** Runs the hourly purge on one instance at a time. */
  jobLock?: JobLock;
  clock?: () => Date;
  /** Tells of each message Zalo took, with how long it waited in the outbox. */
  onSent?: (message: ZaloOutboxMessage, waitedMs: number) => void;
}

/**
 * Sends the replies waiting in the outbox: each user's in order, one at a time, several users at
 * once, every call through the OA's rate limit (the client's throttle). A message Zalo took is
 * marked sent; one it refused for good, failed; one that met a network failure or a refusal the
 * operator can mend waits and is tried again. A restart loses nothing: what was not marked is
 * sent then (a message whose send was under way when the process died may go twice).
 */
export class ZaloOutbox {
  private readonly inFlight = new Map<string, Promise<void>>();
  private draining: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private stopping!: () => void;
  private readonly stopped$ = new Promise<void>((resolve) => (this.stopping = resolve));
  private timers: NodeJS.Timeout[] = [];
  private readonly advised = new Map<number, number>();
  private readonly clock: () => Date;

  constructor(private readonly options: ZaloOutboxOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  /** Starts sending, after making every waiting message due now when `releaseClaims` (one instance: SQLite). */
  async start(releaseClaims: boolean): Promise<void> {
    if (releaseClaims) await this.options.store.releaseClaims(this.clock());
    this.timers.push(setInterval(() => this.poke(), this.options.pollMs ?? 1_000).unref());
    this.timers.push(setInterval(() => void this.purge(), 3_600_000).unref());
    this.poke();
  }

  /** Messages being sent now. */
  sending(): number {
    return this.inFlight.size;
  }

  /** Looks for messages to send now (new ones were queued). */
  poke(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drain()
      .catch((err: unknown) =>
        this.options.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'zalo outbox not read'),
      )
      .finally(() => {
        this.draining = undefined;
        if (this.again) {
          this.again = false;
          this.poke();
        }
      });
  }

  /** Stops taking messages and waits for the sends under way (the rest stay queued for the next start). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping();
    for (const t of this.timers) clearInterval(t);
    await this.draining;
    await Promise.allSettled([...this.inFlight.values()]);
  }

  private async purge(): Promise<void> {
    const now = this.clock().getTime();
    // Past 7 days Zalo lets the OA send a user nothing: their last interaction no longer matters.
    const run = () =>
      this.options.store.purge(
        new Date(now - (this.options.keepMs ?? 2 * 86_400_000)),
        new Date(now - INTERACTION_KEEP_MS),
      );
    await (this.options.jobLock ? this.options.jobLock.tryRun('zalo-purge', run) : run()).catch((err: unknown) =>
      this.options.logger.error(
        { err: err instanceof Error ? err.message : String(err) },
        'zalo inbox and outbox not purged',
      ),
    );
  }

  private async drain(): Promise<void> {
    const concurrency = this.options.concurrency ?? 16;
    for (;;) {
      if (this.stopped) return;
      const due = (await this.options.store.nextToSend(this.clock(), concurrency * 4)).filter(
        (m) => !this.inFlight.has(m.userId),
      );
      if (due.length === 0) return;
      for (const message of due) {
        if (this.stopped) return;
        while (this.inFlight.size >= concurrency) await Promise.race([...this.inFlight.values(), this.stopped$]);
        if (this.stopped) return;
        // A stop does not wait for the next slot of the rate limit.
        const slot =
          (this.options.limiter ? await Promise.race([this.options.limiter.acquire(), this.stopped$]) : undefined) ??
          undefined;
        if (this.stopped) return slot?.();
        const now = this.clock();
        const claimed = await this.options.store
          .claim(message.id, now, new Date(now.getTime() + OUTBOX_CLAIM_MS))
          .catch((err: unknown) => {
            slot?.();
            throw err;
          });
        if (!claimed) {
          slot?.();
          continue;
        }
        const sending = this.send(message, slot)
          .catch((err: unknown) =>
            this.options.logger.error(
              { err: err instanceof Error ? err.message : String(err) },
              'zalo outbox not updated after a send',
            ),
          )
          .finally(() => {
            this.inFlight.delete(message.userId);
            this.poke();
          });
        this.inFlight.set(message.userId, sending);
      }
    }
  }

  private async send(message: ZaloOutboxMessage, slot: (() => void) | undefined): Promise<void> {
    const { store, logger } = this.options;
    let messageId: string | undefined;
    try {
      messageId = await this.options.client.send(message.body as unknown as ZaloOutgoing, { slot });
    } catch (error) {
      // A send that failed before its first call (no token, a refresh refused) gives its slot back.
      slot?.();
      const now = this.clock();
      const user = loggedConversation(this.options.salt, 'zalo', message.userId);
      const code = error instanceof ZaloApiError ? error.code : undefined;
      if (code !== undefined) this.advise(code);
      const tooOld = now.getTime() - message.createdAt.getTime() > OUTBOX_MAX_AGE_MS;
      let retryIn: number | undefined;
      if (code === RATE_LIMITED) retryIn = RATE_LIMIT_PAUSE_MS;
      else if (code !== undefined && OPERATOR_ERRORS.has(code)) retryIn = OPERATOR_RETRY_MS;
      else if (
        error instanceof ZaloHttpError &&
        (error.status === undefined || error.status >= 500 || error.status === 429)
      )
        retryIn = Math.min(RETRY_FIRST_MS * 2 ** message.attempts, RETRY_MAX_MS);
      else if (!(error instanceof ZaloApiError) && !(error instanceof ZaloHttpError)) retryIn = RETRY_FIRST_MS;
      if (retryIn !== undefined && !tooOld) {
        if (code === RATE_LIMITED) this.options.limiter?.pauseFor(RATE_LIMIT_PAUSE_MS);
        logger.warn(
          {
            channel: 'zalo',
            user,
            code,
            attempts: message.attempts + 1,
            retryInMs: retryIn,
            err: error instanceof Error ? error.message : String(error),
          },
          'zalo send failed; it will be tried again',
        );
        await store.retryLater(message.id, new Date(now.getTime() + retryIn));
        return;
      }
      logger.warn(
        { channel: 'zalo', user, code, err: error instanceof Error ? error.message : String(error) },
        tooOld ? 'zalo message given up: it could not be sent in time' : 'zalo send refused; the message is not sent',
      );
      await store.markFailed(
        message.id,
        code !== undefined ? `zalo error ${code}` : tooOld ? 'too old' : 'refused',
        now,
      );
      return;
    }
    const now = this.clock();
    await store.markSent(message.id, messageId ?? null, now);
    this.options.onSent?.(message, now.getTime() - message.createdAt.getTime());
  }

  /** One clear line per error code, at most every ADVICE_EVERY_MS: what the operator should do. */
  private advise(code: number): void {
    const advice = ZALO_ERROR_ADVICE[code];
    if (!advice) return;
    const now = this.clock().getTime();
    if ((this.advised.get(code) ?? -Infinity) > now - ADVICE_EVERY_MS) return;
    this.advised.set(code, now);
    // A user silent for 7 days is the user's doing, not a fault of the setup.
    if (code === -230) this.options.logger.warn({ channel: 'zalo', code }, advice);
    else this.options.logger.error({ channel: 'zalo', code }, advice);
  }
}
