import { createHash } from 'node:crypto';
import { ActivityTypes, type Activity, type CardAction } from 'botbuilder';
import { CONTACT_REQUEST_ENTITY } from '../../dialogs/index.ts';
import type { ZaloEvent } from './zalo-events.ts';

/** The channel id of Zalo activities. */
export const ZALO_CHANNEL = 'zalo';
/** Zalo's limits: one text message, buttons per message, characters per button title. */
export const ZALO_MAX_TEXT = 2000;
export const ZALO_MAX_BUTTONS = 5;
export const ZALO_MAX_TITLE = 20;

/** One request body for POST /v3.0/oa/message/cs. */
export interface ZaloOutgoing {
  recipient: { user_id: string };
  message: Record<string, unknown>;
}

/** Turns a webhook event into the activity the bot sees; undefined for events the bot does not see. */
export function zaloEventToActivity(event: ZaloEvent, oaId = 'oa'): Partial<Activity> | undefined {
  if (!('userId' in event)) return undefined;
  const base: Partial<Activity> = {
    channelId: ZALO_CHANNEL,
    serviceUrl: 'zalo://openapi',
    conversation: { id: event.userId, isGroup: false, conversationType: 'personal', name: '' },
    from: { id: event.userId, name: '' },
    recipient: { id: oaId, name: 'Trợ lý Khuyến công' },
    locale: 'vi-VN',
    timestamp: new Date(),
  };
  switch (event.kind) {
    case 'message':
      return { ...base, type: ActivityTypes.Message, id: event.msgId, text: event.text };
    case 'unsupported-message':
      // The bot reads text only; the attachment tells the dialogs this was something else.
      return {
        ...base,
        type: ActivityTypes.Message,
        id: event.msgId,
        text: '',
        attachments: [{ contentType: `application/vnd.zalo.${event.type}` }],
      };
    case 'follow':
      return {
        ...base,
        type: ActivityTypes.ConversationUpdate,
        id: `follow-${event.userId}-${event.timestamp}`,
        membersAdded: [{ id: event.userId, name: '' }],
      };
    case 'submit-info':
      return {
        ...base,
        type: ActivityTypes.Message,
        id: `info-${event.userId}-${event.timestamp}`,
        text: '',
        value: { contact: event.info },
      };
    default:
      return undefined;
  }
}

/** Splits text into pieces of at most `max` characters, at a paragraph, line, sentence or word boundary. */
export function splitText(text: string, max = ZALO_MAX_TEXT): string[] {
  const pieces: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    const cut =
      [window.lastIndexOf('\n\n'), window.lastIndexOf('\n'), lastSentenceEnd(window), window.lastIndexOf(' ')].find(
        (i) => i > max * 0.5,
      ) ?? max;
    pieces.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest !== '') pieces.push(rest);
  return pieces;
}

function lastSentenceEnd(text: string): number {
  let best = -1;
  for (const m of text.matchAll(/[.!?…](\s)/g)) best = m.index + 1;
  return best;
}

/** A button title within Zalo's limit. */
export function buttonTitle(title: string): string {
  const chars = [...title];
  return chars.length <= ZALO_MAX_TITLE
    ? title
    : `${chars
        .slice(0, ZALO_MAX_TITLE - 1)
        .join('')
        .trimEnd()}…`;
}

interface Button {
  title: string;
  payload: string;
}

function actionButtons(actions: readonly CardAction[]): Button[] {
  return actions
    .filter((a) => a.type !== 'openUrl')
    .map((a) => ({
      title: String(a.title ?? a.value ?? ''),
      payload: typeof a.value === 'string' ? a.value : String(a.title ?? ''),
    }))
    .filter((b) => b.title !== '' && b.payload !== '');
}

/** Plain text and buttons from an Adaptive Card (TextBlocks, FactSets, Action.Submit). */
export function renderAdaptiveCard(card: Record<string, unknown>): { text: string; buttons: Button[] } {
  const lines: string[] = [];
  const walk = (items: unknown) => {
    if (!Array.isArray(items)) return;
    for (const item of items as Record<string, unknown>[]) {
      if (item.type === 'TextBlock' && typeof item.text === 'string') lines.push(item.text);
      if (item.type === 'FactSet' && Array.isArray(item.facts))
        for (const f of item.facts as { title: string; value: string }[]) lines.push(`${f.title}: ${f.value}`);
      walk(item.items);
      if (Array.isArray(item.columns)) for (const c of item.columns as Record<string, unknown>[]) walk(c.items);
    }
  };
  walk(card.body);
  const buttons: Button[] = [];
  for (const a of (Array.isArray(card.actions) ? card.actions : []) as Record<string, unknown>[]) {
    if (a.type !== 'Action.Submit' || typeof a.title !== 'string') continue;
    const data = a.data as Record<string, unknown> | undefined;
    buttons.push({ title: a.title, payload: typeof data?.text === 'string' ? data.text : a.title });
  }
  return { text: lines.join('\n'), buttons };
}

/** Turns one reply into the Zalo messages that carry it: text split to fit, buttons on the last piece. */
export function activityToZaloMessages(
  activity: Partial<Activity>,
  userId: string,
  options: { contactImageUrl?: string } = {},
): ZaloOutgoing[] {
  if (activity.type && activity.type !== ActivityTypes.Message) return [];
  let text = activity.text ?? '';
  const buttons = actionButtons(activity.suggestedActions?.actions ?? []);
  for (const attachment of activity.attachments ?? []) {
    if (attachment.contentType === 'application/vnd.microsoft.card.adaptive' && attachment.content) {
      const card = renderAdaptiveCard(attachment.content as Record<string, unknown>);
      text = [text, card.text].filter((t) => t.trim() !== '').join('\n\n');
      buttons.push(...card.buttons);
    }
  }
  const recipient = { user_id: userId };
  const messages: ZaloOutgoing[] = splitText(text).map((piece) => ({ recipient, message: { text: piece } }));
  const shown = buttons
    .slice(0, ZALO_MAX_BUTTONS)
    .map((b) => ({ title: buttonTitle(b.title), type: 'oa.query.show', payload: b.payload.slice(0, 1000) }));
  if (shown.length > 0) {
    if (messages.length === 0) messages.push({ recipient, message: { text: 'Dạ, mời bạn chọn:' } });
    const last = messages.at(-1)!;
    last.message = { ...last.message, attachment: { type: 'template', payload: { buttons: shown } } };
  }
  // Zalo's request_user_info template needs an image; without one configured the text prompt stands alone.
  if (options.contactImageUrl && activity.entities?.some((e) => e.type === CONTACT_REQUEST_ENTITY)) {
    messages.push({
      recipient,
      message: {
        attachment: {
          type: 'template',
          payload: {
            template_type: 'request_user_info',
            elements: [
              {
                title: 'Chia sẻ thông tin liên hệ',
                subtitle: 'Bấm để gửi họ tên, số điện thoại và địa chỉ vào bản đăng ký.',
                image_url: options.contactImageUrl,
              },
            ],
          },
        },
      },
    });
  }
  return messages;
}

/**
 * All the replies of one turn as few Zalo messages as the format allows: consecutive replies are
 * joined (text one after the other, with a blank line) whenever that takes fewer messages than
 * sending them apart — which it does unless buttons come before the end or the text outgrows one
 * message. Each API call counts against the OA's quota.
 */
export function turnToZaloMessages(
  activities: readonly Partial<Activity>[],
  userId: string,
  options: { contactImageUrl?: string } = {},
): ZaloOutgoing[] {
  const count = (a: Partial<Activity>) => activityToZaloMessages(a, userId, options).length;
  const merged: Partial<Activity>[] = [];
  for (const activity of activities) {
    if (activity.type && activity.type !== ActivityTypes.Message) continue;
    const previous = merged.at(-1);
    // Buttons belong to the last piece of a message: replies after them start a new one.
    if (
      previous &&
      !previous.suggestedActions?.actions?.length &&
      !(previous.attachments ?? []).length &&
      !previous.entities?.some((e) => e.type === CONTACT_REQUEST_ENTITY)
    ) {
      const joined: Partial<Activity> = {
        ...activity,
        text: [previous.text ?? '', activity.text ?? ''].filter((t) => t.trim() !== '').join('\n\n'),
        entities: [...(previous.entities ?? []), ...(activity.entities ?? [])],
      };
      if (count(joined) < count(previous) + count(activity)) {
        merged[merged.length - 1] = joined;
        continue;
      }
    }
    merged.push(activity);
  }
  return merged.flatMap((a) => activityToZaloMessages(a, userId, options));
}

/** A fingerprint of a message's text to one user, to know its echo (oa_send_text) when it comes back. */
export function zaloTextFingerprint(userId: string, text: string | undefined): string | null {
  if (text === undefined || text.trim() === '') return null;
  return createHash('sha256').update(`${userId}\n${text.trim()}`).digest('hex').slice(0, 32);
}

/**
 * A text the bot writes first (an officer's message, the new cycle's deadlines) as the outbox
 * queues it: Zalo's message bodies, each with the fingerprint that knows its echo
 * (oa_send_text) for the bot's own, whenever the echo arrives.
 */
export function zaloTextMessages(
  userId: string,
  text: string,
): { userId: string; body: Record<string, unknown>; textHash: string | null }[] {
  return activityToZaloMessages({ type: ActivityTypes.Message, text }, userId).map((m) => ({
    userId,
    body: m as unknown as Record<string, unknown>,
    textHash: zaloTextFingerprint(userId, typeof m.message.text === 'string' ? m.message.text : undefined),
  }));
}
