import type { Middleware, TurnContext } from 'botbuilder';
import type { Logger } from './logger.ts';
import type { MetricEvents } from './metrics.ts';
import { loggedConversation } from './privacy.ts';
import { turnRequestId } from './request-context.ts';

/** Messages longer than this are cut before the bot reads them, with a note to the user. */
export const MAX_MESSAGE_CHARS = 2000;
const TOO_LONG = 'Dạ, tin nhắn của bạn dài hơn 2.000 ký tự nên tôi chỉ đọc phần đầu.';
const TOO_FAST = 'Dạ, bạn nhắn hơi nhanh. Bạn vui lòng chờ một chút rồi gửi tiếp nhé.';

/** Logs each turn (ids hashed with `salt`, no text) and counts it: channel, latency, outcome, failure. */
export function turnLogging(logger: Logger, salt: string, metrics?: MetricEvents): Middleware {
  return {
    async onTurn(context: TurnContext, next) {
      const started = performance.now();
      const outcomes: string[] = [];
      context.onSendActivities(async (_ctx, activities, nextSend) => {
        for (const a of activities) {
          const outcome = (a.entities?.find((e) => e.type === 'kc.answer') as { outcome?: string } | undefined)
            ?.outcome;
          if (outcome) outcomes.push(outcome);
        }
        return nextSend();
      });
      let failed = false;
      try {
        await next();
      } catch (error) {
        // The adapter's turn error handler logs it and apologises.
        failed = true;
        throw error;
      } finally {
        const seconds = (performance.now() - started) / 1000;
        const { activity } = context;
        metrics?.turn(activity.channelId, seconds);
        if (failed) metrics?.turnError(activity.channelId);
        for (const o of outcomes) metrics?.outcome(o);
        const outcome = failed ? 'error' : (outcomes[0] ?? (activity.type === 'message' ? 'flow' : 'none'));
        logger.info(
          {
            requestId: turnRequestId(context.turnState),
            channel: activity.channelId,
            conversation: loggedConversation(salt, activity.channelId, activity.conversation?.id),
            type: activity.type,
            latencyMs: Math.round(seconds * 10_000) / 10,
            outcome,
          },
          'turn',
        );
      }
    },
  };
}

// C0 and C1 controls but the line feed, zero-width characters, bidirectional marks, overrides and
// isolates, the byte-order mark and lone surrogates: invisible in a chat, yet they break storage
// (PostgreSQL refuses NUL in text), disguise text ("Trojan Source") or split words.
const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- removing control characters is this expression's purpose
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text as the bot keeps and reads it: tabs as spaces, one kind of line break, invisible and
 * control characters removed, Unicode composed (NFC), so "Hà Nội" typed with combining marks is
 * the same as the precomposed one and Vietnamese stays intact.
 */
export function cleanUserText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ').replace(INVISIBLE, '').normalize('NFC');
}

/** Strings inside a submitted value, cleaned the same way (values are shallow: channels' buttons and cards). */
function cleanValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return cleanUserText(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => cleanValue(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [cleanUserText(k), cleanValue(v, depth + 1)]));
}

/** Cleans what a user sent (text and submitted values) before anything reads or stores it, on every channel. */
export const cleanIncomingText: Middleware = {
  async onTurn(context, next) {
    const { activity } = context;
    if (typeof activity.text === 'string') activity.text = cleanUserText(activity.text);
    if (activity.value !== undefined) activity.value = cleanValue(activity.value);
    await next();
  },
};

/** Cuts messages over MAX_MESSAGE_CHARS and says so. */
export const truncateLongMessages: Middleware = {
  async onTurn(context, next) {
    const { activity } = context;
    if (activity.type === 'message' && typeof activity.text === 'string' && activity.text.length > MAX_MESSAGE_CHARS) {
      activity.text = activity.text.slice(0, MAX_MESSAGE_CHARS);
      await context.sendActivity(TOO_LONG);
    }
    await next();
  },
};

/** Users remembered by the per-user limit at most; past this the least recently active are forgotten. */
export const RATE_LIMIT_MAX_USERS = 50_000;

/**
 * A sliding one-minute window of message times per user. The map is kept in order of last
 * activity (a user moves to its end on every message), so users idle for a minute are dropped
 * from its front, a few at a time: the cost of a message does not grow with the number of users.
 */
export class UserRateLimiter {
  private readonly seen = new Map<string, number[]>();

  constructor(
    private readonly perMinute: number,
    private readonly maxUsers = RATE_LIMIT_MAX_USERS,
  ) {}

  /** Counts a message of `key` at `t` (ms) and says whether it is within the limit. */
  take(key: string, t: number): boolean {
    let times = this.seen.get(key);
    if (times) {
      let expired = 0;
      while (expired < times.length && t - times[expired] >= 60_000) expired += 1;
      if (expired > 0) times.splice(0, expired);
      this.seen.delete(key);
    }
    const allowed = (times?.length ?? 0) < this.perMinute;
    // Most users write once or twice a minute: a one-element array is a fraction of an empty one that grew.
    if (allowed && times) times.push(t);
    else if (allowed) times = [t];
    if (times) this.seen.set(key, times);
    for (const [k, v] of this.seen) {
      if (t - v[v.length - 1] < 60_000 && this.seen.size <= this.maxUsers) break;
      this.seen.delete(k);
    }
    return allowed;
  }

  /** Users remembered now. */
  get size(): number {
    return this.seen.size;
  }
}

/** At most `perMinute` messages a minute from one user of one channel; past that, a polite reply. */
export function rateLimitPerUser(perMinute: number, now: () => number = Date.now): Middleware {
  const limiter = new UserRateLimiter(perMinute);
  return {
    async onTurn(context, next) {
      const { activity } = context;
      if (activity.type !== 'message' || perMinute <= 0) return next();
      if (!limiter.take(`${activity.channelId}:${activity.from?.id ?? ''}`, now())) {
        await context.sendActivity(TOO_FAST);
        return;
      }
      await next();
    },
  };
}
