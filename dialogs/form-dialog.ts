import type { DialogContext, DialogTurnResult } from 'botbuilder-dialogs';
import { Dialog } from 'botbuilder-dialogs/lib/dialog.js';
import type { TurnContext } from 'botbuilder';
import { analyze, type Choice, type KnowledgeBase } from '../knowledge/index.ts';
import { detectIntent } from './intents.ts';
import { answerReply, textReply } from './replies.ts';
import type { Parsed } from './validators.ts';

/** The entity on a question that may be answered with the channel's own contact sharing. */
export const CONTACT_REQUEST_ENTITY = 'kc.contact-request';

/** Zalo shows at most five buttons, with titles of at most 20 characters. */
export const MAX_BUTTONS = 5;
export const MAX_BUTTON_TITLE = 20;

/** One question of a form. */
export interface FieldSpec {
  id: string;
  /** Shown in the summary and used by "sửa <label>". */
  label: string;
  /** Other words (folded) for "sửa …". */
  aliases?: string[];
  /** The question, naming the field plainly. */
  question: string;
  /** Buttons for answers that are choices. */
  choices?: Choice[];
  optional?: boolean;
  /** Never skipped, even after failed tries (consent). */
  mandatory?: boolean;
  /** Channels that can ask for the user's contact details (Zalo) offer it with this question. */
  requestContact?: boolean;
  /** Reads the answer; the failure reason picks the re-prompt. */
  parse(text: string, values: FormValues, now: Date): Parsed<unknown>;
  /** Re-prompt for each failure reason (and "default"). */
  reprompts: Record<string, string>;
  /** A longer explanation for "trợ giúp". */
  help: string;
  /** How the value reads in the summary. */
  format?(value: unknown): string;
  /** Not asked when this holds. */
  skipIf?(values: FormValues): boolean;
  /** A remark after a valid answer (a warning that does not block). */
  remark?(value: unknown, values: FormValues): string | undefined;
}

/** The answers so far, by field id. */
export type FormValues = Record<string, unknown>;

/** What the form keeps between turns. */
export interface FormState {
  version: number;
  values: FormValues;
  /** The field being asked, or -1 at the summary. */
  index: number;
  failures: number;
  /** After "sửa …" from the summary, go back to it once the field is answered. */
  returnToSummary: boolean;
}

/** How a form ended, for the dialog that began it. */
export interface FormResult {
  outcome: 'completed' | 'cancelled' | 'paused' | 'stale' | 'interrupted';
  values: FormValues;
}

/** Options when a form begins. */
export interface FormOptions {
  values?: FormValues;
  /** The values come from a paused draft, not from the first message. */
  resumed?: boolean;
}

const fold = (text: string) => analyze(text.slice(0, 300)).folded.join(' ');
const CANCEL = new Set(['huy', 'huy bo', 'thoi huy', 'cancel', 'khong dang ky nua', 'thoi khong dang ky nua', 'huy dang ky']);
const LATER = new Set(['de sau', 'luc khac', 'tam dung', 'later', 'de luc khac', 'lam sau', 'tam dung lai', 'de mai']);
const BACK = new Set(['quay lai', 'lui lai', 'back', 'tro lai', 'quay lai buoc truoc']);
const HELP = new Set(['tro giup', 'help', 'huong dan', 'giup toi', 'giup', 'tro giup toi']);
const SKIP = new Set(['bo qua', 'skip', 'khong co', 'ko co', 'khong', 'chua co', 'de trong']);
const SUMMARY_CONFIRM = new Set(['xac nhan', 'luu', 'gui', 'dong y', 'ok', 'xac nhan luu', 'luu lai', 'co']);

/** Base of the guided forms: one question at a time, with the interruptions every form shares. */
export abstract class FormDialog extends Dialog<FormOptions> {
  protected constructor(
    id: string,
    protected readonly fields: FieldSpec[],
    protected readonly version: number,
    protected readonly knowledge: KnowledgeBase,
    protected readonly clock: () => Date,
  ) {
    super(id);
  }

  /** Says what the form is before the first question. */
  protected abstract intro(resumed: boolean): string | undefined;
  /** The summary shown before confirmation, or undefined to finish without one. */
  protected abstract summaryText(values: FormValues): string | undefined;
  /** Called after every accepted answer (save the draft). */
  protected async onChange(_context: TurnContext, _values: FormValues): Promise<void> {}
  /** Called when the user confirms the summary (or the last answer, without one); returns the closing message. */
  protected abstract onComplete(context: TurnContext, values: FormValues): Promise<string | { text: string; choices: Choice[] }>;
  /** Called on "hủy". */
  protected async onCancel(_context: TurnContext): Promise<void> {}
  /**
   * The contact details a channel shared, read by each field's own parser like a typed answer
   * (whatever channel sent them: a web chat client can post the same payload as Zalo), for the
   * fields not answered yet or the one being asked.
   */
  private validContact(contact: Record<string, unknown>, state: FormState): FormValues {
    const out: FormValues = {};
    for (const [id, raw] of Object.entries(this.fromContact(contact))) {
      const index = this.fields.findIndex((f) => f.id === id);
      if (index < 0 || typeof raw !== 'string' || !(state.values[id] === undefined || state.index === index)) continue;
      const parsed = this.fields[index]!.parse(raw, state.values, this.clock());
      if (parsed.ok) out[id] = parsed.value;
    }
    return out;
  }

  /** The text of each field that contact details a channel collected (name, phone, address) answer. */
  protected fromContact(_contact: Record<string, unknown>): Record<string, string> {
    return {};
  }

  /** Values taken from a free-text answer beyond the field asked ("… ở Bắc Giang, sđt …"). */
  protected volunteered(_text: string, _values: FormValues): FormValues {
    return {};
  }

  override async beginDialog(dc: DialogContext, options?: FormOptions): Promise<DialogTurnResult> {
    const state: FormState = { version: this.version, values: { ...(options?.values ?? {}) }, index: 0, failures: 0, returnToSummary: false };
    dc.activeDialog!.state = state;
    const resumed = options?.resumed === true;
    const intro = [this.intro(resumed), resumed ? undefined : this.describeTaken(state.values)].filter(Boolean).join('\n');
    state.index = this.nextIndex(state.values, -1);
    if (intro) await dc.context.sendActivity(textReply(intro));
    return this.askCurrent(dc, state);
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as FormState;
    if (state.version !== this.version) {
      // The form changed since this draft was started: end cleanly instead of misreading it.
      return dc.endDialog({ outcome: 'stale', values: {} } satisfies FormResult);
    }
    const activity = dc.context.activity;
    const value = activity.value as Record<string, unknown> | undefined;
    const text = typeof activity.text === 'string' && activity.text.trim() !== '' ? activity.text : typeof value?.text === 'string' ? value.text : '';
    const folded = fold(text);

    if (value?.contact && typeof value.contact === 'object' && text === '') {
      const extra = this.validContact(value.contact as Record<string, unknown>, state);
      Object.assign(state.values, extra);
      await this.onChange(dc.context, state.values);
      const taken = this.describeTaken(extra);
      if (state.index >= 0 && state.values[this.fields[state.index]!.id] !== undefined) return this.advance(dc, state, taken);
      return this.askCurrent(dc, state, taken);
    }

    // "xóa dữ liệu của tôi" and "bắt đầu lại" belong to the main dialog, even mid-form.
    const intent = detectIntent(folded);
    if (intent === 'delete-data' || (intent === 'restart' && !CANCEL.has(folded))) {
      await this.onChange(dc.context, state.values);
      return dc.endDialog({ outcome: 'interrupted', values: state.values } satisfies FormResult);
    }
    if (CANCEL.has(folded)) {
      await this.onCancel(dc.context);
      await dc.context.sendActivity(textReply('Dạ, tôi đã hủy bản đang điền. Khi cần, anh/chị cứ nhắn "tôi muốn đăng ký" để bắt đầu lại.'));
      return dc.endDialog({ outcome: 'cancelled', values: state.values } satisfies FormResult);
    }
    if (LATER.has(folded)) {
      await this.onChange(dc.context, state.values);
      await dc.context.sendActivity(textReply('Dạ, tôi đã lưu phần anh/chị điền. Khi nào tiện, anh/chị nhắn "tiếp tục" để làm tiếp từ chỗ đang dừng.', [{ title: 'Tiếp tục', value: 'tiếp tục' }]));
      return dc.endDialog({ outcome: 'paused', values: state.values } satisfies FormResult);
    }
    if (BACK.has(folded)) {
      state.index = this.previousIndex(state.values, state.index === -1 ? this.fields.length : state.index);
      state.failures = 0;
      return this.askCurrent(dc, state);
    }
    const edit = /^(sua|chinh sua|doi|thay doi)\s+(.+)$/.exec(folded);
    if (edit) {
      const target = this.findField(edit[2]!);
      if (target >= 0) {
        state.returnToSummary = state.index === -1 || state.returnToSummary;
        state.index = target;
        state.failures = 0;
        return this.askCurrent(dc, state);
      }
    }
    if (state.index === -1) return this.handleSummary(dc, state, folded);

    const field = this.fields[state.index]!;
    if (HELP.has(folded)) {
      await dc.context.sendActivity(textReply(`${field.help}`));
      return this.askCurrent(dc, state);
    }
    const parsed = field.optional && SKIP.has(folded) ? undefined : field.parse(text, state.values, this.clock());
    if (!parsed || (!parsed.ok && SKIP.has(folded) && state.failures >= 2 && !field.mandatory)) {
      // Optional fields, and any field after two failed tries, can be left for later.
      // null marks "skipped": not asked again, shown as not filled in the summary.
      state.values[field.id] = null;
      return this.advance(dc, state);
    }
    if (parsed.ok) {
      // An answer may carry more than it was asked for; the asked field prefers what was
      // recognised in it ("HTX mây tre Phúc Lâm" rather than the whole sentence).
      delete state.values[field.id];
      const extra = this.volunteered(text, state.values);
      state.values[field.id] = extra[field.id] ?? parsed.value;
      delete extra[field.id];
      Object.assign(state.values, extra);
      const taken = this.describeTaken(extra);
      const remarks = [parsed.note ? `Dạ, ${parsed.note}.` : undefined, taken, field.remark?.(state.values[field.id], state.values)].filter(Boolean);
      if (remarks.length > 0) await dc.context.sendActivity(textReply(remarks.join('\n')));
      await this.onChange(dc.context, state.values);
      return this.advance(dc, state);
    }
    // Not an answer to this field: perhaps a question about khuyến công. Answer it, ask again.
    if (text.trim() !== '' && looksLikeQuestion(text, folded)) {
      const answer = this.knowledge.answer(text, { now: this.clock() });
      if (answer.kind === 'answer') {
        await dc.context.sendActivity({ ...answerReply(answer), suggestedActions: undefined });
        return this.askCurrent(dc, state);
      }
    }
    state.failures += 1;
    if (state.failures > 2) {
      const ways = field.mandatory
        ? [{ title: 'Trợ giúp', value: 'trợ giúp' }, { title: 'Để sau', value: 'để sau' }, { title: 'Hủy', value: 'hủy' }]
        : [{ title: 'Trợ giúp', value: 'trợ giúp' }, { title: 'Bỏ qua', value: 'bỏ qua' }, { title: 'Để sau', value: 'để sau' }];
      const offer = field.mandatory ? 'xem hướng dẫn, tạm dừng, hoặc hủy' : 'xem hướng dẫn, bỏ qua mục này để điền sau, hoặc tạm dừng';
      await dc.context.sendActivity(textReply(`Dạ, có vẻ mục "${field.label}" đang khó trả lời. Anh/chị có thể ${offer}.`, ways));
      return Dialog.EndOfTurn;
    }
    const reprompt = field.reprompts[parsed.reason] ?? field.reprompts.default ?? 'Dạ, tôi chưa hiểu câu trả lời.';
    return this.askCurrent(dc, state, reprompt);
  }

  /** "Tôi đã ghi nhận luôn: …" for fields taken from an answer beyond the one asked. */
  protected describeTaken(extra: FormValues): string | undefined {
    const parts = this.fields.filter((f) => extra[f.id] !== undefined).map((f) => `${f.label}: ${f.format ? f.format(extra[f.id]) : String(extra[f.id])}`);
    return parts.length > 0 ? `Dạ, tôi ghi nhận luôn: ${parts.join('; ')}.` : undefined;
  }

  /** The progress line and question of the current field, with its buttons. */
  protected async askCurrent(dc: DialogContext, state: FormState, before?: string): Promise<DialogTurnResult> {
    if (state.index === -1 || state.index >= this.fields.length) return this.showSummary(dc, state);
    const field = this.fields[state.index]!;
    const step = this.fields.slice(0, state.index + 1).filter((f) => !f.skipIf?.(state.values)).length;
    const total = this.fields.filter((f) => !f.skipIf?.(state.values)).length;
    const choices = (field.choices ?? []).slice(0, MAX_BUTTONS);
    if (field.optional && choices.length < MAX_BUTTONS) choices.push({ title: 'Bỏ qua', value: 'bỏ qua' });
    const text = [before, `Bước ${step}/${total}: ${field.question}`].filter(Boolean).join('\n');
    const reply = textReply(text, choices);
    if (field.requestContact) reply.entities = [...(reply.entities ?? []), { type: CONTACT_REQUEST_ENTITY }];
    await dc.context.sendActivity(reply);
    return Dialog.EndOfTurn;
  }

  private async advance(dc: DialogContext, state: FormState, before?: string): Promise<DialogTurnResult> {
    state.failures = 0;
    if (state.returnToSummary) {
      // Fields that an edit made necessary (e.g. a budget check) are still asked first.
      const missing = this.nextIndex(state.values, -1);
      state.index = missing < this.fields.length ? missing : -1;
      if (state.index === -1) state.returnToSummary = false;
    } else {
      state.index = this.nextIndex(state.values, state.index);
    }
    return this.askCurrent(dc, state, before);
  }

  private async showSummary(dc: DialogContext, state: FormState): Promise<DialogTurnResult> {
    state.index = -1;
    const summary = this.summaryText(state.values);
    if (summary === undefined) return this.complete(dc, state);
    await dc.context.sendActivity(
      textReply(summary, [
        { title: 'Xác nhận', value: 'xác nhận' },
        { title: 'Sửa', value: 'sửa' },
        { title: 'Để sau', value: 'để sau' },
        { title: 'Hủy', value: 'hủy' },
      ]),
    );
    return Dialog.EndOfTurn;
  }

  private async complete(dc: DialogContext, state: FormState): Promise<DialogTurnResult> {
    const closing = await this.onComplete(dc.context, state.values);
    await dc.context.sendActivity(typeof closing === 'string' ? textReply(closing) : textReply(closing.text, closing.choices));
    return dc.endDialog({ outcome: 'completed', values: state.values } satisfies FormResult);
  }

  private async handleSummary(dc: DialogContext, state: FormState, folded: string): Promise<DialogTurnResult> {
    if (SUMMARY_CONFIRM.has(folded)) return this.complete(dc, state);
    const editable = this.fields.filter((f) => !f.skipIf?.(state.values));
    const list = editable.map((f, i) => `${i + 1}. ${f.label}`).join('\n');
    const n = Number.parseInt(folded, 10);
    if (String(n) === folded && n >= 1 && n <= editable.length) {
      state.returnToSummary = true;
      state.index = this.fields.indexOf(editable[n - 1]!);
      return this.askCurrent(dc, state);
    }
    await dc.context.sendActivity(
      textReply(`Dạ, anh/chị muốn sửa mục nào? Gõ số thứ tự hoặc "sửa <tên mục>", ví dụ "sửa số điện thoại":\n${list}`, [{ title: 'Xác nhận', value: 'xác nhận' }]),
    );
    return Dialog.EndOfTurn;
  }

  /** The next field after `from` that is not skipped and has no value yet; fields.length when none. */
  protected nextIndex(values: FormValues, from: number): number {
    for (let i = from + 1; i < this.fields.length; i++) {
      const f = this.fields[i]!;
      if (!f.skipIf?.(values) && values[f.id] === undefined) return i;
    }
    return this.fields.length;
  }

  private previousIndex(values: FormValues, from: number): number {
    for (let i = from - 1; i >= 0; i--) if (!this.fields[i]!.skipIf?.(values)) return i;
    return Math.max(0, from);
  }

  private findField(words: string): number {
    const target = words.trim();
    return this.fields.findIndex((f) => fold(f.label) === target || (f.aliases ?? []).some((a) => target === a || target.startsWith(`${a} `)) || fold(f.label).startsWith(target));
  }
}

const QUESTION_START = /^(cho (toi |minh |em )?hoi|hoi|the nao|lam sao|tai sao|vi sao|bao nhieu|khi nao|o dau|ai |co (duoc|phai|can)|can (gi|nhung gi)|la gi|nghia la)/;

/** True for text that reads as a question rather than an answer to a field. */
function looksLikeQuestion(text: string, folded: string): boolean {
  return /\?\s*$/.test(text) || QUESTION_START.test(folded) || / (la gi|la sao|bao nhieu|khi nao|o dau|the nao|nhu the nao|khong|ko|chua|gi)$/.test(folded);
}
