import type { TurnContext } from 'botbuilder';
import { STAGE_LABELS, type Stage } from './registration-stages.ts';
import type { KnowledgeBase } from '../knowledge/index.ts';
import { FormDialog, type FormValues } from './form-dialog.ts';
import { registrationFields, WHO_SEES, whoSees } from './registration-fields.ts';
import { registrationSummary } from './registration-summary.ts';
import { volunteeredFields } from './volunteered.ts';

/** Id of the registration dialog. */
export const REGISTRATION_DIALOG = 'registration';

/** Bumped whenever the fields change: older drafts are then discarded with an apology. */
export const REGISTRATION_SCHEMA_VERSION = 1;

/** Where drafts and submitted registrations go; the bot implements it on its stores. */
export interface RegistrationSink {
  saveDraft(context: TurnContext, values: FormValues, schemaVersion: number): Promise<void>;
  loadDraft(context: TurnContext): Promise<{ values: FormValues; schemaVersion: number } | undefined>;
  /** Saves the registration as submitted; returns its reference code. */
  submit(context: TurnContext, values: FormValues, schemaVersion: number): Promise<string>;
  discardDraft(context: TurnContext): Promise<void>;
  /** The user's latest submitted registration, for "mã đăng ký của tôi". */
  lastSubmitted(context: TurnContext): Promise<{ code: string; values: FormValues } | undefined>;
  /**
   * Where the user's own submitted registrations stand (newest first), with the Sở's last message
   * to them; only theirs, whatever code they name.
   */
  statuses?(context: TurnContext): Promise<{ code: string; stage: Stage; lastMessage?: string }[]>;
}

/** "hồ sơ của tôi tới đâu rồi", "tình trạng KC-2026-000123": the owner's own registrations only. */
export async function myStatusReply(sink: RegistrationSink, context: TurnContext, text: string): Promise<string> {
  const all = (await sink.statuses?.(context)) ?? [];
  const named = /\bKC-\d{4}-\d{6}\b/i.exec(text)?.[0]?.toUpperCase();
  if (all.length === 0)
    return 'Dạ, anh/chị chưa có bản đăng ký nào đã gửi từ tài khoản này. Nhắn "tôi muốn đăng ký" để bắt đầu, hoặc "tiếp tục" nếu đang điền dở.';
  const mine = named ? all.filter((s) => s.code === named) : all.slice(0, 3);
  if (mine.length === 0)
    return `Dạ, mã ${named} không phải bản đăng ký gửi từ tài khoản này của anh/chị, nên tôi không xem được. Các bản của anh/chị: ${all.map((s) => s.code).join(', ')}.`;
  return mine
    .map((s) =>
      [
        `Dạ, bản đăng ký ${s.code} của anh/chị: ${STAGE_LABELS[s.stage].toLowerCase()}.`,
        s.lastMessage ? `Tin nhắn gần nhất của Sở Công Thương: "${s.lastMessage}"` : undefined,
        s.stage === 'needs-documents'
          ? 'Anh/chị vui lòng bổ sung hồ sơ theo hướng dẫn của Sở và ghi mã đăng ký.'
          : s.stage === 'included' || s.stage === 'not-included'
            ? 'Anh/chị có thể nhắn tại đây nếu cần hỏi thêm.'
            : 'Sở sẽ báo anh/chị khi có kết quả xem xét.',
      ]
        .filter(Boolean)
        .join(' '),
    )
    .join('\n\n');
}

/**
 * The guided pre-fill of a khuyến công registration, mirroring a đề án outline (FACTS §5): the
 * facility, contact, the project, its timeline and budget, expected effects and consent.
 */
export class RegistrationDialog extends FormDialog {
  constructor(
    knowledge: KnowledgeBase,
    clock: () => Date,
    private readonly sink: RegistrationSink,
  ) {
    super(REGISTRATION_DIALOG, registrationFields(), REGISTRATION_SCHEMA_VERSION, knowledge, clock);
  }

  protected intro(resumed: boolean): string {
    return resumed
      ? 'Dạ, mình điền tiếp bản đăng ký nhé. Các mục anh/chị đã trả lời vẫn được giữ.'
      : `Dạ, tôi sẽ giúp anh/chị điền trước bản đăng ký đề án khuyến công, để mang đến Sở Công Thương hoặc Trung tâm Khuyến công của tỉnh. ${WHO_SEES}\n` +
          'Khoảng 20 câu hỏi ngắn, mất chừng 5–10 phút. Anh/chị có thể nhắn "để sau" để dừng và "tiếp tục" để làm tiếp, "quay lại" để sửa câu trước, "hủy" để bỏ.';
  }

  protected summaryText(values: FormValues): string {
    return `Dạ, đây là bản đăng ký anh/chị đã điền:\n${registrationSummary(values)}\n\nAnh/chị bấm "Xác nhận" để lưu, hoặc "Sửa" để chỉnh một mục.`;
  }

  protected override describeTaken(extra: FormValues, correctable = false): string | undefined {
    const taken = super.describeTaken(extra, correctable);
    return taken && typeof extra.provinceNote === 'string'
      ? taken.replace(/\.( Nếu chưa đúng|$)/, ` (${extra.provinceNote}).$1`)
      : taken;
  }

  protected override progressText(values: FormValues): string {
    return `Dạ, đây là phần anh/chị đã điền (bản đang điền, chưa xác nhận nên chưa có mã):\n${registrationSummary(values)}`;
  }

  /** The draft row is the one copy of the values; the dialog state keeps only the position. */
  protected override readonly keepsValuesOutside = true;

  protected override async loadValues(context: TurnContext): Promise<FormValues | undefined> {
    return (await this.sink.loadDraft(context))?.values;
  }

  protected override async onChange(context: TurnContext, values: FormValues): Promise<void> {
    await this.sink.saveDraft(context, values, REGISTRATION_SCHEMA_VERSION);
  }

  protected override async onCancel(context: TurnContext): Promise<void> {
    await this.sink.discardDraft(context);
  }

  protected override fromContact(contact: Record<string, unknown>): Record<string, string> {
    const out: Record<string, string> = {};
    if (typeof contact.name === 'string') out.contactPerson = contact.name;
    if (typeof contact.phone === 'string') out.phone = contact.phone;
    if (typeof contact.address === 'string') out.address = contact.address;
    return out;
  }

  protected override volunteered(text: string, values: FormValues, asked?: string): FormValues {
    return volunteeredFields(text, values, asked);
  }

  protected async onComplete(context: TurnContext, values: FormValues): Promise<string> {
    const code = await this.sink.submit(context, values, REGISTRATION_SCHEMA_VERSION);
    const where = typeof values.province === 'string' ? values.province : 'của tỉnh';
    return (
      `Dạ, tôi đã lưu bản đăng ký với mã ${code}.\n${registrationSummary(values)}\n\n` +
      `${whoSees(values)} Anh/chị mang mã ${code} và giấy tờ của cơ sở đến Sở Công Thương hoặc Trung tâm Khuyến công ${where} để được hướng dẫn làm hồ sơ. ` +
      'Nhắn "xem lại bản đăng ký" khi cần xem lại mã và nội dung.'
    );
  }
}

/** "mã đăng ký của tôi", "xem lại bản đăng ký": the code and summary of the latest registration, or where the draft stands. */
export async function myRegistrationReply(sink: RegistrationSink, context: TurnContext): Promise<string> {
  const last = await sink.lastSubmitted(context);
  const draft = await sink.loadDraft(context);
  const draftLine = draft ? 'Anh/chị còn một bản đang điền dở; nhắn "tiếp tục" để điền tiếp.' : undefined;
  if (!last)
    return ['Dạ, anh/chị chưa có bản đăng ký nào đã lưu.', draftLine ?? 'Nhắn "tôi muốn đăng ký" để bắt đầu nhé.'].join(
      ' ',
    );
  return [
    `Dạ, bản đăng ký gần nhất của anh/chị có mã ${last.code}:`,
    registrationSummary(last.values),
    '',
    whoSees(last.values),
    draftLine,
  ]
    .filter((l) => l !== undefined)
    .join('\n');
}

/** The values a first message already gives, so the form does not ask them again. */
export function registrationValuesFrom(text: string): FormValues {
  // "tôi muốn đăng ký, HTX mây tre …": what follows the request is about the facility.
  const m = /^[^,;:]*?(?:đăng ký|đăng kí|dang ky|dang ki|đk|dk)[^,;:]*[,;:]\s*(.*)$/is.exec(text);
  return volunteeredFields(m ? m[1] : text, {});
}
