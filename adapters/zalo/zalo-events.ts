import { z } from 'zod';

const Id = z.union([z.string(), z.number()]).transform(String);

/** Fields every Zalo OA webhook event carries. IDs are kept as strings. */
const Base = z.object({
  app_id: Id,
  event_name: z.string(),
  timestamp: Id,
});

const Attachment = z.object({ type: z.string(), payload: z.unknown().optional() }).passthrough();

/** A user message (text or any attachment). */
export const UserMessageEvent = Base.extend({
  event_name: z.string().regex(/^user_send_/),
  sender: z.object({ id: Id }),
  recipient: z.object({ id: Id }),
  message: z
    .object({ msg_id: Id, text: z.string().optional(), attachments: z.array(Attachment).optional() })
    .passthrough(),
});

/** follow / unfollow. */
export const FollowEvent = Base.extend({
  event_name: z.enum(['follow', 'unfollow']),
  oa_id: Id.optional(),
  follower: z.object({ id: Id }),
});

/** The user answered a request_user_info template. */
export const SubmitInfoEvent = Base.extend({
  event_name: z.literal('user_submit_info'),
  sender: z.object({ id: Id }),
  recipient: z.object({ id: Id }).optional(),
  info: z
    .object({
      name: z.string().optional(),
      phone: z.string().optional(),
      address: z.string().optional(),
      city: z.string().optional(),
      district: z.string().optional(),
      ward: z.string().optional(),
    })
    .passthrough(),
});

/** A message the OA sent: our own echo, or an officer typing in the OA Manager. */
export const OaSendEvent = Base.extend({
  event_name: z.string().regex(/^oa_send_/),
  sender: z.object({ id: Id }),
  recipient: z.object({ id: Id }),
  message: z.object({ msg_id: Id, text: z.string().optional() }).passthrough(),
});

/** What the webhook understands, as a tagged union the adapter switches on. */
export type ZaloEvent =
  | { kind: 'message'; appId: string; userId: string; msgId: string; text: string; timestamp?: string }
  | { kind: 'unsupported-message'; appId: string; userId: string; msgId: string; type: string; timestamp?: string }
  | { kind: 'follow' | 'unfollow'; appId: string; userId: string; timestamp: string }
  | {
      kind: 'submit-info';
      appId: string;
      userId: string;
      timestamp: string;
      info: { name?: string; phone?: string; address?: string };
    }
  | { kind: 'oa-send'; appId: string; userId: string; msgId: string; type: string; text?: string; timestamp?: string }
  | { kind: 'unknown'; appId: string; eventName: string };

/** Reads a parsed webhook body; never throws. Returns undefined when it is not a Zalo event at all. */
export function parseZaloEvent(body: unknown): ZaloEvent | undefined {
  const base = Base.safeParse(body);
  if (!base.success) return undefined;
  const { app_id: appId, event_name: name } = base.data;
  if (name === 'user_send_text') {
    const e = UserMessageEvent.safeParse(body);
    if (e.success && typeof e.data.message.text === 'string')
      return {
        kind: 'message',
        appId,
        userId: e.data.sender.id,
        msgId: e.data.message.msg_id,
        text: e.data.message.text,
        timestamp: e.data.timestamp,
      };
  } else if (name.startsWith('user_send_')) {
    const e = UserMessageEvent.safeParse(body);
    if (e.success)
      return {
        kind: 'unsupported-message',
        appId,
        userId: e.data.sender.id,
        msgId: e.data.message.msg_id,
        type: name.slice('user_send_'.length),
        timestamp: e.data.timestamp,
      };
  } else if (name === 'follow' || name === 'unfollow') {
    const e = FollowEvent.safeParse(body);
    if (e.success) return { kind: name, appId, userId: e.data.follower.id, timestamp: e.data.timestamp };
  } else if (name === 'user_submit_info') {
    const e = SubmitInfoEvent.safeParse(body);
    if (e.success) {
      const { name: fullName, phone, address, ward, district, city } = e.data.info;
      const place = [address, ward, district, city].filter((x) => x && x.trim() !== '').join(', ');
      return {
        kind: 'submit-info',
        appId,
        userId: e.data.sender.id,
        timestamp: e.data.timestamp,
        info: {
          ...(fullName ? { name: fullName } : {}),
          ...(phone ? { phone } : {}),
          ...(place ? { address: place } : {}),
        },
      };
    }
  } else if (name.startsWith('oa_send_')) {
    const e = OaSendEvent.safeParse(body);
    if (e.success)
      return {
        kind: 'oa-send',
        appId,
        userId: e.data.recipient.id,
        msgId: e.data.message.msg_id,
        type: name.slice('oa_send_'.length),
        ...(typeof e.data.message.text === 'string' ? { text: e.data.message.text } : {}),
        timestamp: e.data.timestamp,
      };
  }
  return { kind: 'unknown', appId, eventName: name };
}

/**
 * The key an event is recorded under in the inbox: Zalo redelivers the same body, so the same
 * event always gets the same key. Undefined for events that are not recorded (unknown ones).
 */
export function zaloEventKey(event: ZaloEvent): string | undefined {
  switch (event.kind) {
    case 'message':
    case 'unsupported-message':
      return `msg:${event.msgId}`;
    case 'oa-send':
      return `oa:${event.msgId}`;
    case 'follow':
    case 'unfollow':
    case 'submit-info':
      return `${event.kind}:${event.userId}:${event.timestamp}`;
    default:
      return undefined;
  }
}

/** Whether the event is the user's own doing, which opens Zalo's window for the OA's messages. */
export function isUserInteraction(event: ZaloEvent): boolean {
  return (
    event.kind === 'message' ||
    event.kind === 'unsupported-message' ||
    event.kind === 'follow' ||
    event.kind === 'submit-info'
  );
}
