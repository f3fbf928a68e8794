import type { TurnContext } from 'botbuilder';
import type { KnowledgeBase } from '../knowledge/index.ts';
import { FormDialog, type FormValues } from './form-dialog.ts';
import { registrationFields, volunteeredFields } from './registration-fields.ts';

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
      : 'Dạ, tôi sẽ giúp anh/chị điền trước bản đăng ký đề án khuyến công, để anh/chị mang đến Sở Công Thương hoặc Trung tâm Khuyến công của tỉnh. Tôi không nộp hồ sơ thay anh/chị; cán bộ của Sở sẽ xem xét.\n' +
          'Khoảng 20 câu hỏi ngắn, mất chừng 5–10 phút. Anh/chị có thể nhắn "để sau" để dừng và "tiếp tục" để làm tiếp, "quay lại" để sửa câu trước, "hủy" để bỏ.';
  }

  protected summaryText(values: FormValues): string {
    const lines = this.fields
      .filter((f) => !f.skipIf?.(values) && f.id !== 'consent')
      .map((f, i) => {
        const v = values[f.id];
        const shown = v === undefined || v === null ? (f.optional ? (f.format ? f.format(v) : '(không có)') : '(chưa điền)') : f.format ? f.format(v) : String(v);
        return `${i + 1}. ${f.label}: ${shown}`;
      });
    const note = typeof values.provinceNote === 'string' ? `\n(${values.provinceNote}.)` : '';
    return `Dạ, đây là bản đăng ký anh/chị đã điền:\n${lines.join('\n')}${note}\n\nAnh/chị bấm "Xác nhận" để lưu, hoặc "Sửa" để chỉnh một mục.`;
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

  protected override volunteered(text: string, values: FormValues): FormValues {
    return volunteeredFields(text, values);
  }

  protected async onComplete(context: TurnContext, values: FormValues): Promise<string> {
    const code = await this.sink.submit(context, values, REGISTRATION_SCHEMA_VERSION);
    return (
      `Dạ, tôi đã lưu bản đăng ký với mã ${code}.\n${this.summaryText(values).split('\n\n')[0]!.replace('Dạ, đây là bản đăng ký anh/chị đã điền:', 'Nội dung:')}\n\n` +
      `Anh/chị mang mã ${code} và các giấy tờ của cơ sở đến Sở Công Thương hoặc Trung tâm Khuyến công tỉnh ${String(values.province ?? 'mình')} để được hướng dẫn các bước tiếp theo. Bản đăng ký này chưa phải hồ sơ nộp cho cơ quan nhà nước.`
    );
  }
}

/** The values a first message already gives, so the form does not ask them again. */
export function registrationValuesFrom(text: string): FormValues {
  // "tôi muốn đăng ký, HTX mây tre …": what follows the request is about the facility.
  const m = /^[^,;:]*?(?:đăng ký|đăng kí|dang ky|dang ki|đk|dk)[^,;:]*[,;:]\s*(.*)$/is.exec(text);
  return volunteeredFields(m ? m[1]! : text, {});
}
