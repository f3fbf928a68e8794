import { createHash } from 'node:crypto';
import type { Middleware, TurnContext } from 'botbuilder';
import type { Logger } from './logger.ts';
import type { MetricEvents } from './metrics.ts';
import { turnRequestId } from './request-context.ts';

/** Messages longer than this are cut before the bot reads them, with a note to the user. */
export const MAX_MESSAGE_CHARS = 2000;
const TOO_LONG = 'Dạ, tin nhắn của bạn dài hơn 2.000 ký tự nên tôi chỉ đọc phần đầu.';
const TOO_FAST = 'Dạ, bạn nhắn hơi nhanh. Bạn vui lòng chờ một chút rồi gửi tiếp nhé.';

const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** Logs each turn (ids hashed, no text) and counts it: channel, latency, outcome. */
export function turnLogging(logger: Logger, metrics?: MetricEvents): Middleware {
  return {
    async onTurn(context: TurnContext, next) {
      const started = performance.now();
      const outcomes: string[] = [];
      context.onSendActivities(async (_ctx, activities, nextSend) => {
        for (const a of activities) {
          const outcome = (a.entities?.find((e) => e.type === 'kc.answer') as { outcome?: string } | undefined)?.outcome;
          if (outcome) outcomes.push(outcome);
        }
        return nextSend();
      });
      try {
        await next();
      } finally {
        const seconds = (performance.now() - started) / 1000;
        const { activity } = context;
        metrics?.turn(activity.channelId, seconds);
        for (const o of outcomes) metrics?.outcome(o);
        logger.info(
          { requestId: turnRequestId(context.turnState), channel: activity.channelId, conversation: hash(`${activity.channelId}:${activity.conversation?.id ?? ''}`), type: activity.type, latencyMs: Math.round(seconds * 10_000) / 10, outcome: outcomes[0] ?? (activity.type === 'message' ? 'flow' : 'none') },
          'turn',
        );
      }
    },
  };
}

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

/** At most `perMinute` messages a minute from one user of one channel; past that, a polite reply. */
export function rateLimitPerUser(perMinute: number, now: () => number = Date.now): Middleware {
  const seen = new Map<string, number[]>();
  return {
    async onTurn(context, next) {
      const { activity } = context;
      if (activity.type !== 'message' || perMinute <= 0) return next();
      const key = `${activity.channelId}:${activity.from?.id ?? ''}`;
      const t = now();
      const recent = (seen.get(key) ?? []).filter((x) => t - x < 60_000);
      if (recent.length >= perMinute) {
        seen.set(key, recent);
        await context.sendActivity(TOO_FAST);
        return;
      }
      recent.push(t);
      seen.set(key, recent);
      // Forget users who went quiet, so the map does not grow without bound.
      if (seen.size > 10_000) for (const [k, v] of seen) if (v.every((x) => t - x >= 60_000)) seen.delete(k);
      await next();
    },
  };
}
