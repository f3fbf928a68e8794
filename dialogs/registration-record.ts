import { z } from 'zod';
import { formatVnd } from './money.ts';
import { formatTimeline } from './validators.ts';

/** Bumped when the stored shape of a registration changes; older records are migrated by `migrateRegistration`. */
export const REGISTRATION_RECORD_VERSION = 1;

const ENTITY_IDS = ['dnnvv', 'htx', 'lhhtx', 'tht', 'hkd', 'chua-dang-ky', 'khac'] as const;
const AREA_IDS = [
  'mo-hinh-trinh-dien',
  'may-moc-thiet-bi',
  'moi-truong-ccn',
  'san-pham-tieu-bieu',
  'nguon-nhan-luc',
  'tu-van-thong-tin',
] as const;
/** Labels of the entity types of NĐ 235/2025 (and "other"). */
export const ENTITY_LABELS: Record<(typeof ENTITY_IDS)[number], string> = {
  dnnvv: 'Doanh nghiệp nhỏ và vừa',
  htx: 'Hợp tác xã',
  lhhtx: 'Liên hiệp hợp tác xã',
  tht: 'Tổ hợp tác',
  hkd: 'Hộ kinh doanh',
  'chua-dang-ky': 'Cá nhân, hộ gia đình chưa đăng ký kinh doanh',
  khac: 'Loại khác (kể cả doanh nghiệp lớn)',
};
/** Labels of the six support areas (Công văn 400/CTĐP-QLKC). */
export const AREA_LABELS: Record<(typeof AREA_IDS)[number], string> = {
  'mo-hinh-trinh-dien': 'Xây dựng mô hình trình diễn kỹ thuật',
  'may-moc-thiet-bi': 'Ứng dụng máy móc thiết bị tiên tiến',
  'moi-truong-ccn': 'Xử lý ô nhiễm, sản xuất sạch hơn, cụm công nghiệp',
  'san-pham-tieu-bieu': 'Phát triển sản phẩm CNNT tiêu biểu',
  'nguon-nhan-luc': 'Phát triển nguồn nhân lực',
  'tu-van-thong-tin': 'Tư vấn, thông tin phát triển CNNT',
};

const text = z.string().min(1);
const amount = z.number().int().nonnegative();
/** null marks a field the owner skipped. */
const skippable = <T extends z.ZodType>(t: T) => t.nullable();

/**
 * A registration as the form saves it (version 1). Every field is optional in a draft; the form
 * asks for the required ones before the owner can confirm (`required` in the catalogue).
 */
export const registrationSchema = z
  .object({
    facilityName: text,
    entityType: z.enum(ENTITY_IDS),
    /** 10 digits, 10-3 digits, or "chưa có" for a household business without one. */
    taxCode: skippable(text),
    province: text,
    /** "Bắc Giang nay thuộc tỉnh Bắc Ninh", when an old name was given. */
    provinceNote: text,
    commune: text,
    address: text,
    contactPerson: text,
    phone: z.string().regex(/^0\d{9,10}$/),
    email: skippable(z.string().email()),
    supportArea: z.enum(AREA_IDS),
    projectName: text,
    objective: text,
    mainContent: text,
    implementationPlace: skippable(text),
    timeline: z.object({ start: z.string().regex(/^\d{4}-\d{2}$/), end: z.string().regex(/^\d{4}-\d{2}$/) }),
    budgetTotal: amount,
    budgetRequested: amount,
    budgetCounterpart: amount,
    budgetOther: skippable(amount),
    /** "kept": the parts do not add up to the total and the owner kept them so. */
    budgetCheck: z.literal('kept'),
    expectedEffects: text,
    consent: z.literal(true),
  })
  .partial();

/** A registration's values, typed. */
export type Registration = z.infer<typeof registrationSchema>;
/** The name of one of its fields. */
export type RegistrationKey = keyof Registration;

/** The groups a registration is shown in: the facility, the project, its budget. */
export type RegistrationGroup = 'facility' | 'project' | 'budget' | 'consent';
export const GROUP_LABELS: Record<RegistrationGroup, string> = {
  facility: 'Cơ sở',
  project: 'Đề án',
  budget: 'Kinh phí',
  consent: 'Đồng ý',
};

/** What every view shows for a field with no value. */
export const NOT_FILLED = '(chưa điền)';

/** One field of the catalogue: how every view labels, orders and formats it. */
export interface RegistrationFieldInfo<K extends RegistrationKey = RegistrationKey> {
  key: K;
  /** The Vietnamese label every view shows (chat "sửa …", cards, tab, exports, DOCX). */
  label: string;
  group: RegistrationGroup;
  order: number;
  /** The form does not finish without it. */
  required: boolean;
  /** The value as text; an amount in full đồng. */
  format(value: NonNullable<Registration[K]>): string;
  /** Shown when the owner skipped the field (null). */
  skipped?: string;
}

const plain = (v: unknown) => String(v);
const money = (v: number) => formatVnd(v);

/** Builds the catalogue so that each key is checked against the schema: renaming a field breaks the build here. */
function info<K extends RegistrationKey>(
  key: K,
  label: string,
  group: RegistrationGroup,
  required: boolean,
  format: (value: NonNullable<Registration[K]>) => string,
  skipped?: string,
) {
  return { key, label, group, required, format, ...(skipped ? { skipped } : {}) };
}

/** The registration's fields in the order of a đề án outline, each with its label, group and formatter. */
export const REGISTRATION_FIELDS = [
  info('facilityName', 'Tên cơ sở', 'facility', true, plain),
  info('entityType', 'Loại hình cơ sở', 'facility', true, (v) => ENTITY_LABELS[v]),
  info('taxCode', 'Mã số thuế', 'facility', true, plain, '(chưa có)'),
  info('province', 'Tỉnh, thành phố', 'facility', true, plain),
  info('provinceNote', 'Ghi chú địa danh', 'facility', false, plain),
  info('commune', 'Xã, phường, đặc khu', 'facility', true, plain),
  info('address', 'Địa chỉ', 'facility', true, plain),
  info('contactPerson', 'Người liên hệ', 'facility', true, plain),
  info('phone', 'Số điện thoại', 'facility', true, plain),
  info('email', 'Email', 'facility', false, plain, '(không có)'),
  info('supportArea', 'Lĩnh vực hỗ trợ', 'project', true, (v) => AREA_LABELS[v]),
  info('projectName', 'Tên đề án', 'project', true, plain),
  info('objective', 'Mục tiêu', 'project', true, plain),
  info('mainContent', 'Nội dung chính', 'project', true, plain),
  info('implementationPlace', 'Địa điểm thực hiện', 'project', false, plain, 'như địa chỉ cơ sở'),
  info('timeline', 'Thời gian thực hiện', 'project', true, (v) => formatTimeline(v)),
  info('expectedEffects', 'Hiệu quả dự kiến', 'project', true, plain),
  info('budgetTotal', 'Tổng kinh phí', 'budget', true, money),
  info('budgetRequested', 'Kinh phí đề nghị hỗ trợ', 'budget', true, money),
  info('budgetCounterpart', 'Vốn đối ứng', 'budget', true, money),
  info('budgetOther', 'Nguồn khác', 'budget', false, money, '(không có)'),
  info('budgetCheck', 'Kiểm tra kinh phí', 'budget', false, () => 'các phần không khớp tổng, cơ sở giữ nguyên'),
  info('consent', 'Đồng ý lưu thông tin', 'consent', true, () => 'đã đồng ý'),
].map((f, order) => ({ ...f, order })) as RegistrationFieldInfo[];

const BY_KEY = new Map(REGISTRATION_FIELDS.map((f) => [f.key, f]));

/** The catalogue entry of a field. */
export function fieldInfo(key: RegistrationKey): RegistrationFieldInfo {
  return BY_KEY.get(key)!;
}

/** A field's value as every view shows it: formatted, "(chưa điền)" when missing, the skip text when skipped. */
export function formatField(key: RegistrationKey, data: Record<string, unknown>): string {
  const f = fieldInfo(key);
  const v = data[key];
  if (v === undefined || v === '') return NOT_FILLED;
  if (v === null) return f.skipped ?? NOT_FILLED;
  const parsed = registrationSchema.shape[key].safeParse(v);
  // A value of an unexpected shape is shown as it is rather than hidden.
  return parsed.success && parsed.data !== undefined && parsed.data !== null
    ? (f.format as (x: unknown) => string)(parsed.data)
    : typeof v === 'object'
      ? JSON.stringify(v)
      : String(v);
}

/** One shown field: its key, label, group and text. */
export interface RegistrationRow {
  key: RegistrationKey;
  label: string;
  group: RegistrationGroup;
  value: string;
}

/** The fields of a registration in catalogue order, formatted; optional fields left out when `filledOnly` and empty. */
export function registrationRows(
  data: Record<string, unknown>,
  options: { keys?: RegistrationKey[]; filledOnly?: boolean } = {},
): RegistrationRow[] {
  const fields = options.keys ? options.keys.map(fieldInfo) : REGISTRATION_FIELDS;
  return fields
    .filter((f) => !options.filledOnly || (data[f.key] !== undefined && data[f.key] !== null && data[f.key] !== ''))
    .map((f) => ({ key: f.key, label: f.label, group: f.group, value: formatField(f.key, data) }));
}

/** A stored registration's values read as the current version: unknown keys are kept, none is invented. */
export function migrateRegistration(data: Record<string, unknown>, fromVersion: number): Record<string, unknown> {
  // Version 1 is the first typed shape; drafts saved before it have the same keys.
  void fromVersion;
  return data;
}
