import type { TurnContext } from 'botbuilder';
import { findProvinceExact, type KnowledgeBase } from '../knowledge/index.ts';
import { FormDialog, type FieldSpec, type FormValues } from './form-dialog.ts';
import { ENTITY_TYPES, entityLabel, parseEntityType } from './registration-fields.ts';
import { parseProvince, parseYesNo, type Parsed } from './validators.ts';
import { analyze } from '../knowledge/index.ts';

/** Id of the eligibility dialog. */
export const ELIGIBILITY_DIALOG = 'eligibility';
const ELIGIBILITY_VERSION = 2;

/** Sectors as a facility owner would name them (NĐ 45/2012 Điều 5; TT 46/2012). */
export const SECTORS = [
  {
    id: 'agro',
    label: 'Chế biến nông, lâm, thủy sản, thực phẩm',
    button: 'Chế biến nông sản',
    words: ['che bien', 'nong san', 'thuc pham', 'thuy san', 'lam san', 'nuoc mam', 'banh', 'che'],
  },
  {
    id: 'consumer',
    label: 'Hàng tiêu dùng, hàng xuất khẩu, thủ công mỹ nghệ',
    button: 'Hàng tiêu dùng, TCMN',
    words: ['tieu dung', 'xuat khau', 'thu cong', 'my nghe', 'may tre', 'det', 'go', 'gom', 'moc', 'may mac'],
  },
  {
    id: 'materials',
    label: 'Vật liệu xây dựng, hóa chất phục vụ nông nghiệp',
    button: 'Vật liệu xây dựng',
    words: ['vat lieu', 'xay dung', 'hoa chat', 'phan bon'],
  },
  {
    id: 'mechanical',
    label: 'Cơ khí, điện, điện tử, công nghiệp hỗ trợ',
    button: 'Cơ khí, điện tử',
    words: ['co khi', 'dien tu', 'sua chua may', 'lap rap', 'phu tung', 'cong nghiep ho tro', 'dien'],
  },
  {
    id: 'mining',
    label: 'Khai thác, chế biến khoáng sản',
    button: 'Khoáng sản',
    words: ['khoang san', 'khai thac', 'khai thac da', 'cat soi', 'mo da', 'da xay dung'],
  },
  {
    id: 'brick-kiln',
    label: 'Lò gạch nung thủ công cải tiến hoặc lò vòng',
    button: 'Lò gạch thủ công',
    words: ['lo gach', 'lo vong', 'gach nung'],
  },
  { id: 'other', label: 'Ngành khác', button: 'Ngành khác', words: ['khac'] },
] as const;

const fold = (t: string) => analyze(t).folded.join(' ');

/** Reads a sector by number, button or words. */
export function parseSector(text: string): Parsed<string, 'unknown'> {
  const t = fold(text);
  const n = Number.parseInt(t, 10);
  if (String(n) === t && n >= 1 && n <= SECTORS.length) return { ok: true, value: SECTORS[n - 1].id };
  // Brick kilns before materials, mining before the rest: the more specific reading wins.
  for (const id of ['brick-kiln', 'mining', 'agro', 'consumer', 'materials', 'mechanical', 'other']) {
    const s = SECTORS.find((x) => x.id === id)!;
    if (fold(s.label) === t || fold(s.button) === t || s.words.some((w) => ` ${t} `.includes(` ${w} `)))
      return { ok: true, value: id };
  }
  return { ok: false, reason: 'unknown' };
}

function parseLocality(text: string): Parsed<'xa' | 'phuong' | 'dac-khu', 'unknown'> {
  const t = fold(text);
  if (/\bdac khu\b/.test(t)) return { ok: true, value: 'dac-khu' };
  if (/\bphuong\b/.test(t)) return { ok: true, value: 'phuong' };
  if (/\bxa\b/.test(t)) return { ok: true, value: 'xa' };
  return { ok: false, reason: 'unknown' };
}

function parseYesNoUnsure(text: string): Parsed<'yes' | 'no' | 'unsure', 'unclear'> {
  if (/khong (ro|biet|chac)|chua ro|khong ro/.test(fold(text))) return { ok: true, value: 'unsure' };
  const p = parseYesNo(text);
  return p.ok ? { ok: true, value: p.value ? 'yes' : 'no' } : p;
}

/** The verdict of the eligibility check. */
export interface EligibilityVerdict {
  verdict: 'likely' | 'not-eligible' | 'check';
  reasons: string[];
}

/** Applies NĐ 235/2025 (from 15/10/2025), NĐ 45/2012 Điều 5 and TT 46/2012 to the answers. */
export function eligibilityVerdict(v: FormValues): EligibilityVerdict {
  const not: string[] = [];
  const check: string[] = [];
  const ok: string[] = [];
  if (v.entityType === 'chua-dang-ky')
    not.push(
      'Loại hình: cá nhân, hộ gia đình chưa đăng ký kinh doanh không thuộc các loại hình được hỗ trợ; cách vào là đăng ký hộ kinh doanh (ở cấp xã) rồi liên hệ Sở Công Thương.',
    );
  else if (v.entityType === 'khac')
    not.push(
      'Loại hình: chỉ doanh nghiệp nhỏ và vừa, hợp tác xã, liên hiệp HTX, tổ hợp tác và hộ kinh doanh là cơ sở công nghiệp nông thôn (doanh nghiệp lớn không thuộc nhóm này; riêng sản xuất sạch hơn hoặc đầu tư hạ tầng cụm công nghiệp có quy định riêng).',
    );
  else if (v.entityType) ok.push(`Loại hình "${entityLabel(v.entityType)}" thuộc đối tượng được hỗ trợ.`);
  const province = typeof v.province === 'string' ? findProvinceExact(v.province)?.province : undefined;
  if (province) {
    if (!province.isCity) ok.push(`Ở tỉnh ${province.name}, mọi xã, phường, đặc khu đều thuộc địa bàn áp dụng.`);
    else if (v.locality !== 'phuong')
      ok.push(`Ở ${province.name} (thành phố trực thuộc trung ương), xã và đặc khu thuộc địa bàn áp dụng.`);
    else if (v.craftVillage === 'yes')
      ok.push(
        `Ở phường của ${province.name}, cơ sở trong làng nghề được UBND cấp tỉnh công nhận vẫn thuộc địa bàn áp dụng.`,
      );
    else if (v.craftVillage === 'no')
      not.push(
        `Ở phường của ${province.name} (thành phố trực thuộc trung ương), chỉ cơ sở trong làng nghề được công nhận mới thuộc địa bàn áp dụng.`,
      );
    // Not asked yet (the question comes next), or not known ("không rõ", "bỏ qua").
    else if (v.craftVillage !== undefined)
      check.push(
        `Ở phường của ${province.name}, chỉ cơ sở trong làng nghề được công nhận mới thuộc địa bàn; cần hỏi Sở Công Thương làng nghề đã được công nhận chưa.`,
      );
  }
  switch (v.sector) {
    case 'mining':
      if (v.difficultArea === 'yes')
        ok.push('Khai thác, chế biến khoáng sản được hỗ trợ ở địa bàn khó khăn, đặc biệt khó khăn.');
      else if (v.difficultArea === 'no')
        not.push(
          'Khai thác, chế biến khoáng sản chỉ được hỗ trợ ở địa bàn có điều kiện kinh tế - xã hội khó khăn hoặc đặc biệt khó khăn.',
        );
      else
        check.push(
          'Khai thác khoáng sản chỉ được hỗ trợ ở địa bàn khó khăn; cần hỏi Sở Công Thương địa bàn của anh/chị có thuộc diện này không.',
        );
      break;
    case 'brick-kiln':
      not.push('Lò gạch nung thủ công cải tiến và lò vòng không được hỗ trợ (Thông tư 46/2012).');
      break;
    case 'other':
      check.push('Ngành nghề chưa rõ có thuộc danh mục được hỗ trợ hay không; cần hỏi Sở Công Thương.');
      break;
    case undefined:
    case null:
      break;
    default:
      ok.push('Ngành nghề thuộc danh mục được hỗ trợ (Điều 5 Nghị định 45/2012/NĐ-CP).');
  }
  if (not.length > 0) return { verdict: 'not-eligible', reasons: [...not, ...check] };
  if (check.length > 0) return { verdict: 'check', reasons: [...check, ...ok] };
  return { verdict: 'likely', reasons: ok };
}

const VERDICT_TEXT: Record<EligibilityVerdict['verdict'], string> = {
  likely: 'Dạ, theo các câu trả lời, cơ sở của anh/chị có khả năng thuộc diện được hỗ trợ khuyến công.',
  'not-eligible': 'Dạ, theo các câu trả lời, cơ sở của anh/chị có vẻ không thuộc diện được hỗ trợ khuyến công.',
  check: 'Dạ, theo các câu trả lời, tôi chưa kết luận được; anh/chị nên hỏi Sở Công Thương về điểm dưới đây.',
};

const LOCALITY_NAMES: Record<string, string> = { xa: 'xã', phuong: 'phường', 'dac-khu': 'đặc khu' };
const ANSWER_NAMES: Record<string, string> = { yes: 'có', no: 'không', unsure: 'không rõ' };

const sectorList = SECTORS.map((s, i) => `${i + 1}. ${s.label}`).join('\n');

function eligibilityFields(): FieldSpec[] {
  return [
    {
      id: 'entityType',
      label: 'Loại hình cơ sở',
      question: 'Cơ sở của anh/chị thuộc loại hình nào? Chọn nút, hoặc gõ "tổ hợp tác", "liên hiệp HTX".',
      choices: ENTITY_TYPES.filter((e) => e.id !== 'lhhtx' && e.id !== 'tht').map((e) => ({
        title: e.button,
        value: e.button,
      })),
      parse: (t) => parseEntityType(t),
      format: entityLabel,
      reprompts: { default: 'Dạ, anh/chị chọn một loại hình trong các nút giúp tôi.' },
      help: 'Doanh nghiệp nhỏ và vừa, hợp tác xã, liên hiệp HTX, tổ hợp tác, hộ kinh doanh; chưa đăng ký kinh doanh chọn "Chưa đăng ký KD"; doanh nghiệp lớn chọn "Khác".',
    },
    {
      id: 'province',
      label: 'Tỉnh, thành phố',
      question: 'Cơ sở ở tỉnh, thành phố nào? (tên cũ trước sáp nhập cũng được)',
      parse: (t) => {
        const p = parseProvince(t);
        return p.ok ? { ok: true, value: p.value.province.name, ...(p.note ? { note: p.note } : {}) } : p;
      },
      reprompts: { default: 'Dạ, tôi chưa nhận ra tên tỉnh, thành phố. Anh/chị ghi lại giúp tôi, ví dụ "Bắc Ninh".' },
      help: 'Một trong 34 tỉnh, thành phố; tên cũ cũng được.',
    },
    {
      id: 'locality',
      label: 'Xã, phường hay đặc khu',
      question: 'Cơ sở nằm ở xã, phường hay đặc khu?',
      choices: [
        { title: 'Xã', value: 'xã' },
        { title: 'Phường', value: 'phường' },
        { title: 'Đặc khu', value: 'đặc khu' },
      ],
      parse: (t) => parseLocality(t),
      format: (v) => LOCALITY_NAMES[String(v)] ?? String(v),
      reprompts: { default: 'Dạ, anh/chị chọn "Xã", "Phường" hoặc "Đặc khu" giúp tôi.' },
      help: 'Đơn vị hành chính cấp xã nơi cơ sở sản xuất.',
    },
    {
      id: 'craftVillage',
      label: 'Làng nghề được công nhận',
      question: 'Cơ sở có nằm trong làng nghề được UBND tỉnh, thành phố công nhận không?',
      choices: [
        { title: 'Có', value: 'có' },
        { title: 'Không', value: 'không' },
        { title: 'Không rõ', value: 'không rõ' },
      ],
      skipIf: (v) =>
        !(v.locality === 'phuong' && typeof v.province === 'string' && findProvinceExact(v.province)?.province.isCity),
      parse: (t) => parseYesNoUnsure(t),
      format: (v) => ANSWER_NAMES[String(v)] ?? String(v),
      reprompts: { default: 'Dạ, anh/chị chọn "Có", "Không" hoặc "Không rõ".' },
      help: 'Làng nghề phải được UBND cấp tỉnh công nhận chính thức.',
    },
    {
      id: 'sector',
      label: 'Ngành nghề',
      question: `Cơ sở sản xuất ngành nào? Chọn nút hoặc gõ số:\n${sectorList}`,
      choices: SECTORS.slice(0, 5).map((s) => ({ title: s.button, value: s.button })),
      parse: (t) => parseSector(t),
      format: (v) => SECTORS.find((x) => x.id === v)?.label ?? String(v),
      reprompts: { default: `Dạ, anh/chị gõ số ngành giúp tôi:\n${sectorList}` },
      help: 'Ngành nghề chính của cơ sở.',
    },
    {
      id: 'difficultArea',
      label: 'Địa bàn khó khăn',
      question: 'Cơ sở có ở địa bàn có điều kiện kinh tế - xã hội khó khăn hoặc đặc biệt khó khăn không?',
      choices: [
        { title: 'Có', value: 'có' },
        { title: 'Không', value: 'không' },
        { title: 'Không rõ', value: 'không rõ' },
      ],
      skipIf: (v) => v.sector !== 'mining',
      parse: (t) => parseYesNoUnsure(t),
      format: (v) => ANSWER_NAMES[String(v)] ?? String(v),
      reprompts: { default: 'Dạ, anh/chị chọn "Có", "Không" hoặc "Không rõ".' },
      help: 'Danh sách địa bàn khó khăn do Nhà nước ban hành; nếu không rõ, chọn "Không rõ".',
    },
  ];
}

/** Once the answers so far rule the facility out, the other questions no longer matter. */
function decided(v: FormValues): boolean {
  return eligibilityVerdict(v).verdict === 'not-eligible';
}

/** The eligibility questions, each skipped once the verdict no longer depends on it. */
function fieldsThatMatter(): FieldSpec[] {
  return eligibilityFields().map((f, i) =>
    i === 0 ? f : { ...f, skipIf: (v: FormValues) => decided(v) || (f.skipIf?.(v) ?? false), counted: !f.skipIf },
  );
}

/** Whether a facility can be supported: a few questions, then a verdict with its reasons and source. */
export class EligibilityDialog extends FormDialog {
  constructor(knowledge: KnowledgeBase, clock: () => Date) {
    super(ELIGIBILITY_DIALOG, fieldsThatMatter(), ELIGIBILITY_VERSION, knowledge, clock);
  }

  protected intro(): string {
    return 'Dạ, mình kiểm tra nhanh cơ sở có thuộc diện hỗ trợ khuyến công không nhé: 4–5 câu hỏi. Nhắn "bỏ qua" ở câu nào không rõ, "hủy" để dừng.';
  }

  protected summaryText(): undefined {
    return undefined;
  }

  protected async onComplete(_context: TurnContext, values: FormValues) {
    const { verdict, reasons } = eligibilityVerdict(values);
    const text = `${VERDICT_TEXT[verdict]}\n${reasons.map((r) => `• ${r}`).join('\n')}\n\nĐây là đánh giá sơ bộ, quyết định cuối cùng thuộc Sở Công Thương.\nNguồn: Nghị định 235/2025/NĐ-CP (hiệu lực từ 15/10/2025); Nghị định 45/2012/NĐ-CP, Điều 5; Thông tư 46/2012.`;
    const choices =
      verdict === 'not-eligible'
        ? [{ title: 'Liên hệ ở đâu', value: 'Liên hệ ở đâu về khuyến công' }]
        : [
            { title: 'Điền bản đăng ký', value: 'điền bản đăng ký' },
            { title: 'Liên hệ ở đâu', value: 'Liên hệ ở đâu về khuyến công' },
          ];
    return { text, choices };
  }
}
