import type { Activity } from 'botbuilder';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import proxyaddr from 'proxy-addr';
import { z } from 'zod';
import type { ConversationOwnerStore } from '../../bot/stores.ts';
import { TURN_ERROR_TEXT } from '../../bot/turn-error.ts';
import { within } from '../../bot/within.ts';
import type { LocalMessage } from '../local/in-process-adapter.ts';
import { readJson, sendJson, type HttpRoute } from '../../bot/http-route.ts';

const Id = z
  .string()
  .trim()
  .min(1)
  .max(128)
  .regex(/^[\w.:@-]+$/, 'only letters, digits and . _ : @ -');

/** The channel id of web chat turns, and of the conversations and user keys they own. */
export const WEBCHAT_CHANNEL = 'webchat';

/** The body of POST /api/webchat. */
export const WebchatRequestSchema = z.union([
  z.strictObject({ conversationId: Id, userId: Id, text: z.string().max(20_000) }),
  z.strictObject({ conversationId: Id, userId: Id, value: z.record(z.string(), z.unknown()) }),
]);

/** A reply as the web chat contract shows it. */
export interface WebchatActivity {
  type: string;
  text: string;
  suggestedActions: { actions: { title: string; value: unknown }[] };
  attachments: unknown[];
  entities: unknown[];
}

/** Maps a bot reply to the web chat contract (on the thread that ran the turn, so only this crosses threads). */
export function toWebchatActivity(activity: Partial<Activity>): WebchatActivity {
  return {
    type: activity.type ?? 'message',
    text: activity.text ?? '',
    suggestedActions: {
      actions: (activity.suggestedActions?.actions ?? []).map((a) => ({
        title: String(a.title ?? ''),
        value: a.value as unknown,
      })),
    },
    attachments: activity.attachments ?? [],
    entities: activity.entities ?? [],
  };
}

/** Runs one web chat turn and returns the bot's replies. */
export type WebchatTurn = (message: LocalMessage) => Promise<WebchatActivity[]>;

/** How long the owner check waits for a store that does not answer before the user is told. */
const OWNER_CHECK_MS = 5_000;

/** POST /api/webchat: one user turn in, the bot's replies out. */
export function webchatRoute(
  turn: WebchatTurn,
  options: { requestsPerMinute?: number; trustedProxies?: string[]; owners?: ConversationOwnerStore } = {},
): HttpRoute {
  const limiter = options.requestsPerMinute
    ? perAddressLimit(options.requestsPerMinute, options.trustedProxies ?? [])
    : undefined;
  return {
    method: 'POST',
    path: '/api/webchat',
    async handle(req, res, requestId) {
      if (limiter && !(await limiter(req, res))) return;
      const parsed = WebchatRequestSchema.safeParse(await readJson(req, 64 * 1024));
      if (!parsed.success)
        return sendJson(res, 400, {
          error: 'invalid_request',
          message: 'Yêu cầu không hợp lệ: cần conversationId, userId và text hoặc value.',
        });
      // Both ids come from the browser: a conversation stays with the user who first kept
      // something in it (a form, a judged case: the runtime claims it with its first state write),
      // so another user id cannot read or continue it. Plain questions keep nothing to protect.
      const { conversationId, userId } = parsed.data;
      // Owners are named by the user key records are filed under (channel:user id, userKeyOf).
      const owner = options.owners
        ? await within(
            options.owners.ownerOf(WEBCHAT_CHANNEL, conversationId),
            OWNER_CHECK_MS,
            'checking the conversation owner',
          ).catch((error: unknown) => error as Error)
        : undefined;
      // The store failed: the owner cannot be told apart, so nothing is read or written.
      if (owner instanceof Error) return sendJson(res, 503, { error: 'store_unavailable', message: TURN_ERROR_TEXT });
      if (owner !== undefined && owner !== `${WEBCHAT_CHANNEL}:${userId}`) {
        return sendJson(res, 403, {
          error: 'conversation_of_another_user',
          message:
            'Dạ, cuộc trò chuyện này thuộc về người dùng khác. Anh/chị vui lòng tải lại trang để bắt đầu cuộc trò chuyện mới.',
        });
      }
      const replies = await turn({ ...parsed.data, requestId });
      sendJson(res, 200, { activities: replies });
    },
  };
}

/**
 * At most `perMinute` requests a minute from one address (an IPv6 /56 counts as one); resolves
 * whether to go on. The address is the socket's, or behind the `trustedProxies` the client's
 * from X-Forwarded-For: otherwise every user behind a reverse proxy would share one limit.
 */
function perAddressLimit(
  perMinute: number,
  trustedProxies: string[],
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const trust = proxyaddr.compile(trustedProxies);
  const limit = rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    // node:http requests and responses, not Express ones: the draft-7 headers are set with
    // setHeader (draft-8's need Express's res.append), and the address comes from the socket.
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) =>
      ipKeyGenerator(trustedProxies.length > 0 ? proxyaddr(req, trust) : (req.socket.remoteAddress ?? 'unknown')),
    handler: (_req, res) =>
      sendJson(res, 429, {
        error: 'too_many_requests',
        message: 'Dạ, bạn gửi quá nhiều tin nhắn trong một phút. Bạn vui lòng thử lại sau ít phút.',
      }),
    validate: false,
  });
  return (req, res) =>
    new Promise((resolve, reject) => {
      const next = (error?: unknown) =>
        error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(true);
      // Settles after `next` when the request may go on, or after the 429 has been sent.
      Promise.resolve(limit(req as Request, res as Response, next)).then(() => resolve(false), reject);
    });
}
