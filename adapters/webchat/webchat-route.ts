import type { Activity } from 'botbuilder';
import express, { type Request, type Response, type Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import type { LocalMessage } from '../local/in-process-adapter.ts';

const Id = z.string().trim().min(1).max(128).regex(/^[\w.:@-]+$/, 'only letters, digits and . _ : @ -');

/** The body of POST /api/webchat. */
export const WebchatRequestSchema = z.union([
  z.strictObject({ conversationId: Id, userId: Id, text: z.string().max(20_000) }),
  z.strictObject({ conversationId: Id, userId: Id, value: z.record(z.string(), z.unknown()) }),
]);

/** A reply as the web chat contract shows it. */
export function toWebchatActivity(activity: Partial<Activity>) {
  return {
    type: activity.type ?? 'message',
    text: activity.text ?? '',
    suggestedActions: { actions: (activity.suggestedActions?.actions ?? []).map((a) => ({ title: String(a.title ?? ''), value: a.value })) },
    attachments: activity.attachments ?? [],
    entities: activity.entities ?? [],
  };
}

/** Runs one web chat turn and returns the bot's replies. */
export type WebchatTurn = (message: LocalMessage) => Promise<Partial<Activity>[]>;

/** POST /api/webchat: one user turn in, the bot's replies out (on this thread or a turn worker). */
export function webchatRouter(turn: WebchatTurn, options: { requestsPerMinute?: number } = {}): Router {
  const router = express.Router();
  const perAddress = options.requestsPerMinute
    ? [rateLimit({ windowMs: 60_000, limit: options.requestsPerMinute, standardHeaders: 'draft-8', legacyHeaders: false, message: { error: 'too_many_requests', message: 'Dạ, bạn gửi quá nhiều tin nhắn trong một phút. Bạn vui lòng thử lại sau ít phút.' } })]
    : [];
  router.post('/api/webchat', ...perAddress, express.json({ limit: '64kb', strict: true }), async (req: Request, res: Response) => {
    const parsed = WebchatRequestSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: 'invalid_request', message: 'Yêu cầu không hợp lệ: cần conversationId, userId và text hoặc value.' });
      return;
    }
    const replies = await turn(parsed.data);
    res.json({ activities: replies.map(toWebchatActivity) });
  });
  return router;
}
