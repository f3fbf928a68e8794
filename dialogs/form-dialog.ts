import type { DialogContext, DialogTurnResult } from 'botbuilder-dialogs';
import { Dialog } from 'botbuilder-dialogs/lib/dialog.js';
import type { TurnContext } from 'botbuilder';
import { analyze, type Choice, type KnowledgeBase } from '../knowledge/index.ts';
import { detectIntent } from './intents.ts';
import { looksLikeQuestion } from './questions.ts';
import { bareReply, isReply, NAME_LIKE, replyWords } from './vocabulary.ts';
import { answerReply, textReply } from './replies.ts';
import type { FieldSpec, FormOptions, FormResult, FormState, FormValues } from './form-types.ts';

export type { FieldSpec, FormOptions, FormResult, FormState, FormValues } from './form-types.ts';

/** The entity on a question that may be answered with the channel's own contact sharing. */
export const CONTACT_REQUEST_ENTITY = 'kc.contact-request';

/** Zalo shows at most five buttons, with titles of at most 20 characters. */
export const MAX_BUTTONS = 5;
export const MAX_BUTTON_TITLE = 20;

const fold = (text: string) => analyze(text.slice(0, 300)).folded.join(' ');
const CANCEL_BUTTONS = [
  { title: 'Hủy bản này', value: 'có, hủy' },
  { title: 'Điền tiếp', value: 'điền tiếp' },
];
const RESTART_BUTTONS = [
  { title: 'Bỏ bản này', value: 'bỏ bản này' },
  { title: 'Giữ lại', value: 'giữ lại' },
  { title: 'Điền tiếp', value: 'điền tiếp' },
];
const CANCEL_CONFIRMED = new Set([
  'co huy',
  'co',
  'dong y',
  'ok',
  'u',
  'vang',
  'da',
  'huy',
  'huy di',
  'co huy di',
  'yes',
  'chac chan',
  'huy ban nay',
]);

/** Where a name or free text is expected, a word that is also a command ("Huy") is the answer. */
const isNameLike = (field: FieldSpec | undefined, folded: string) =>
  field?.freeText === true && NAME_LIKE.has(bareReply(folded));

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
  /** What has been filled so far, for "xem lại bản đăng ký" in the middle of the form. */
  protected progressText(_values: FormValues): string | undefined {
    return undefined;
  }
  /** Called after every accepted answer (save the draft). */
  protected async onChange(_context: TurnContext, _values: FormValues): Promise<void> {}
  /** Called when the user confirms the summary (or the last answer, without one); returns the closing message. */
  protected abstract onComplete(
    context: TurnContext,
    values: FormValues,
  ): Promise<string | { text: string; choices: Choice[] }>;
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
      const parsed = this.fields[index].parse(raw, state.values, this.clock());
      if (parsed.ok) out[id] = parsed.value;
    }
    return out;
  }

  /** The text of each field that contact details a channel collected (name, phone, address) answer. */
  protected fromContact(_contact: Record<string, unknown>): Record<string, string> {
    return {};
  }

  /** Values taken from a free-text answer beyond the field asked ("… ở Bắc Giang, sđt …"). */
  protected volunteered(_text: string, _values: FormValues, _asked?: string): FormValues {
    return {};
  }

  override async beginDialog(dc: DialogContext, options?: FormOptions): Promise<DialogTurnResult> {
    const state: FormState = {
      version: this.version,
      values: { ...(options?.values ?? {}) },
      index: 0,
      failures: 0,
      returnToSummary: false,
    };
    dc.activeDialog!.state = state;
    const resumed = options?.resumed === true;
    const intro = [this.intro(resumed), resumed ? undefined : this.describeTaken(state.values)]
      .filter(Boolean)
      .join('\n');
    state.index = this.nextIndex(state.values, -1);
    if (intro) await dc.context.sendActivity(textReply(intro));
    // Values a form begins with (the first message's, a check's) are saved where the form keeps them.
    if (this.keepsValuesOutside && Object.keys(state.values).length > 0 && !resumed)
      await this.onChange(dc.context, state.values);
    const result = await this.askCurrent(dc, state);
    this.release(state);
    return result;
  }

  /**
   * The form's values live in one place: the dialog state, or, for a form that saves every answer
   * elsewhere (the registration's draft), only there; the state then keeps the position alone.
   */
  protected readonly keepsValuesOutside: boolean = false;
  /** The values saved elsewhere, read at the start of each turn. */
  protected async loadValues(_context: TurnContext): Promise<FormValues | undefined> {
    return undefined;
  }
  /** Drops the values from the dialog state at the end of a turn, unless they exist nowhere else (a cancelled draft). */
  private release(state: FormState): void {
    if (this.keepsValuesOutside && !state.cancelled) state.values = {};
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as FormState;
    if (this.keepsValuesOutside && !state.cancelled) {
      // A state saved before the values moved out still carries them: they count until the draft has them.
      const saved = await this.loadValues(dc.context);
      state.values = saved ?? state.values ?? {};
      if (
        saved === undefined &&
        Object.keys(state.values).length === 0 &&
        state.index !== this.nextIndex({}, -1) &&
        state.version === this.version
      ) {
        // The draft is gone (deleted, or past its keeping time) while the conversation was mid-form: start again, and say so.
        state.index = this.nextIndex({}, -1);
        state.failures = 0;
        state.returnToSummary = false;
        delete state.revisitUntil;
        const result = await this.askCurrent(
          dc,
          state,
          'Dạ, bản đang điền của anh/chị không còn được lưu (đã xóa hoặc quá thời gian giữ), mình điền lại từ đầu nhé.',
        );
        return result;
      }
    }
    const result = await this.handleTurn(dc, state);
    this.release(state);
    return result;
  }

  /** One message in the middle of the form, taken through the form's steps in order. */
  private async handleTurn(dc: DialogContext, state: FormState): Promise<DialogTurnResult> {
    if (state.version !== this.version) {
      // The form changed since this draft was started: end cleanly instead of misreading it.
      return dc.endDialog({ outcome: 'stale', values: {} } satisfies FormResult);
    }
    const activity = dc.context.activity;
    const value = activity.value as Record<string, unknown> | undefined;
    const text =
      typeof activity.text === 'string' && activity.text.trim() !== ''
        ? activity.text
        : typeof value?.text === 'string'
          ? value.text
          : '';
    if (value?.contact && typeof value.contact === 'object' && text === '')
      return this.takeContact(dc, state, value.contact as Record<string, unknown>);
    const folded = fold(text);
    return (
      (await this.settleConfirmation(dc, state, folded)) ??
      (await this.runCommand(dc, state, text, folded)) ??
      this.takeAnswer(dc, state, text, folded)
    );
  }

  /** Contact details the channel shared (Zalo's contact card): each read by its field's parser. */
  private async takeContact(
    dc: DialogContext,
    state: FormState,
    contact: Record<string, unknown>,
  ): Promise<DialogTurnResult> {
    const extra = this.validContact(contact, state);
    Object.assign(state.values, extra);
    await this.onChange(dc.context, state.values);
    const taken = this.describeTaken(extra);
    if (state.index >= 0 && state.values[this.fields[state.index].id] !== undefined)
      return this.advance(dc, state, taken);
    return this.askCurrent(dc, state, taken);
  }

  /**
   * The message that answers a question the form asked about itself: "khôi phục" after a
   * cancellation, the confirmation of "hủy" or of "bắt đầu lại". Undefined when the message is
   * something else, to be read as usual.
   */
  private async settleConfirmation(
    dc: DialogContext,
    state: FormState,
    folded: string,
  ): Promise<DialogTurnResult | undefined> {
    if (state.cancelled) {
      if (isReply(folded, 'restore')) {
        delete state.cancelled;
        await this.onChange(dc.context, state.values);
        return this.askCurrent(dc, state, 'Dạ, tôi đã khôi phục bản đăng ký anh/chị đang điền, mình làm tiếp nhé.');
      }
      // Anything else is a new message for the main dialog: the cancelled draft is gone for good.
      return dc.endDialog({ outcome: 'interrupted', values: {} } satisfies FormResult);
    }
    if (state.confirmingCancel) {
      delete state.confirmingCancel;
      if (CANCEL_CONFIRMED.has(bareReply(folded))) {
        await this.onCancel(dc.context);
        state.cancelled = true;
        await dc.context.sendActivity(
          textReply(
            'Dạ, tôi đã hủy bản đang điền. Nếu hủy nhầm, anh/chị nhắn "khôi phục" ngay để lấy lại; khi cần đăng ký mới, nhắn "tôi muốn đăng ký".',
            [{ title: 'Khôi phục', value: 'khôi phục' }],
          ),
        );
        return Dialog.EndOfTurn;
      }
      if (isReply(folded, 'no') || isReply(folded, 'continue') || folded === 'dien tiep' || folded === 'khong huy')
        return this.askCurrent(dc, state, 'Dạ, mình điền tiếp nhé.');
    }

    if (state.confirmingRestart) {
      delete state.confirmingRestart;
      const bare = bareReply(folded);
      if (bare === 'bo ban nay' || bare === 'bo' || bare === 'bo di' || isReply(folded, 'cancel')) {
        await this.onCancel(dc.context);
        await dc.context.sendActivity(
          textReply(
            'Dạ, tôi đã bỏ bản đang điền. Mình bắt đầu lại nhé: anh/chị cần hỏi gì về khuyến công, hoặc nhắn "tôi muốn đăng ký" để điền bản mới.',
          ),
        );
        return dc.endDialog({ outcome: 'cancelled', values: {} } satisfies FormResult);
      }
      if (bare === 'giu lai' || bare === 'giu' || isReply(folded, 'keep') || isReply(folded, 'later')) {
        await this.onChange(dc.context, state.values);
        await dc.context.sendActivity(
          textReply(
            'Dạ, tôi giữ bản đang điền. Anh/chị cần hỏi gì về khuyến công ạ? Khi muốn điền tiếp, nhắn "tiếp tục".',
            [{ title: 'Tiếp tục', value: 'tiếp tục' }],
          ),
        );
        return dc.endDialog({ outcome: 'paused', values: state.values } satisfies FormResult);
      }
      if (isReply(folded, 'continue') || isReply(folded, 'no'))
        return this.askCurrent(dc, state, 'Dạ, mình điền tiếp nhé.');
    }

    return undefined;
  }

  /**
   * A command rather than an answer: the main dialog's own ("xóa dữ liệu của tôi"), "bắt đầu
   * lại", "hủy", "để sau", "quay lại", "sửa …", "trợ giúp", the summary's replies, or a question
   * asked in the middle of the form. Undefined when the message is an answer to the field.
   */
  private async runCommand(
    dc: DialogContext,
    state: FormState,
    text: string,
    folded: string,
  ): Promise<DialogTurnResult | undefined> {
    const field = state.index >= 0 ? this.fields[state.index] : undefined;
    const nameLike = isNameLike(field, folded);
    const words = nameLike ? [] : replyWords(folded);

    // "xóa dữ liệu của tôi" belongs to the main dialog, even mid-form.
    const intent = detectIntent(folded);
    if (intent === 'delete-data') {
      await this.onChange(dc.context, state.values);
      return dc.endDialog({ outcome: 'interrupted', values: state.values } satisfies FormResult);
    }
    if (intent === 'restart' && !words.includes('cancel') && !nameLike) {
      // "Bắt đầu lại" in the middle of a form: the owner chooses whether the draft goes or stays.
      state.confirmingRestart = true;
      await dc.context.sendActivity(
        textReply('Dạ, anh/chị muốn bỏ bản đăng ký đang điền, hay giữ lại để điền tiếp sau?', RESTART_BUTTONS),
      );
      return Dialog.EndOfTurn;
    }
    if (intent === 'my-registration') {
      const progress = this.progressText(state.values);
      if (progress) await dc.context.sendActivity(textReply(progress));
      return this.askCurrent(dc, state, 'Dạ, mình điền tiếp nhé.');
    }
    if (words.includes('cancel')) {
      state.confirmingCancel = true;
      const filled = this.fields.filter((f) => state.values[f.id] !== undefined && state.values[f.id] !== null).length;
      await dc.context.sendActivity(
        textReply(`Dạ, anh/chị muốn hủy bản đăng ký đang điền (đã điền ${filled} mục) phải không ạ?`, CANCEL_BUTTONS),
      );
      return Dialog.EndOfTurn;
    }
    if (words.includes('later')) {
      await this.onChange(dc.context, state.values);
      await dc.context.sendActivity(
        textReply(
          'Dạ, tôi đã lưu phần anh/chị điền. Khi nào tiện, anh/chị nhắn "tiếp tục" để làm tiếp từ chỗ đang dừng.',
          [{ title: 'Tiếp tục', value: 'tiếp tục' }],
        ),
      );
      return dc.endDialog({ outcome: 'paused', values: state.values } satisfies FormResult);
    }
    if (words.includes('back')) {
      const from = state.index === -1 ? this.fields.length : state.index;
      state.revisitUntil = Math.max(state.revisitUntil ?? -1, from);
      state.index = this.previousIndex(state.values, from);
      state.failures = 0;
      return this.askCurrent(dc, state);
    }
    if (words.includes('restore'))
      return this.askCurrent(dc, state, 'Dạ, bản đăng ký của anh/chị vẫn đang được giữ, mình điền tiếp nhé.');
    if (words.includes('continue') && state.index !== -1)
      return this.askCurrent(dc, state, 'Dạ, mình đang điền tiếp đây ạ.');
    const edit = /^(?:sua|chinh sua|sua lai|doi|thay doi)\s+(?:lai\s+)?(?:muc\s+)?(.+)$/.exec(folded);
    if (edit) {
      const target = this.findField(edit[1]);
      if (target >= 0) {
        state.returnToSummary = state.index === -1 || state.returnToSummary;
        state.index = target;
        state.failures = 0;
        return this.askCurrent(dc, state);
      }
    }
    if (state.index === -1) return this.handleSummary(dc, state, folded, words);
    if (/^(sua|chinh sua|sua lai)$/.test(folded) || (edit && /^(sua|chinh sua)/.test(folded)))
      return this.listEditable(dc, state);

    const current = field!;
    if (words.includes('help')) {
      await dc.context.sendActivity(textReply(`${current.help}`));
      return this.askCurrent(dc, state);
    }
    if (words.includes('keep') && state.values[current.id] !== undefined) return this.advance(dc, state);
    // A question is never an answer: answer it from the knowledge base and ask the same field again.
    if (text.trim() !== '' && looksLikeQuestion(text, folded)) return this.answerMidForm(dc, state, text);

    return undefined;
  }

  /** The message as the answer to the field being asked: taken, skipped, or asked again. */
  private async takeAnswer(
    dc: DialogContext,
    state: FormState,
    text: string,
    folded: string,
  ): Promise<DialogTurnResult> {
    const current = this.fields[state.index];
    const words = isNameLike(current, folded) ? [] : replyWords(folded);
    const skipping =
      words.includes('skip') || words.includes('none') || (current.optional === true && words.includes('no'));
    const parsed = current.parse(text, state.values, this.clock());
    // "không có" is an answer to the fields that read it ("nguồn khác: không có" is 0).
    if (skipping && !(current.readsNone && parsed.ok)) {
      if (current.optional || (state.failures >= 2 && !current.mandatory)) {
        // Optional fields, and any field after two failed tries, can be left for later.
        // null marks "skipped": not asked again, shown as not filled in the summary.
        state.values[current.id] = null;
        await this.onChange(dc.context, state.values);
        return this.advance(dc, state);
      }
      state.failures += 1;
      return this.askCurrent(
        dc,
        state,
        current.reprompts.skip ??
          'Dạ, mục này cần cho bản đăng ký. Anh/chị điền giúp tôi, hoặc nhắn "để sau" để dừng lại và điền sau.',
      );
    }
    if (parsed.ok) {
      // An answer may carry more than it was asked for; the asked field prefers what was
      // recognised in it ("HTX mây tre Phúc Lâm" rather than the whole sentence).
      delete state.values[current.id];
      const extra = this.volunteered(text, state.values, current.id);
      const own = extra[current.id];
      state.values[current.id] = own ?? parsed.value;
      delete extra[current.id];
      Object.assign(state.values, extra);
      // Say what was taken, the asked field too when it is not the whole message, so the owner can correct it.
      const taken = this.describeTaken(
        own !== undefined && own !== parsed.value ? { [current.id]: own, ...extra } : extra,
        true,
      );
      const remarks = [
        parsed.note ? `Dạ, ${parsed.note}.` : undefined,
        taken,
        current.remark?.(state.values[current.id], state.values),
      ].filter(Boolean);
      if (remarks.length > 0) await dc.context.sendActivity(textReply(remarks.join('\n')));
      await this.onChange(dc.context, state.values);
      return this.advance(dc, state);
    }
    state.failures += 1;
    if (state.failures > 2) {
      const ways = current.mandatory
        ? [
            { title: 'Trợ giúp', value: 'trợ giúp' },
            { title: 'Để sau', value: 'để sau' },
            { title: 'Hủy', value: 'hủy' },
          ]
        : [
            { title: 'Trợ giúp', value: 'trợ giúp' },
            { title: 'Bỏ qua', value: 'bỏ qua' },
            { title: 'Để sau', value: 'để sau' },
          ];
      const offer = current.mandatory
        ? 'xem hướng dẫn, tạm dừng, hoặc hủy'
        : 'xem hướng dẫn, bỏ qua mục này để điền sau, hoặc tạm dừng';
      await dc.context.sendActivity(
        textReply(`Dạ, có vẻ mục "${current.label}" đang khó trả lời. Anh/chị có thể ${offer}.`, ways),
      );
      return Dialog.EndOfTurn;
    }
    const reprompt = current.reprompts[parsed.reason] ?? current.reprompts.default ?? 'Dạ, tôi chưa hiểu câu trả lời.';
    return this.askCurrent(dc, state, reprompt);
  }

  /** A question in the middle of the form: answered when the knowledge base can, then the same field again. */
  private async answerMidForm(dc: DialogContext, state: FormState, text: string): Promise<DialogTurnResult> {
    const answer = this.knowledge.answer(text, { now: this.clock() });
    if (answer.kind === 'answer') {
      await dc.context.sendActivity({ ...answerReply(answer), suggestedActions: undefined });
      return this.askCurrent(dc, state, 'Dạ, mình điền tiếp nhé.');
    }
    const hint =
      answer.kind === 'clarify'
        ? `Dạ, có phải anh/chị hỏi về: ${answer.choices.map((c) => `"${c.title}"`).join(', ')}? Anh/chị hỏi rõ hơn giúp tôi, hoặc hỏi lại sau khi điền xong.`
        : 'Dạ, câu hỏi này tôi chưa có thông tin để trả lời; anh/chị có thể hỏi Sở Công Thương tỉnh mình.';
    return this.askCurrent(dc, state, `${hint} Tôi chưa ghi câu này vào bản đăng ký.`);
  }

  /** The fields that "sửa <tên mục>" can reach. */
  private async listEditable(dc: DialogContext, state: FormState): Promise<DialogTurnResult> {
    const editable = this.fields.filter((f) => !f.skipIf?.(state.values));
    const list = editable.map((f, i) => `${i + 1}. ${f.label}`).join('\n');
    await dc.context.sendActivity(
      textReply(`Dạ, anh/chị muốn sửa mục nào? Gõ "sửa <tên mục>", ví dụ "sửa số điện thoại":\n${list}`),
    );
    return this.askCurrent(dc, state);
  }

  /** "Tôi đã ghi nhận luôn: …" for fields taken from an answer beyond the one asked. */
  protected describeTaken(extra: FormValues, correctable = false): string | undefined {
    const parts = this.fields
      .filter((f) => extra[f.id] !== undefined)
      .map((f) => `${f.label}: ${f.format ? f.format(extra[f.id]) : String(extra[f.id])}`);
    if (parts.length === 0) return undefined;
    const fix = correctable ? ' Nếu chưa đúng, anh/chị nhắn "sửa <tên mục>".' : '';
    return `Dạ, tôi ghi nhận luôn: ${parts.join('; ')}.${fix}`;
  }

  /** The progress line and question of the current field, with its buttons. */
  protected async askCurrent(dc: DialogContext, state: FormState, before?: string): Promise<DialogTurnResult> {
    if (state.index === -1 || state.index >= this.fields.length) return this.showSummary(dc, state);
    const field = this.fields[state.index];
    // Conditional fields (those with skipIf) are not counted, so the total never changes within a form.
    const counted = (f: FieldSpec) => !f.skipIf || f.counted === true;
    const step = this.fields.slice(0, state.index + 1).filter(counted).length;
    const total = this.fields.filter(counted).length;
    const choices = (field.choices ?? []).slice(0, MAX_BUTTONS);
    const current = state.values[field.id];
    const filled = current !== undefined && current !== null;
    if (filled && choices.length < MAX_BUTTONS) choices.unshift({ title: 'Giữ nguyên', value: 'giữ nguyên' });
    if (field.optional && choices.length < MAX_BUTTONS) choices.push({ title: 'Bỏ qua', value: 'bỏ qua' });
    const question = field.prompt?.(state.values) ?? field.question;
    const now = filled
      ? `\n(Hiện đang ghi: ${field.format ? field.format(current) : String(current)}. Nhắn "giữ nguyên" nếu không đổi.)`
      : '';
    const text = [before, `${counted(field) ? `Bước ${step}/${total}: ` : ''}${question}${now}`]
      .filter(Boolean)
      .join('\n');
    const reply = textReply(text, choices.slice(0, MAX_BUTTONS));
    if (field.requestContact) reply.entities = [...(reply.entities ?? []), { type: CONTACT_REQUEST_ENTITY }];
    await dc.context.sendActivity(reply);
    return Dialog.EndOfTurn;
  }

  private async advance(dc: DialogContext, state: FormState, before?: string): Promise<DialogTurnResult> {
    state.failures = 0;
    if (state.revisitUntil !== undefined) {
      // After "quay lại", the fields up to where the user was are asked again in order, answered or not.
      const next = this.fields.findIndex((f, i) => i > state.index && !f.skipIf?.(state.values));
      if (next >= 0 && next < state.revisitUntil) {
        state.index = next;
        return this.askCurrent(dc, state, before);
      }
      delete state.revisitUntil;
    }
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
    await dc.context.sendActivity(
      typeof closing === 'string' ? textReply(closing) : textReply(closing.text, closing.choices),
    );
    return dc.endDialog({ outcome: 'completed', values: state.values } satisfies FormResult);
  }

  private async handleSummary(
    dc: DialogContext,
    state: FormState,
    folded: string,
    words: string[],
  ): Promise<DialogTurnResult> {
    if (words.includes('confirm') || words.includes('yes')) return this.complete(dc, state);
    const editable = this.fields.filter((f) => !f.skipIf?.(state.values));
    const list = editable.map((f, i) => `${i + 1}. ${f.label}`).join('\n');
    const n = Number.parseInt(folded, 10);
    if (String(n) === folded && n >= 1 && n <= editable.length) {
      state.returnToSummary = true;
      state.index = this.fields.indexOf(editable[n - 1]);
      return this.askCurrent(dc, state);
    }
    await dc.context.sendActivity(
      textReply(
        `Dạ, anh/chị muốn sửa mục nào? Gõ số thứ tự hoặc "sửa <tên mục>", ví dụ "sửa số điện thoại":\n${list}`,
        [{ title: 'Xác nhận', value: 'xác nhận' }],
      ),
    );
    return Dialog.EndOfTurn;
  }

  /** The next field after `from` that is not skipped and has no value yet; fields.length when none. */
  protected nextIndex(values: FormValues, from: number): number {
    for (let i = from + 1; i < this.fields.length; i++) {
      const f = this.fields[i];
      if (!f.skipIf?.(values) && values[f.id] === undefined) return i;
    }
    return this.fields.length;
  }

  private previousIndex(values: FormValues, from: number): number {
    for (let i = from - 1; i >= 0; i--) if (!this.fields[i].skipIf?.(values)) return i;
    return Math.max(0, from);
  }

  /** The field "sửa <words>" names: an exact label or alias first, else the longest alias or label it begins with. */
  private findField(words: string): number {
    const target = words.trim();
    let best = -1;
    let bestScore = 0;
    this.fields.forEach((f, i) => {
      for (const name of [fold(f.label), ...(f.aliases ?? [])]) {
        const score =
          target === name
            ? 1000 + name.length
            : target.startsWith(`${name} `) || name.startsWith(target)
              ? name.length
              : 0;
        if (score > bestScore) {
          best = i;
          bestScore = score;
        }
      }
    });
    return best;
  }
}
