import type { Activity, Attachment, CardAction } from 'botbuilder';
import type { RegistrationRecord, UnansweredQuestion } from '../../bot/stores.ts';
import { areaLabel, formatField, registrationRows, type RegistrationKey } from '../../dialogs/index.ts';
import { escapeMarkdown } from './teams-markdown.ts';

/** Teams renders Adaptive Cards up to 1.5 in every client. */
export const CARD_VERSION = '1.5';
const CARD_TYPE = 'application/vnd.microsoft.card.adaptive';

type Element = Record<string, unknown>;

function card(body: Element[], actions: Element[] = []): Attachment {
  return {
    contentType: CARD_TYPE,
    content: {
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: CARD_VERSION,
      body,
      actions,
    },
  };
}

// TextBlocks and facts render Markdown: what they show goes through escapeMarkdown, as plain text,
// except the few bits of formatting the cards add themselves (`markdown`).
const markdown = (md: string, extra: Element = {}): Element => ({ type: 'TextBlock', text: md, wrap: true, ...extra });
const text = (t: string, extra: Element = {}): Element => markdown(escapeMarkdown(t), extra);
const fact = (title: string, value: string) => ({ title: escapeMarkdown(title), value: escapeMarkdown(value) });
const submit = (title: string, value: string): Element => ({ type: 'Action.Submit', title, data: { text: value } });
const openTab = (url: string): Element => ({ type: 'Action.OpenUrl', title: 'Mở danh sách đăng ký', url });

/**
 * A reply as an Adaptive Card: the text, its source line set apart, and the suggested actions as
 * Action.Submit buttons whose data carries the text they stand for. Replies are plain text on
 * every channel (Zalo shows no Markdown) and may repeat what a user typed (a form's summary), so
 * the card shows them literally.
 */
export function replyAsCard(activity: Partial<Activity>): Partial<Activity> {
  if (activity.type !== 'message' || !activity.text || (activity.attachments?.length ?? 0) > 0) return activity;
  const [main, ...rest] = activity.text.split(/\n\n(?=Nguồn: )/);
  const body: Element[] = main.split('\n\n').map((p) => text(p));
  for (const source of rest) body.push(text(source, { isSubtle: true, size: 'Small', spacing: 'Medium' }));
  const actions = (activity.suggestedActions?.actions ?? [])
    .slice(0, 5)
    .map((a: CardAction) => submit(String(a.title ?? a.value), String(a.value ?? a.title)));
  const { suggestedActions: _dropped, ...rest2 } = activity;
  void _dropped;
  return { ...rest2, text: undefined, attachments: [card(body, actions)] };
}

/** The fields a new registration's card shows; the detail card shows them all. */
const CARD_FIELDS: RegistrationKey[] = ['facilityName', 'entityType', 'province', 'supportArea', 'budgetRequested'];

/** When a registration was sent, in Vietnam time. */
const sentAt = (r: RegistrationRecord) =>
  r.submittedAt?.toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' }) ?? '(nháp)';

/** The card a subscribed conversation receives for a new registration. */
export function registrationCard(r: RegistrationRecord, tabUrl: string): Attachment {
  return card(
    [
      text('Đăng ký khuyến công mới', { weight: 'Bolder', size: 'Medium' }),
      {
        type: 'FactSet',
        facts: [
          fact('Mã', r.code ?? '(nháp)'),
          ...registrationRows(r.data, { keys: CARD_FIELDS }).map((row) => fact(row.label, row.value)),
        ],
      },
    ],
    [submit('Chi tiết', `chi tiết ${r.code}`), openTab(`${tabUrl}?code=${encodeURIComponent(r.code ?? '')}`)],
  );
}

/** Up to ten registrations, newest first, each with a detail button. */
export function registrationListCard(records: RegistrationRecord[], title: string, tabUrl: string): Attachment {
  const body: Element[] = [text(title, { weight: 'Bolder', size: 'Medium' })];
  if (records.length === 0) body.push(text('Chưa có đăng ký nào phù hợp.'));
  for (const r of records.slice(0, 10)) {
    const line = `${formatField('facilityName', r.data)} · ${r.province ?? '?'} · ${r.supportArea ? areaLabel(r.supportArea) : '?'}`;
    body.push(markdown(`**${escapeMarkdown(r.code ?? '')}** — ${escapeMarkdown(line)}`, { spacing: 'Small' }));
  }
  const actions = records.slice(0, 4).map((r) => submit(`Chi tiết ${r.code}`, `chi tiết ${r.code}`));
  return card(body, [...actions, openTab(tabUrl)]);
}

/** One registration in full: every field of the catalogue, in its order. */
export function registrationDetailCard(r: RegistrationRecord, tabUrl: string): Attachment {
  return card(
    [
      text(`Đăng ký ${r.code}`, { weight: 'Bolder', size: 'Medium' }),
      {
        type: 'FactSet',
        facts: [...registrationRows(r.data).map((row) => fact(row.label, row.value)), fact('Gửi lúc', sentAt(r))],
      },
    ],
    [openTab(`${tabUrl}?code=${encodeURIComponent(r.code ?? '')}`)],
  );
}

/** The latest questions the knowledge base could not answer. */
export function unansweredCard(questions: UnansweredQuestion[], tabUrl: string): Attachment {
  const body: Element[] = [text('Câu hỏi chưa trả lời được', { weight: 'Bolder', size: 'Medium' })];
  if (questions.length === 0) body.push(text('Chưa có câu hỏi nào.'));
  for (const q of questions)
    body.push(
      text(
        `• ${q.text} (${q.channel}, ${q.reason === 'fallback' ? 'không có thông tin' : 'người hỏi từ chối gợi ý'})`,
        { spacing: 'Small' },
      ),
    );
  return card(body, [openTab(tabUrl)]);
}
