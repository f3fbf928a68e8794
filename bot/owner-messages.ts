/**
 * An officer's message to a registration's owner, on the channel the owner registered from. On
 * Zalo the OA may write to a user only within the interaction window: free within 48 hours of the
 * user's last interaction, paid (consultation messages from a funded ZBS account, when the
 * deployment enables them) up to 7 days, never after; the officer is told before sending, and
 * shown the owner's phone (they consented to be contacted) when the OA cannot write. A web chat
 * owner finds the message when they next open the chat.
 */
import { ownerStageMessage, STAGE_LABELS, type Stage } from '../dialogs/index.ts';
import type { OfficerIdentity } from './officers.ts';
import { effectiveData, MAX_TEXT, type RegistrationWork } from './registration-work.ts';
import type { RegistrationRecord, Stores } from './stores.ts';

const HOUR = 3_600_000;
/** Zalo's free window after a user's last interaction, and the paid one. */
export const ZALO_FREE_HOURS = 48;
export const ZALO_PAID_DAYS = 7;

/** Whether and how a message can reach a registration's owner now, said before sending. */
export interface Reach {
  channel: string;
  /** free: within Zalo's 48 h; paid: 48 h–7 days with paid consultation messages; waiting: seen at the next visit. */
  delivery: 'zalo-free' | 'zalo-paid' | 'webchat-waiting' | 'none';
  canSend: boolean;
  /** What the officer is told, in Vietnamese. */
  explanation: string;
  /** The owner's phone, where the OA cannot write and the owner consented to be contacted. */
  phone?: string;
}

/** Turns a text into the Zalo messages for a user, as the outbox queues them (the Zalo adapter's mapping). */
export type ZaloMessages = (
  userId: string,
  text: string,
) => { userId: string; body: Record<string, unknown>; textHash: string | null }[];

/** The messaging service. */
export function ownerMessaging(options: {
  stores: Pick<Stores, 'zalo' | 'work' | 'audit' | 'registrations'>;
  work: RegistrationWork;
  clock: () => Date;
  /** ZALO_PAID_CONSULTATION: the OA's ZBS account is funded for consultation messages after 48 h. */
  paidConsultation: boolean;
  zaloMessages?: ZaloMessages;
}) {
  const { stores, work, clock } = options;

  async function reach(record: RegistrationRecord): Promise<Reach> {
    const [channel, ...rest] = record.userKey.split(':');
    const userId = rest.join(':');
    const data = effectiveData(record);
    const phone = data.consent === true && typeof data.phone === 'string' ? data.phone : undefined;
    if (channel === 'zalo' && options.zaloMessages) {
      const last = await stores.zalo.lastInteraction(userId);
      const age = last ? clock().getTime() - last.getTime() : Infinity;
      if (age <= ZALO_FREE_HOURS * HOUR)
        return {
          channel,
          delivery: 'zalo-free',
          canSend: true,
          explanation: 'Tin nhắn sẽ tới chủ cơ sở qua Zalo (trong 48 giờ kể từ lần cuối chủ cơ sở nhắn, miễn phí).',
        };
      if (age <= ZALO_PAID_DAYS * 24 * HOUR) {
        if (options.paidConsultation)
          return {
            channel,
            delivery: 'zalo-paid',
            canSend: true,
            explanation:
              'Chủ cơ sở nhắn lần cuối hơn 48 giờ trước: tin nhắn sẽ được gửi qua Zalo dưới dạng tin tư vấn có tính phí.',
          };
        return {
          channel,
          delivery: 'none',
          canSend: false,
          explanation: `Chủ cơ sở nhắn Zalo lần cuối hơn 48 giờ trước; hệ thống chưa bật tin tư vấn có tính phí nên không gửi được qua Zalo.${phone ? ` Anh/chị vui lòng gọi điện cho chủ cơ sở: ${phone}.` : ''}`,
          ...(phone ? { phone } : {}),
        };
      }
      return {
        channel,
        delivery: 'none',
        canSend: false,
        explanation: `Chủ cơ sở đã không nhắn Zalo quá 7 ngày; Zalo không cho phép tài khoản chính thức nhắn lúc này.${phone ? ` Anh/chị vui lòng gọi điện cho chủ cơ sở: ${phone}.` : ''}`,
        ...(phone ? { phone } : {}),
      };
    }
    if (channel === 'webchat')
      return {
        channel,
        delivery: 'webchat-waiting',
        canSend: true,
        explanation: 'Chủ cơ sở đăng ký qua trang web: tin nhắn sẽ hiện khi họ mở lại trang trò chuyện.',
      };
    return {
      channel,
      delivery: 'none',
      canSend: false,
      explanation: `Không nhắn được cho chủ cơ sở qua kênh này.${phone ? ` Anh/chị vui lòng gọi điện: ${phone}.` : ''}`,
      ...(phone ? { phone } : {}),
    };
  }

  /**
   * Sends `text` to the owner of registration `code` (within the officer's provinces), records it in
   * the history and the audit trail; `conversation` is where the officer wrote from in Teams, for the
   * owner's answer. A message the OA cannot send is refused with the reason, and recorded too.
   */
  async function send(
    identity: OfficerIdentity,
    code: string,
    text: unknown,
    conversation?: Record<string, unknown>,
    notice = false,
  ): Promise<{ ok: true; reach: Reach } | { ok: false; message: string; reach?: Reach }> {
    const record = await work.find(identity, code);
    if (!record)
      return { ok: false, message: 'Dạ, không tìm thấy đăng ký này trong các tỉnh, thành anh/chị phụ trách.' };
    const body = typeof text === 'string' ? text.trim() : '';
    if (!body) return { ok: false, message: 'Dạ, nội dung tin nhắn đang để trống.' };
    if (body.length > MAX_TEXT) return { ok: false, message: 'Dạ, tin nhắn dài quá (tối đa 2.000 ký tự).' };
    const now = clock();
    const r = await reach(record);
    if (!r.canSend) {
      await work.record(identity, record, 'message-refused', { text: body, reason: r.explanation });
      await work.audit(identity, 'registration.message-refused', { code: record.code, channel: r.channel });
      return { ok: false, message: r.explanation, reach: r };
    }
    const [, ...rest] = record.userKey.split(':');
    const userId = rest.join(':');
    const event = await work.record(identity, record, 'message-out', {
      text: body,
      channel: r.channel,
      delivery: r.delivery,
      ...(conversation ? { conversation } : {}),
      // A status notice opens no conversation: the owner's next message is the bot's to answer.
      ...(notice ? { notice: true } : {}),
    });
    const signed = `${body}\n\n(Sở Công Thương${identity.name ? ` – ${identity.name}` : ''}, về đăng ký ${record.code}. Anh/chị có thể trả lời tin nhắn này.)`;
    if (r.channel === 'zalo')
      await stores.zalo.finish(`officer:${event.id}`, options.zaloMessages!(userId, signed), now);
    else await stores.work.queueOwnerMessage(record, signed, now);
    await work.audit(identity, 'registration.message', { code: record.code, channel: r.channel, delivery: r.delivery });
    return { ok: true, reach: r };
  }

  return {
    reach,
    send,
    /** Tells the owner of a stage change, politely and with what to do next. */
    notifyStage(identity: OfficerIdentity, code: string, stage: Stage, details: { missing?: string; reason?: string }) {
      return send(identity, code, ownerStageMessage(stage, code, details), undefined, true);
    },
    /** The label of a stage, for the officer's confirmation. */
    stageLabel: (stage: Stage) => STAGE_LABELS[stage],
  };
}

/** The messaging service's type. */
export type OwnerMessaging = ReturnType<typeof ownerMessaging>;
