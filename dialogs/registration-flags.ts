import { computeSupport, formatMoney } from '../knowledge/index.ts';
import { REGISTRATION_FIELDS } from './registration-record.ts';

/** What an officer should look at twice in a registration. */
export type FlagId = 'above-cap' | 'no-counterpart' | 'duplicate-tax-code' | 'duplicate-phone' | 'incomplete';

/** A flag with the sentence that explains it. */
export interface Flag {
  id: FlagId;
  label: string;
  detail?: string;
}

/** Short Vietnamese names of the flags, for the list's badges and its filter. */
export const FLAG_LABELS: Record<FlagId, string> = {
  'above-cap': 'Vượt mức hỗ trợ',
  'no-counterpart': 'Thiếu vốn đối ứng',
  'duplicate-tax-code': 'Trùng mã số thuế',
  'duplicate-phone': 'Trùng số điện thoại',
  incomplete: 'Thiếu thông tin',
};

/** The support areas whose levels the sources give, as the knowledge base names what is wanted. */
const AREA_WANTS: Record<string, 'machine' | 'demo'> = {
  'may-moc-thiet-bi': 'machine',
  'mo-hinh-trinh-dien': 'demo',
};

const filled = (v: unknown) => v !== undefined && v !== '';

/**
 * The flags of a registration's data (the owner's answers with corrections over them):
 * support requested above the TT 28/2018/TT-BTC level computed by the knowledge base for its
 * area and total cost, no counterpart funds, required fields left empty, and, from `duplicates`
 * (how many other registrations share its tax code or phone), possible double registrations.
 */
export function registrationFlags(
  data: Record<string, unknown>,
  duplicates: { taxCode?: number; phone?: number } = {},
): Flag[] {
  const flags: Flag[] = [];
  const want = AREA_WANTS[String(data.supportArea)];
  const total = data.budgetTotal;
  const requested = data.budgetRequested;
  if (want && typeof total === 'number' && typeof requested === 'number') {
    const support = computeSupport(want, total);
    if (support && requested > support.amount)
      flags.push({
        id: 'above-cap',
        label: FLAG_LABELS['above-cap'],
        detail: `Đề nghị ${formatMoney(requested)} đồng, cao hơn mức tối đa khoảng ${formatMoney(support.amount)} đồng (${support.level.what}: ${support.level.capText}) theo Thông tư 28/2018/TT-BTC.`,
      });
  }
  if (typeof data.budgetCounterpart !== 'number' || data.budgetCounterpart <= 0)
    flags.push({ id: 'no-counterpart', label: FLAG_LABELS['no-counterpart'] });
  if ((duplicates.taxCode ?? 0) > 0)
    flags.push({
      id: 'duplicate-tax-code',
      label: FLAG_LABELS['duplicate-tax-code'],
      detail: `Có ${duplicates.taxCode} đăng ký khác cùng mã số thuế.`,
    });
  if ((duplicates.phone ?? 0) > 0)
    flags.push({
      id: 'duplicate-phone',
      label: FLAG_LABELS['duplicate-phone'],
      detail: `Có ${duplicates.phone} đăng ký khác cùng số điện thoại.`,
    });
  // A skipped field (null) was answered "không có"; an absent one was never answered.
  const missing = REGISTRATION_FIELDS.filter((f) => f.required && f.key !== 'consent' && !filled(data[f.key]));
  if (missing.length > 0)
    flags.push({
      id: 'incomplete',
      label: FLAG_LABELS.incomplete,
      detail: `Chưa có: ${missing.map((f) => f.label).join(', ')}.`,
    });
  return flags;
}
