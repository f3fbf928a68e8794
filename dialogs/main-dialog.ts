import type { DialogContext, DialogTurnResult } from 'botbuilder-dialogs';
import { Dialog, DialogReason } from 'botbuilder-dialogs/lib/dialog.js';
import type { Activity, TurnContext } from 'botbuilder';
import {
  analyze,
  POLICY,
  type AnalyzedText,
  type Audience,
  type ConversationMemo,
  type KnowledgeBase,
  type OwnerFacts,
} from '../knowledge/index.ts';
import { ELIGIBILITY_DIALOG } from './eligibility.ts';
import type { FormResult } from './form-dialog.ts';
import { detectIntent } from './intents.ts';
import {
  myRegistrationReply,
  myStatusReply,
  REGISTRATION_DIALOG,
  REGISTRATION_SCHEMA_VERSION,
  registrationValuesFrom,
  type RegistrationSink,
} from './registration-dialog.ts';
import { answerReply, textReply } from './replies.ts';
import { parseYesNo } from './validators.ts';

/** Id of the main dialog in the dialog set. */
export const MAIN_DIALOG = 'main';

/** Bumped when the shape of the persisted state changes, so stale state is dropped, not misread. */
export const MAIN_STATE_VERSION = 2;

/** What the main dialog keeps between turns. */
export interface MainState {
  version: number;
  /** The entries offered in the last "Ý bạn là…" and the question that led to them (kept so a rejection can be recorded). */
  pending?: { ids: string[]; question: string };
  /** True after "xóa dữ liệu của tôi", until the user confirms or declines. */
  confirmingDelete?: boolean;
  /** After "tôi muốn đăng ký": the values the first message gave, while the bot asks whether to check eligibility first. */
  offeringCheck?: { values: Record<string, unknown> };
  /** The eligibility check was begun on the way to the registration. */
  registerAfterCheck?: boolean;
  /** The topic of the last answer and the facts the owner gave, for follow-ups and the forms. */
  memo?: ConversationMemo;
  /** "Báo cho tôi khi có hạn mới": the newest plan year with deadlines when the owner asked. */
  deadlineWatch?: { planYear: number };
}

/** Bumped when the shape of the conversation memo changes, so a stale memo is dropped, not misread. */
export const MEMO_VERSION = 1;

/** The conversation memo as it is stored: versioned plain data. */
export interface StoredMemo {
  version: number;
  memo: ConversationMemo;
}

/**
 * Where the conversation memo is kept between turns: beside the dialog stack rather than in it,
 * so a conversation that only asks questions keeps no dialog on its stack.
 */
export interface MemoStore {
  load(context: TurnContext): Promise<StoredMemo | undefined>;
  save(context: TurnContext, stored: StoredMemo | undefined): Promise<void>;
}

/** Why a question went unanswered. */
export type UnansweredReason = 'fallback' | 'rejected-clarification';

/** A clock, injected so tests can fix "today". */
export type Clock = () => Date;

/** Collaborators of the main dialog. */
export interface MainDialogDeps {
  knowledge: KnowledgeBase;
  clock: Clock;
  registrations: RegistrationSink;
  /** Records a question the bot could not answer, for the curators of the knowledge base. */
  onUnanswered?(context: TurnContext, question: string, reason: UnansweredReason, province?: string): Promise<void>;
  /** Deletes the drafts and conversation state of this turn's user. */
  forgetUser?(context: TurnContext): Promise<void>;
  /** Keeps the conversation memo; without it the memo lives in the main dialog's state. */
  memory?: MemoStore;
  /** Who asks in this turn, as the channel said; an owner when absent. */
  audienceOf?(context: TurnContext): Audience;
  /**
   * "Báo cho tôi khi có hạn mới", kept beside the conversation so the owner can be told before they
   * write again where their channel allows it; without it they are told with their next message.
   */
  deadlineWatches?: {
    /** Starts the watch; returns the hours within which the owner may be told before they write again (0: not before). */
    watch(context: TurnContext, planYear: number): Promise<number>;
    /** True, once, when this user waits for an older cycle than the newest and has not been told: tell them now. */
    news(context: TurnContext): Promise<boolean>;
    /**
     * For a watch kept in the conversation only: whether this user was told of `planYear` already;
     * when not, the store notes them told now (the caller tells them).
     */
    toldOf(context: TurnContext, planYear: number): Promise<boolean>;
  };
}

const WELCOME =
  'Dạ, xin chào! Tôi là Trợ lý Khuyến công. Tôi giải đáp về các lĩnh vực hỗ trợ khuyến công, ai được hỗ trợ, mức hỗ trợ và hạn đăng ký, có ghi nguồn văn bản, và giúp anh/chị điền trước bản đăng ký đề án. Anh/chị có thể gõ có dấu hoặc không dấu.';
const NON_TEXT = 'Dạ, hiện tôi chỉ đọc được tin nhắn chữ. Anh/chị vui lòng gõ câu hỏi về khuyến công nhé.';
const REJECTED =
  'Dạ, xin lỗi vì tôi chưa hiểu đúng ý anh/chị. Anh/chị có thể hỏi lại bằng cách khác, hoặc liên hệ Sở Công Thương / Trung tâm Khuyến công tỉnh mình để được giải đáp trực tiếp.';
const RESTARTED = 'Dạ, mình bắt đầu lại nhé. Anh/chị cần hỏi gì về khuyến công ạ?';
const CONFIRM_DELETE =
  'Dạ, anh/chị muốn xóa toàn bộ dữ liệu của mình phải không ạ? Gồm bản đăng ký đang điền dở, nội dung các cuộc trò chuyện đang lưu, những câu hỏi trợ lý chưa trả lời được và yêu cầu báo hạn mới (nếu có). Việc này không hoàn tác được.';
/** "Báo cho tôi", "nhắn em", "thông báo cho mình": asked to be told (not "bao giờ", when). */
const TELL_ME =
  /\b(bao|nhan|nhan tin|thong bao|nhac)( lai| giup| dum| ho)?( cho)? (toi|em|minh|tui|chau|con|anh|chi|bac)\b/;
/** New deadlines: "hạn mới", "hạn năm sau", "khi có hạn". */
const NEW_DEADLINES = /\bhan (moi|nam (moi|sau|toi)|cua nam (moi|sau|toi))\b|\b(co|ra) han\b/;
/** "Báo cho tôi khi có hạn mới" and its ways of saying it (folded text). */
const WATCH_DEADLINES = { test: (folded: string) => TELL_ME.test(folded) && NEW_DEADLINES.test(folded) };
const WATCHING =
  'Dạ, khi có hạn của kế hoạch năm mới, tôi sẽ báo anh/chị ngay ở lần anh/chị nhắn tin tiếp theo. ' +
  'Trong lúc chờ, anh/chị có thể hỏi Sở Công Thương tỉnh mình.';
const watchingProactive = (hours: number) =>
  `Dạ, khi có hạn của kế hoạch năm mới, tôi sẽ nhắn báo anh/chị. Zalo chỉ cho tôi nhắn trước trong vòng ${hours % 24 === 0 && hours > 48 ? `${hours / 24} ngày` : `${hours} giờ`} kể từ ` +
  'lần cuối anh/chị nhắn cho tôi; quá thời gian đó, tôi sẽ báo ở lần anh/chị nhắn tin tiếp theo. ' +
  'Trong lúc chờ, anh/chị có thể hỏi Sở Công Thương tỉnh mình.';

/** What an owner who asked to hear of new deadlines is told once the next cycle's are known. */
export function deadlineNewsText(cycle: { planYear: number; text: string }): string {
  return `Dạ, đã có hạn của kế hoạch năm ${cycle.planYear} mà anh/chị nhờ tôi báo:\n${cycle.text}`;
}

const DELETED =
  'Dạ, tôi đã xóa bản đăng ký đang điền dở, nội dung các cuộc trò chuyện đã lưu, những câu hỏi chưa được trả lời và yêu cầu báo hạn mới (nếu có) của anh/chị. Các bản đăng ký đã gửi vẫn được giữ vì Sở Công Thương dùng chúng để xem xét đề án; nếu muốn xóa cả những bản này, anh/chị vui lòng liên hệ Sở Công Thương tỉnh mình.';
const DELETE_DECLINED = 'Dạ, tôi giữ nguyên dữ liệu của anh/chị. Anh/chị cần hỏi gì thêm ạ?';
const DELETE_YES = 'Có, xóa hết';
const DELETE_NO = 'Không xóa';
const OFFER_CHECK =
  'Dạ, tôi sẽ giúp anh/chị điền trước bản đăng ký đề án khuyến công (khoảng 5–10 phút, có thể dừng giữa chừng). Trước khi điền, anh/chị có muốn kiểm tra nhanh cơ sở có thuộc diện được hỗ trợ không?';
const NO_DRAFT = 'Dạ, hiện anh/chị không có bản đăng ký nào đang điền dở. Nhắn "tôi muốn đăng ký" để bắt đầu nhé.';
const STALE =
  'Dạ, xin lỗi anh/chị: mẫu đăng ký vừa được cập nhật nên bản anh/chị điền dở không dùng tiếp được và tôi đã bỏ nó. Anh/chị nhắn "tôi muốn đăng ký" để điền lại theo mẫu mới nhé.';

/** Commands ("bắt đầu lại", "xóa dữ liệu của tôi", "tôi muốn đăng ký") are read in this much of a message. */
const INTENT_CHARS = 300;
const YES_WORDS = new Set(['co', 'co xoa het', 'dong y', 'xoa', 'xoa di', 'ok', 'yes', 'u', 'uh', 'vang', 'co xoa']);
const REJECT_WORDS = new Set([
  'khong phai cac y tren',
  'khong phai y tren',
  'khong phai',
  'khong',
  'sai',
  'sai roi',
  'khong dung',
  'khong co y nao',
]);
/** Knowledge entries after which "Điền bản đăng ký" and "Kiểm tra điều kiện" buttons are offered. */
const REGISTER_TOPICS = new Set([
  'register-how',
  'proposal-contents',
  'bot-does-not-submit',
  'funding-conditions',
  'counterpart-funds',
]);
const CHECK_TOPICS = new Set([
  'eligibility-who',
  'eligibility-household',
  'eligibility-cooperative',
  'eligibility-sme',
  'eligibility-location',
  'eligibility-sectors',
  'eligibility-craft-village',
]);

/** The welcome message sent when someone joins or opens the conversation. */
export function welcomeReply(knowledge: KnowledgeBase): Partial<Activity> {
  const starters = ['six-support-areas', 'eligibility-who']
    .map((id) => knowledge.entries.find((e) => e.id === id))
    .filter((e) => e !== undefined)
    .map((e) => ({ title: e.short, value: e.title }));
  return textReply(WELCOME, [...starters, { title: 'Điền bản đăng ký', value: 'điền bản đăng ký' }]);
}

/**
 * The conversation's root: answers questions from the knowledge base (with "Ý bạn là…" when
 * unsure), starts the registration and eligibility forms, resumes a paused draft, and handles
 * "bắt đầu lại" and "xóa dữ liệu của tôi".
 */
export class MainDialog extends Dialog {
  constructor(private readonly deps: MainDialogDeps) {
    super(MAIN_DIALOG);
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    dc.activeDialog!.state = { version: MAIN_STATE_VERSION } satisfies MainState;
    return this.continueDialog(dc);
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const stored = dc.activeDialog!.state as Partial<MainState>;
    const state: MainState =
      stored.version === MAIN_STATE_VERSION ? (stored as MainState) : { version: MAIN_STATE_VERSION };
    dc.activeDialog!.state = state;
    const memory = this.deps.memory;
    if (memory) {
      const stored = await memory.load(dc.context);
      if (stored?.version === MEMO_VERSION) state.memo = stored.memo;
      else delete state.memo;
    }
    const before = state.memo;
    const result = await this.handle(dc, state);
    if (memory) {
      // The memo is saved beside the stack; the dialog's own state keeps only what it waits for.
      const after =
        (dc.activeDialog?.id === MAIN_DIALOG ? (dc.activeDialog.state as MainState).memo : state.memo) ?? state.memo;
      if (after !== before) await memory.save(dc.context, after ? { version: MEMO_VERSION, memo: after } : undefined);
      delete state.memo;
    }
    // With nothing to remember (most questions), the dialog ends: the next message begins it
    // afresh, and a conversation that only asks questions leaves no state to store.
    const idle =
      result === Dialog.EndOfTurn &&
      dc.activeDialog?.id === MAIN_DIALOG &&
      Object.keys(state).every((key) => key === 'version');
    return idle ? dc.endDialog() : result;
  }

  /** A form ended: say so where it needs saying, chain eligibility → registration, or hand back the message. */
  override async resumeDialog(
    dc: DialogContext,
    _reason: DialogReason,
    result?: FormResult & { interruptedBy?: string },
  ): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as MainState;
    if (result?.outcome === 'stale') {
      await this.deps.registrations.discardDraft(dc.context);
      await dc.context.sendActivity(textReply(STALE));
      return Dialog.EndOfTurn;
    }
    if (result?.outcome === 'interrupted') return this.handle(dc, state);
    if (state.registerAfterCheck) {
      delete state.registerAfterCheck;
      if (
        result?.outcome === 'completed' &&
        result.values.entityType !== 'khac' &&
        result.values.entityType !== 'chua-dang-ky'
      ) {
        const { entityType, province } = result.values;
        return dc.beginDialog(REGISTRATION_DIALOG, {
          values: { ...(entityType ? { entityType } : {}), ...(province ? { province } : {}) },
        });
      }
    }
    return Dialog.EndOfTurn;
  }

  private async handle(dc: DialogContext, state: MainState): Promise<DialogTurnResult> {
    const activity = dc.context.activity;
    if ((activity.value as { contact?: unknown } | undefined)?.contact && !activity.text) {
      await dc.context.sendActivity(
        textReply(
          'Dạ, cảm ơn anh/chị đã chia sẻ thông tin liên hệ. Anh/chị nhắn "tôi muốn đăng ký" để bắt đầu điền bản đăng ký nhé.',
          [{ title: 'Điền bản đăng ký', value: 'điền bản đăng ký' }],
        ),
      );
      return Dialog.EndOfTurn;
    }
    const text = messageText(activity);
    if (text === undefined) {
      await dc.context.sendActivity(textReply(NON_TEXT));
      return Dialog.EndOfTurn;
    }
    // One reading of the message serves the flows' commands (its first 300 characters) and the knowledge base.
    const analyzed = analyze(text.slice(0, POLICY.maxQuestionChars));
    const folded = (text.length <= INTENT_CHARS ? analyzed : analyze(text.slice(0, INTENT_CHARS))).folded.join(' ');
    const intent = detectIntent(folded);

    // An owner who asked to hear of new deadlines hears of them with the next message they send,
    // unless the bot has told them already where the channel let it write first.
    const watches = this.deps.deadlineWatches;
    let tell = (await watches?.news(dc.context)) ?? false;
    if (state.deadlineWatch) {
      // A watch kept in the conversation (without a store, or from before the store kept them).
      const cycle = this.deps.knowledge.latestCycle({ now: this.deps.clock() });
      if (cycle && cycle.planYear > state.deadlineWatch.planYear) {
        delete state.deadlineWatch;
        tell ||= !(await watches?.toldOf(dc.context, cycle.planYear));
      }
    }
    if (tell) {
      const cycle = this.deps.knowledge.latestCycle({ now: this.deps.clock() });
      if (cycle) await dc.context.sendActivity(textReply(deadlineNewsText(cycle)));
    }
    if (WATCH_DEADLINES.test(folded)) {
      const planYear = this.deps.knowledge.latestCycle({ now: this.deps.clock() })?.planYear ?? 0;
      const hours = watches ? await watches.watch(dc.context, planYear) : 0;
      // Without a store the conversation keeps it.
      if (!watches) state.deadlineWatch = { planYear };
      await dc.context.sendActivity(textReply(hours > 0 ? watchingProactive(hours) : WATCHING));
      return Dialog.EndOfTurn;
    }

    if (state.confirmingDelete) {
      delete state.confirmingDelete;
      if (YES_WORDS.has(folded)) {
        await this.deps.forgetUser?.(dc.context);
        await dc.context.sendActivity(textReply(DELETED));
        return Dialog.EndOfTurn;
      }
      await dc.context.sendActivity(textReply(DELETE_DECLINED));
      if (folded === 'khong xoa' || folded === 'khong') return Dialog.EndOfTurn;
    }
    if (state.offeringCheck && (intent === undefined || intent === 'check-eligibility' || intent === 'register')) {
      const { values } = state.offeringCheck;
      delete state.offeringCheck;
      const yes = parseYesNo(text);
      const wantsCheck = intent === 'check-eligibility' || /kiem tra/.test(folded) || (yes.ok && yes.value);
      if (wantsCheck) {
        state.registerAfterCheck = true;
        return dc.beginDialog(ELIGIBILITY_DIALOG, { values: eligibilityValues(state.memo?.facts) });
      }
      return dc.beginDialog(REGISTRATION_DIALOG, { values: { ...registrationValues(state.memo?.facts), ...values } });
    }
    delete state.offeringCheck;

    switch (intent) {
      case 'restart':
        delete state.pending;
        await dc.context.sendActivity({ ...welcomeReply(this.deps.knowledge), text: RESTARTED });
        return Dialog.EndOfTurn;
      case 'delete-data':
        delete state.pending;
        state.confirmingDelete = true;
        await dc.context.sendActivity(
          textReply(CONFIRM_DELETE, [
            { title: DELETE_YES, value: DELETE_YES },
            { title: DELETE_NO, value: DELETE_NO },
          ]),
        );
        return Dialog.EndOfTurn;
      case 'resume':
      case 'register': {
        delete state.pending;
        const draft = await this.deps.registrations.loadDraft(dc.context);
        if (draft && draft.schemaVersion !== REGISTRATION_SCHEMA_VERSION) {
          await this.deps.registrations.discardDraft(dc.context);
          await dc.context.sendActivity(textReply(STALE));
          return Dialog.EndOfTurn;
        }
        if (draft) return dc.beginDialog(REGISTRATION_DIALOG, { values: draft.values, resumed: true });
        if (intent === 'resume') {
          await dc.context.sendActivity(textReply(NO_DRAFT));
          return Dialog.EndOfTurn;
        }
        state.offeringCheck = { values: registrationValuesFrom(text) };
        await dc.context.sendActivity(
          textReply(OFFER_CHECK, [
            { title: 'Kiểm tra trước', value: 'kiểm tra trước' },
            { title: 'Điền luôn', value: 'điền luôn' },
          ]),
        );
        return Dialog.EndOfTurn;
      }
      case 'my-status':
        delete state.pending;
        await dc.context.sendActivity(textReply(await myStatusReply(this.deps.registrations, dc.context, text)));
        return Dialog.EndOfTurn;
      case 'my-registration':
        delete state.pending;
        await dc.context.sendActivity(textReply(await myRegistrationReply(this.deps.registrations, dc.context)));
        return Dialog.EndOfTurn;
      case 'check-eligibility': {
        delete state.pending;
        // "HTX em ở xã … mua máy 400tr có được hỗ trợ không": the owner described the case, so
        // it is judged at once instead of asked again in the quiz.
        if (!/^kiem tra/.test(folded)) {
          const answer = this.deps.knowledge.answer(analyzed, {
            now: this.deps.clock(),
            ...(state.memo ? { memo: state.memo } : {}),
            ...this.audience(dc.context),
          });
          if (answer.memo?.situation) {
            state.memo = answer.memo;
            await dc.context.sendActivity(
              this.withFlowButtons(answerReply(answer), answer.kind === 'answer' ? answer.entry.id : undefined),
            );
            return Dialog.EndOfTurn;
          }
          if (answer.memo) state.memo = answer.memo;
          // "trồng lúa, mua máy gặt có được hỗ trợ không": another programme's, not a case for the quiz.
          if (answer.kind === 'fallback' && answer.reason === 'other-programme') {
            await dc.context.sendActivity(answerReply(answer));
            return Dialog.EndOfTurn;
          }
        }
        return dc.beginDialog(ELIGIBILITY_DIALOG, { values: eligibilityValues(state.memo?.facts) });
      }
      default:
        await this.answerQuestion(dc, state, text, folded, analyzed);
        return Dialog.EndOfTurn;
    }
  }

  private async answerQuestion(
    dc: DialogContext,
    state: MainState,
    text: string,
    folded: string,
    analyzed: AnalyzedText,
  ): Promise<void> {
    const now = this.deps.clock();
    const audience = this.audience(dc.context);
    if (state.pending) {
      const pending = state.pending;
      delete state.pending;
      const picked = pickChoice(folded, pending.ids, this.deps.knowledge);
      if (picked) {
        const answers = picked
          .map((id) => this.deps.knowledge.answerEntry(id, { now, ...audience }))
          .filter((a) => a !== undefined);
        for (const answer of answers)
          await dc.context.sendActivity(
            this.withFlowButtons(answerReply(answer), answer.kind === 'answer' ? answer.entry.id : undefined),
          );
        const last = answers.at(-1);
        if (last?.kind === 'answer')
          state.memo = {
            ...state.memo,
            facts: state.memo?.facts ?? {},
            ...topicOf(last.entry.id, this.deps.knowledge, last),
          };
        if (answers.length > 0) return;
      }
      if (REJECT_WORDS.has(folded)) {
        await this.deps.onUnanswered?.(
          dc.context,
          pending.question,
          'rejected-clarification',
          state.memo?.facts.province,
        );
        await dc.context.sendActivity(textReply(REJECTED));
        return;
      }
    }
    const answer = this.deps.knowledge.answer(analyzed, {
      now,
      ...(state.memo ? { memo: state.memo } : {}),
      ...audience,
    });
    if (answer.memo) state.memo = answer.memo;
    if (answer.kind === 'fallback' && answer.reason === 'out-of-scope') {
      await this.deps.onUnanswered?.(
        dc.context,
        text.slice(0, POLICY.maxQuestionChars),
        'fallback',
        (answer.memo ?? state.memo)?.facts.province,
      );
    }
    if (answer.kind === 'clarify')
      state.pending = { ids: answer.candidates.map((c) => c.id), question: text.slice(0, 500) };
    await dc.context.sendActivity(
      this.withFlowButtons(answerReply(answer), answer.kind === 'answer' ? answer.entry.id : undefined),
    );
  }

  /** `{ audience: 'officer' }` when the channel says an officer asks; nothing for an owner. */
  private audience(context: TurnContext): { audience?: Audience } {
    return this.deps.audienceOf?.(context) === 'officer' ? { audience: 'officer' } : {};
  }

  /** After answers about registering or eligibility, a button that starts the matching form. */
  private withFlowButtons(reply: Partial<Activity>, topic: string | undefined): Partial<Activity> {
    const extra =
      topic && REGISTER_TOPICS.has(topic)
        ? { title: 'Điền bản đăng ký', value: 'điền bản đăng ký' }
        : topic && CHECK_TOPICS.has(topic)
          ? { title: 'Kiểm tra cơ sở', value: 'kiểm tra điều kiện' }
          : undefined;
    if (!extra) return reply;
    const actions = [...(reply.suggestedActions?.actions ?? []).slice(0, 4), { type: 'imBack', ...extra }];
    return { ...reply, suggestedActions: { actions, to: [] } };
  }
}

/** The text of a message, or of a card submit that carries one; undefined for other content. */
function messageText(activity: Activity): string | undefined {
  if (typeof activity.text === 'string' && activity.text.trim() !== '') return activity.text;
  const value: unknown = activity.value;
  if (value && typeof value === 'object') {
    for (const key of ['text', 'query', 'question'] as const) {
      const v = (value as Record<string, unknown>)[key];
      if (typeof v === 'string') return v;
    }
  }
  const hasAttachments = (activity.attachments?.length ?? 0) > 0;
  return hasAttachments ? undefined : (activity.text ?? '');
}

const ORDINALS: Record<string, number> = { mot: 1, nhat: 1, dau: 1, hai: 2, nhi: 2, ba: 3, cuoi: -1 };

/**
 * Which of the offered entries the user picked: by number ("2", "số 3", "cái thứ hai", "ý đầu",
 * "cái cuối"), both or all ("cả hai", "cả ba"), or by its title.
 */
export function pickChoice(folded: string, ids: string[], knowledge: KnowledgeBase): string[] | undefined {
  if (/^(ca hai|ca 2|ca ba|ca 3|tat ca|ca)( y| cai)?( a| nhe)?$/.test(folded)) return ids;
  const m =
    /^(?:(?:so|y|cai|cau|muc|phuong an|lua chon)\s*)?(?:thu\s*)?(\d|mot|nhat|dau|hai|nhi|ba|cuoi)(?:\s*(?:tien|a|nhe|di|ay))*$/.exec(
      folded,
    );
  if (m) {
    const word = m[1];
    const n = /\d/.test(word) ? Number(word) : ORDINALS[word];
    const index = n === -1 ? ids.length - 1 : n - 1;
    if (index >= 0 && index < ids.length) return [ids[index]];
  }
  const entry = knowledge.entryForTitle(folded);
  return entry && ids.includes(entry.id) ? [entry.id] : undefined;
}

/** What the conversation remembers after an entry was picked from a list. */
function topicOf(
  id: string,
  knowledge: KnowledgeBase,
  answer: { memo?: ConversationMemo },
): Pick<ConversationMemo, 'topic'> & Partial<ConversationMemo> {
  const { facts: _facts, ...rest } = answer.memo ?? { facts: {} };
  return knowledge.entries.some((e) => e.id === id) ? { ...rest, topic: id, situation: false } : {};
}

/** The eligibility check's answers that the owner already gave in the conversation. */
export function eligibilityValues(facts: OwnerFacts | undefined): Record<string, unknown> {
  if (!facts) return {};
  const out: Record<string, unknown> = {};
  const entity = formEntity(facts.entity);
  if (entity) out.entityType = entity;
  if (facts.province) out.province = facts.province;
  if (facts.locality) out.locality = facts.locality;
  if (facts.craftVillage) out.craftVillage = facts.craftVillage;
  if (facts.sector === 'mining' || facts.sector === 'brick-kiln') out.sector = facts.sector;
  if (facts.difficultArea) out.difficultArea = facts.difficultArea;
  return out;
}

/** The registration fields the owner already gave in the conversation. */
export function registrationValues(facts: OwnerFacts | undefined): Record<string, unknown> {
  if (!facts) return {};
  const out: Record<string, unknown> = {};
  const entity = formEntity(facts.entity);
  if (entity && entity !== 'khac' && entity !== 'chua-dang-ky') out.entityType = entity;
  if (facts.province) out.province = facts.province;
  if (facts.want === 'machine' || facts.want === 'line') out.supportArea = 'may-moc-thiet-bi';
  else if (facts.want === 'demo') out.supportArea = 'mo-hinh-trinh-dien';
  if (typeof facts.amount === 'number') out.budgetTotal = facts.amount;
  return out;
}

function formEntity(entity: OwnerFacts['entity']): string | undefined {
  switch (entity) {
    case undefined:
    case 'household':
      return undefined;
    case 'large':
      return 'khac';
    case 'unregistered':
      return 'chua-dang-ky';
    default:
      return entity;
  }
}
