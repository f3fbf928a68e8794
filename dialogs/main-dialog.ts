import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { Activity, TurnContext } from 'botbuilder';
import { analyze, POLICY, type KnowledgeBase } from '../knowledge/index.ts';
import { answerReply, textReply } from './replies.ts';

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
}

/** Why a question went unanswered. */
export type UnansweredReason = 'fallback' | 'rejected-clarification';

/** A clock, injected so tests can fix "today". */
export type Clock = () => Date;

/** Collaborators of the main dialog. */
export interface MainDialogDeps {
  knowledge: KnowledgeBase;
  clock: Clock;
  /** Records a question the bot could not answer, for the curators of the knowledge base. */
  onUnanswered?(context: TurnContext, question: string, reason: UnansweredReason): Promise<void>;
  /** Deletes the drafts and conversation state of this turn's user. */
  forgetUser?(context: TurnContext): Promise<void>;
}

const WELCOME =
  'Dạ, xin chào! Tôi là Trợ lý Khuyến công. Tôi giải đáp về các lĩnh vực hỗ trợ khuyến công, ai được hỗ trợ, mức hỗ trợ và hạn đăng ký, có ghi nguồn văn bản. Bạn có thể gõ có dấu hoặc không dấu.';
const TOO_LONG_NOTE = 'Tin nhắn của bạn khá dài nên tôi chỉ đọc phần đầu. ';
const NON_TEXT = 'Dạ, hiện tôi chỉ đọc được tin nhắn chữ. Bạn vui lòng gõ câu hỏi về khuyến công nhé.';
const REJECTED =
  'Dạ, xin lỗi vì tôi chưa hiểu đúng ý bạn. Bạn có thể hỏi lại bằng cách khác, hoặc liên hệ Sở Công Thương / Trung tâm Khuyến công tỉnh mình để được giải đáp trực tiếp.';
const RESTARTED = 'Dạ, mình bắt đầu lại nhé. Bạn cần hỏi gì về khuyến công ạ?';
const CONFIRM_DELETE =
  'Dạ, bạn muốn xóa toàn bộ dữ liệu của bạn (bản đăng ký đang điền dở và nội dung trò chuyện đang lưu) phải không ạ? Việc này không hoàn tác được.';
const DELETED = 'Dạ, tôi đã xóa bản đăng ký đang điền dở và nội dung trò chuyện đã lưu của bạn. Các bản đăng ký đã gửi cho Sở Công Thương do Sở quản lý, bạn vui lòng liên hệ Sở nếu muốn xóa.';
const DELETE_DECLINED = 'Dạ, tôi giữ nguyên dữ liệu của bạn. Bạn cần hỏi gì thêm ạ?';
const DELETE_YES = 'Có, xóa hết';
const DELETE_NO = 'Không xóa';

const RESTART_WORDS = new Set(['bat dau lai', 'lam lai', 'restart', 'start over', 'huy', 'thoi huy']);
const DELETE_REQUEST = /\b(xoa|xoa het|xoa toan bo|huy)\b.*\b(du lieu|thong tin)\b/;
const YES_WORDS = new Set(['co', 'co xoa het', 'dong y', 'xoa', 'xoa di', 'ok', 'yes', 'u', 'uh', 'vang', 'co xoa']);
const REJECT_WORDS = new Set(['khong phai cac y tren', 'khong phai', 'khong', 'sai', 'sai roi', 'khong dung', 'khong co y nao']);

/** The welcome message sent when someone joins or opens the conversation. */
export function welcomeReply(knowledge: KnowledgeBase): Partial<Activity> {
  const starters = ['six-support-areas', 'eligibility-who', 'register-how']
    .map((id) => knowledge.entries.find((e) => e.id === id))
    .filter((e) => e !== undefined)
    .map((e) => ({ title: e.title, value: e.title }));
  return textReply(WELCOME, starters);
}

/**
 * The conversation's root: continues a pending "Ý bạn là…", handles "bắt đầu lại", and otherwise
 * asks the knowledge base. Later flows (registration, eligibility) are begun from here.
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
    await this.handle(dc, state);
    return Dialog.EndOfTurn;
  }

  private async handle(dc: DialogContext, state: MainState): Promise<void> {
    const activity = dc.context.activity;
    const text = messageText(activity);
    if (text === undefined) {
      await dc.context.sendActivity(textReply(NON_TEXT));
      return;
    }
    const folded = analyze(text.slice(0, 200)).folded.join(' ');
    if (RESTART_WORDS.has(folded)) {
      delete state.pending;
      await dc.context.sendActivity({ ...welcomeReply(this.deps.knowledge), text: RESTARTED });
      return;
    }
    if (state.confirmingDelete) {
      delete state.confirmingDelete;
      if (YES_WORDS.has(folded)) {
        await this.deps.forgetUser?.(dc.context);
        await dc.context.sendActivity(textReply(DELETED));
        return;
      }
      await dc.context.sendActivity(textReply(DELETE_DECLINED));
      if (folded === 'khong xoa' || folded === 'khong') return;
    }
    if (DELETE_REQUEST.test(folded)) {
      delete state.pending;
      state.confirmingDelete = true;
      await dc.context.sendActivity(textReply(CONFIRM_DELETE, [{ title: DELETE_YES, value: DELETE_YES }, { title: DELETE_NO, value: DELETE_NO }]));
      return;
    }
    const now = this.deps.clock();
    if (state.pending) {
      const pending = state.pending;
      delete state.pending;
      const picked = pickChoice(folded, pending.ids, this.deps.knowledge);
      if (picked) {
        const answer = this.deps.knowledge.answerEntry(picked, { now });
        if (answer) {
          await dc.context.sendActivity(answerReply(answer));
          return;
        }
      }
      if (REJECT_WORDS.has(folded)) {
        await this.deps.onUnanswered?.(dc.context, pending.question, 'rejected-clarification');
        await dc.context.sendActivity(textReply(REJECTED));
        return;
      }
    }
    const answer = this.deps.knowledge.answer(text, { now });
    if (answer.kind === 'fallback' && answer.reason === 'out-of-scope') {
      await this.deps.onUnanswered?.(dc.context, text.slice(0, POLICY.maxQuestionChars), 'fallback');
    }
    if (answer.kind === 'clarify') state.pending = { ids: answer.candidates.map((c) => c.id), question: text.slice(0, 500) };
    const reply = answerReply(answer);
    if (text.length > POLICY.maxQuestionChars && reply.text) reply.text = TOO_LONG_NOTE + reply.text;
    await dc.context.sendActivity(reply);
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
