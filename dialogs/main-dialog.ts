import type { DialogContext, DialogTurnResult } from 'botbuilder-dialogs';
import { Dialog, DialogReason } from 'botbuilder-dialogs/lib/dialog.js';
import type { Activity, TurnContext } from 'botbuilder';
import { analyze, POLICY, type AnalyzedText, type KnowledgeBase } from '../knowledge/index.ts';
import { ELIGIBILITY_DIALOG } from './eligibility.ts';
import type { FormResult } from './form-dialog.ts';
import { detectIntent } from './intents.ts';
import { myRegistrationReply, REGISTRATION_DIALOG, REGISTRATION_SCHEMA_VERSION, registrationValuesFrom, type RegistrationSink } from './registration-dialog.ts';
import { answerReply, textReply } from './replies.ts';
import { parseYesNo } from './validators.ts';

/** Id of the main dialog in the dialog set. */
export const MAIN_DIALOG = 'main';

/** Bumped when the shape of the persisted state changes, so stale state is dropped, not misread. */
export const MAIN_STATE_VERSION = 1;

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
  onUnanswered?(context: TurnContext, question: string, reason: UnansweredReason): Promise<void>;
  /** Deletes the drafts and conversation state of this turn's user. */
  forgetUser?(context: TurnContext): Promise<void>;
}

const WELCOME =
  'Dạ, xin chào! Tôi là Trợ lý Khuyến công. Tôi giải đáp về các lĩnh vực hỗ trợ khuyến công, ai được hỗ trợ, mức hỗ trợ và hạn đăng ký, có ghi nguồn văn bản, và giúp bạn điền trước bản đăng ký đề án. Bạn có thể gõ có dấu hoặc không dấu.';
const NON_TEXT = 'Dạ, hiện tôi chỉ đọc được tin nhắn chữ. Bạn vui lòng gõ câu hỏi về khuyến công nhé.';
const REJECTED =
  'Dạ, xin lỗi vì tôi chưa hiểu đúng ý bạn. Bạn có thể hỏi lại bằng cách khác, hoặc liên hệ Sở Công Thương / Trung tâm Khuyến công tỉnh mình để được giải đáp trực tiếp.';
const RESTARTED = 'Dạ, mình bắt đầu lại nhé. Bạn cần hỏi gì về khuyến công ạ?';
const CONFIRM_DELETE =
  'Dạ, anh/chị muốn xóa toàn bộ dữ liệu của mình phải không ạ? Gồm bản đăng ký đang điền dở, nội dung các cuộc trò chuyện đang lưu và những câu hỏi trợ lý chưa trả lời được. Việc này không hoàn tác được.';
const DELETED =
  'Dạ, tôi đã xóa bản đăng ký đang điền dở, nội dung các cuộc trò chuyện đã lưu và những câu hỏi chưa được trả lời của anh/chị. Các bản đăng ký đã gửi vẫn được giữ vì Sở Công Thương dùng chúng để xem xét đề án; nếu muốn xóa cả những bản này, anh/chị vui lòng liên hệ Sở Công Thương tỉnh mình.';
const DELETE_DECLINED = 'Dạ, tôi giữ nguyên dữ liệu của bạn. Bạn cần hỏi gì thêm ạ?';
const DELETE_YES = 'Có, xóa hết';
const DELETE_NO = 'Không xóa';
const OFFER_CHECK =
  'Dạ, tôi sẽ giúp bạn điền trước bản đăng ký đề án khuyến công (khoảng 5–10 phút, có thể dừng giữa chừng). Trước khi điền, bạn có muốn kiểm tra nhanh cơ sở có thuộc diện được hỗ trợ không?';
const NO_DRAFT = 'Dạ, hiện bạn không có bản đăng ký nào đang điền dở. Nhắn "tôi muốn đăng ký" để bắt đầu nhé.';
const STALE =
  'Dạ, xin lỗi bạn: mẫu đăng ký vừa được cập nhật nên bản bạn điền dở không dùng tiếp được và tôi đã bỏ nó. Bạn nhắn "tôi muốn đăng ký" để điền lại theo mẫu mới nhé.';

/** Commands ("bắt đầu lại", "xóa dữ liệu của tôi", "tôi muốn đăng ký") are read in this much of a message. */
const INTENT_CHARS = 300;
const YES_WORDS = new Set(['co', 'co xoa het', 'dong y', 'xoa', 'xoa di', 'ok', 'yes', 'u', 'uh', 'vang', 'co xoa']);
const REJECT_WORDS = new Set(['khong phai cac y tren', 'khong phai y tren', 'khong phai', 'khong', 'sai', 'sai roi', 'khong dung', 'khong co y nao']);
/** Knowledge entries after which "Điền bản đăng ký" and "Kiểm tra điều kiện" buttons are offered. */
const REGISTER_TOPICS = new Set(['register-how', 'proposal-contents', 'bot-does-not-submit', 'funding-conditions', 'counterpart-funds']);
const CHECK_TOPICS = new Set(['eligibility-who', 'eligibility-household', 'eligibility-cooperative', 'eligibility-sme', 'eligibility-location', 'eligibility-sectors', 'eligibility-craft-village']);

/** The welcome message sent when someone joins or opens the conversation. */
export function welcomeReply(knowledge: KnowledgeBase): Partial<Activity> {
  const starters = ['six-support-areas', 'eligibility-who']
    .map((id) => knowledge.entries.find((e) => e.id === id))
    .filter((e) => e !== undefined)
    .map((e) => ({ title: e.title, value: e.title }));
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
    const state: MainState = stored.version === MAIN_STATE_VERSION ? (stored as MainState) : { version: MAIN_STATE_VERSION };
    dc.activeDialog!.state = state;
    const result = await this.handle(dc, state);
    // With nothing to remember (most questions), the dialog ends: the next message begins it
    // afresh, and a conversation that only asks questions leaves no state to store.
    const idle = result === Dialog.EndOfTurn && dc.activeDialog?.id === MAIN_DIALOG && Object.keys(state).every((key) => key === 'version');
    return idle ? dc.endDialog() : result;
  }

  /** A form ended: say so where it needs saying, chain eligibility → registration, or hand back the message. */
  override async resumeDialog(dc: DialogContext, _reason: DialogReason, result?: FormResult & { interruptedBy?: string }): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as MainState;
    if (result?.outcome === 'stale') {
      await this.deps.registrations.discardDraft(dc.context);
      await dc.context.sendActivity(textReply(STALE));
      return Dialog.EndOfTurn;
    }
    if (result?.outcome === 'interrupted') return this.handle(dc, state);
    if (state.registerAfterCheck) {
      delete state.registerAfterCheck;
      if (result?.outcome === 'completed' && result.values.entityType !== 'khac') {
        const { entityType, province } = result.values;
        return dc.beginDialog(REGISTRATION_DIALOG, { values: { ...(entityType ? { entityType } : {}), ...(province ? { province } : {}) } });
      }
    }
    return Dialog.EndOfTurn;
  }

  private async handle(dc: DialogContext, state: MainState): Promise<DialogTurnResult> {
    const activity = dc.context.activity;
    if ((activity.value as { contact?: unknown } | undefined)?.contact && !activity.text) {
      await dc.context.sendActivity(textReply('Dạ, cảm ơn bạn đã chia sẻ thông tin liên hệ. Bạn nhắn "tôi muốn đăng ký" để bắt đầu điền bản đăng ký nhé.', [{ title: 'Điền bản đăng ký', value: 'điền bản đăng ký' }]));
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
        return dc.beginDialog(ELIGIBILITY_DIALOG);
      }
      return dc.beginDialog(REGISTRATION_DIALOG, { values });
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
        await dc.context.sendActivity(textReply(CONFIRM_DELETE, [{ title: DELETE_YES, value: DELETE_YES }, { title: DELETE_NO, value: DELETE_NO }]));
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
        await dc.context.sendActivity(textReply(OFFER_CHECK, [{ title: 'Kiểm tra trước', value: 'kiểm tra trước' }, { title: 'Điền luôn', value: 'điền luôn' }]));
        return Dialog.EndOfTurn;
      }
      case 'my-registration':
        delete state.pending;
        await dc.context.sendActivity(textReply(await myRegistrationReply(this.deps.registrations, dc.context)));
        return Dialog.EndOfTurn;
      case 'check-eligibility':
        delete state.pending;
        return dc.beginDialog(ELIGIBILITY_DIALOG);
      default:
        await this.answerQuestion(dc, state, text, folded, analyzed);
        return Dialog.EndOfTurn;
    }
  }

  private async answerQuestion(dc: DialogContext, state: MainState, text: string, folded: string, analyzed: AnalyzedText): Promise<void> {
    const now = this.deps.clock();
    if (state.pending) {
      const pending = state.pending;
      delete state.pending;
      const picked = pickChoice(folded, pending.ids, this.deps.knowledge);
      if (picked) {
        const answer = this.deps.knowledge.answerEntry(picked, { now });
        if (answer) {
          await dc.context.sendActivity(this.withFlowButtons(answerReply(answer), picked));
          return;
        }
      }
      if (REJECT_WORDS.has(folded)) {
        await this.deps.onUnanswered?.(dc.context, pending.question, 'rejected-clarification');
        await dc.context.sendActivity(textReply(REJECTED));
        return;
      }
    }
    const answer = this.deps.knowledge.answer(analyzed, { now });
    if (answer.kind === 'fallback' && answer.reason === 'out-of-scope') {
      await this.deps.onUnanswered?.(dc.context, text.slice(0, POLICY.maxQuestionChars), 'fallback');
    }
    if (answer.kind === 'clarify') state.pending = { ids: answer.candidates.map((c) => c.id), question: text.slice(0, 500) };
    await dc.context.sendActivity(this.withFlowButtons(answerReply(answer), answer.kind === 'answer' ? answer.entry.id : undefined));
  }

  /** After answers about registering or eligibility, a button that starts the matching form. */
  private withFlowButtons(reply: Partial<Activity>, topic: string | undefined): Partial<Activity> {
    const extra = topic && REGISTER_TOPICS.has(topic) ? { title: 'Điền bản đăng ký', value: 'điền bản đăng ký' } : topic && CHECK_TOPICS.has(topic) ? { title: 'Kiểm tra cơ sở', value: 'kiểm tra điều kiện' } : undefined;
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

/** Which of the offered entries the user picked: by number ("2") or by its title. */
function pickChoice(folded: string, ids: string[], knowledge: KnowledgeBase): string | undefined {
  const n = Number.parseInt(folded, 10);
  if (String(n) === folded && n >= 1 && n <= ids.length) return ids[n - 1];
  const entry = knowledge.entryForTitle(folded);
  return entry && ids.includes(entry.id) ? entry.id : undefined;
}
