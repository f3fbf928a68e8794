import type { Choice, ProvinceMatch } from '../knowledge/index.ts';
import { AREA_LABELS, ENTITY_LABELS, fieldInfo, type RegistrationKey } from './registration-record.ts';
import type { FieldSpec, FormValues } from './form-dialog.ts';
import {
  formatTimeline,
  formatVnd,
  formatVndShort,
  isNoAmount,
  parseEmail,
  parseMoneyVnd,
  parsePhone,
  parseCommune,
  parseProvince,
  parseTaxCode,
  parseText,
  parseTimeline,
  parseYesNo,
  type Parsed,
} from './validators.ts';
import { analyze } from '../knowledge/index.ts';

/** The form's id and label of a registration field, from the one catalogue (a renamed key breaks the build here). */
const field = (key: RegistrationKey) => ({ id: key, label: fieldInfo(key).label });

/** Entity types of NĐ 235/2025, plus "other" for the rest (large enterprises among them). */
export const ENTITY_TYPES = [
  {
    id: 'dnnvv',
    label: ENTITY_LABELS.dnnvv,
    button: 'DN nhỏ và vừa',
    words: ['doanh nghiep nho va vua', 'doanh nghiep nho', 'dn nho va vua', 'doanh nghiep', 'cong ty', 'dn nho'],
  },
  { id: 'htx', label: ENTITY_LABELS.htx, button: 'Hợp tác xã', words: ['hop tac xa'] },
  { id: 'lhhtx', label: ENTITY_LABELS.lhhtx, button: 'Liên hiệp HTX', words: ['lien hiep hop tac xa', 'lien hiep'] },
  { id: 'tht', label: ENTITY_LABELS.tht, button: 'Tổ hợp tác', words: ['to hop tac'] },
  {
    id: 'hkd',
    label: ENTITY_LABELS.hkd,
    button: 'Hộ kinh doanh',
    words: ['ho kinh doanh', 'ho san xuat', 'ca the', 'ho kd'],
  },
  // Not an eligible type (NĐ 235/2025): an unregistered household is told to register a hộ kinh doanh.
  {
    id: 'chua-dang-ky',
    label: ENTITY_LABELS['chua-dang-ky'],
    button: 'Chưa đăng ký KD',
    words: ['chua dang ky', 'chua co giay phep', 'ca nhan', 'ho gia dinh', 'tu do'],
  },
  {
    id: 'khac',
    label: ENTITY_LABELS.khac,
    button: 'Khác / DN lớn',
    words: ['khac', 'doanh nghiep lon', 'dn lon', 'tap doan', 'cong ty lon'],
  },
] as const;

/** The six support areas for facilities (Công văn 400/CTĐP-QLKC), in the document's order. */
export const SUPPORT_AREAS = [
  { id: 'mo-hinh-trinh-dien', label: AREA_LABELS['mo-hinh-trinh-dien'], button: 'Mô hình trình diễn' },
  { id: 'may-moc-thiet-bi', label: AREA_LABELS['may-moc-thiet-bi'], button: 'Máy móc thiết bị' },
  { id: 'moi-truong-ccn', label: AREA_LABELS['moi-truong-ccn'], button: 'Môi trường, CCN' },
  { id: 'san-pham-tieu-bieu', label: AREA_LABELS['san-pham-tieu-bieu'], button: 'Sản phẩm tiêu biểu' },
  { id: 'nguon-nhan-luc', label: AREA_LABELS['nguon-nhan-luc'], button: 'Nguồn nhân lực' },
  { id: 'tu-van-thong-tin', label: AREA_LABELS['tu-van-thong-tin'], button: 'Tư vấn, thông tin' },
] as const;

const fold = (text: string) => analyze(text).folded.join(' ');

/** Reads an entity type from a button title, a number or words ("htx", "hộ kinh doanh"). */
export function parseEntityType(text: string): Parsed<string, 'empty' | 'unknown'> {
  const t = fold(text);
  if (t === '') return { ok: false, reason: 'empty' };
  const n = Number.parseInt(t, 10);
  if (String(n) === t && n >= 1 && n <= ENTITY_TYPES.length) return { ok: true, value: ENTITY_TYPES[n - 1].id };
  // Most specific first: "liên hiệp hợp tác xã" before "hợp tác xã", "doanh nghiệp lớn" before "doanh nghiệp".
  const order = ['chua-dang-ky', 'lhhtx', 'khac', 'tht', 'htx', 'hkd', 'dnnvv'];
  for (const id of order) {
    const type = ENTITY_TYPES.find((e) => e.id === id)!;
    if (fold(type.label) === t || fold(type.button) === t || type.words.some((w) => ` ${t} `.includes(` ${w} `)))
      return { ok: true, value: id };
  }
  return { ok: false, reason: 'unknown' };
}

/** Reads a support area from a button title, its number 1–6 or its words. */
export function parseSupportArea(text: string): Parsed<string, 'empty' | 'unknown'> {
  const t = fold(text);
  if (t === '') return { ok: false, reason: 'empty' };
  const n = Number.parseInt(t, 10);
  if (String(n) === t && n >= 1 && n <= SUPPORT_AREAS.length) return { ok: true, value: SUPPORT_AREAS[n - 1].id };
  const keywords: Record<string, string[]> = {
    'mo-hinh-trinh-dien': ['mo hinh', 'trinh dien'],
    'may-moc-thiet-bi': ['may moc', 'thiet bi', 'day chuyen', 'may'],
    'moi-truong-ccn': ['moi truong', 'o nhiem', 'sach hon', 'cum cong nghiep', 'ccn', 'nuoc thai'],
    'san-pham-tieu-bieu': ['san pham tieu bieu', 'tieu bieu', 'hoi cho', 'trien lam'],
    'nguon-nhan-luc': ['nhan luc', 'dao tao', 'day nghe', 'tap huan'],
    'tu-van-thong-tin': ['tu van', 'thong tin', 'bao bi', 'marketing'],
  };
  for (const area of SUPPORT_AREAS) {
    if (fold(area.label) === t || fold(area.button) === t || keywords[area.id].some((k) => ` ${t} `.includes(` ${k} `)))
      return { ok: true, value: area.id };
  }
  return { ok: false, reason: 'unknown' };
}

/** Who sees what the form saves, said the same way everywhere (FACTS §6: the bot submits nothing). */
export const NOT_SUBMISSION = 'Đây chưa phải hồ sơ nộp cho cơ quan nhà nước; tôi không nộp hồ sơ thay anh/chị.';
export const WHO_SEES = `Bản đăng ký được lưu lại và cán bộ Sở Công Thương của tỉnh anh/chị xem được để liên hệ, hướng dẫn. ${NOT_SUBMISSION}`;
/** The same, naming the province once it is known. */
export const whoSees = (v: FormValues) =>
  typeof v.province === 'string'
    ? `Bản đăng ký được lưu lại và cán bộ Sở Công Thương ${v.province} xem được để liên hệ, hướng dẫn. ${NOT_SUBMISSION}`
    : WHO_SEES;

/** The tax code of a household business that has none yet. */
export const NO_TAX_CODE = 'chưa có';

/** Label of an entity type or support area id. */
export const entityLabel = (id: unknown) => ENTITY_TYPES.find((e) => e.id === id)?.label ?? String(id);
export const areaLabel = (id: unknown) => SUPPORT_AREAS.find((a) => a.id === id)?.label ?? String(id);

const entityChoices: Choice[] = ENTITY_TYPES.filter((e) => e.id !== 'lhhtx' && e.id !== 'chua-dang-ky').map((e) => ({
  title: e.button,
  value: e.button,
}));
const areaChoices: Choice[] = SUPPORT_AREAS.slice(0, 5).map((a) => ({ title: a.button, value: a.button }));
const areaList = SUPPORT_AREAS.map((a, i) => `${i + 1}. ${a.label}`).join('\n');

const TEXT_REPROMPTS = {
  empty: 'Dạ, tôi chưa nhận được nội dung.',
  short: 'Dạ, nội dung hơi ngắn, anh/chị ghi rõ hơn giúp tôi nhé.',
  long: 'Dạ, nội dung dài quá 500 ký tự, anh/chị tóm tắt lại giúp tôi nhé.',
};
const MONEY_REPROMPTS = {
  empty: 'Dạ, tôi chưa nhận được số tiền.',
  format: 'Dạ, tôi chưa đọc được số tiền. Anh/chị ghi theo dạng "1,2 tỷ", "300 triệu" hoặc "1.200.000.000 đ" nhé.',
  unit: 'Dạ, số này nhỏ quá so với một đề án. Anh/chị ghi kèm đơn vị giúp tôi, ví dụ "300 triệu".',
  'too-large': 'Dạ, số tiền lớn bất thường, anh/chị kiểm tra lại giúp tôi nhé.',
};

const money = (v: unknown) => (typeof v === 'number' ? formatVnd(v) : '(chưa điền)');

/** Answers that say the project happens at the facility's own address. */
const SAME_PLACE =
  /^(?:(?:giong|nhu|tai|o|cung|la) )*(?:tren|dia chi (?:co so|tren|xuong)|co so|xuong|nha|dia chi co so o tren|cho cu)(?: a| luon)?$/;

/** A name without the polite particle owners end messages with ("Huy ạ"). */
const stripParticles = (text: string) => text.trim().replace(/[\s,.]+(ạ|nhé|nha)[.!]*$/iu, '');

/** Reads an amount; a reading that is not literal ("1 tỷ 2") is said back in full so the owner can correct it. */
export function parseAmount(text: string, optional = false): Parsed<number> {
  if (optional && isNoAmount(text)) return { ok: true, value: 0 };
  const parsed = parseMoneyVnd(text);
  if (!parsed.ok) return parsed;
  return parsed.readBack
    ? { ok: true, value: parsed.value, note: `tôi hiểu là ${formatVnd(parsed.value)}` }
    : { ok: true, value: parsed.value };
}

/** "300 triệu + 900 triệu + 0 = 1,2 tỷ, khác tổng 1,5 tỷ": the parts, their sum and the total, when they differ. */
export function budgetMismatch(values: FormValues): string | undefined {
  if (typeof values.budgetTotal !== 'number') return undefined;
  const parts = budgetParts(values);
  const sum = parts.reduce((a, b) => a + b, 0);
  if (sum === values.budgetTotal) return undefined;
  return `${parts.map(formatVndShort).join(' + ')} = ${formatVndShort(sum)}, khác tổng ${formatVndShort(values.budgetTotal)}`;
}
const budgetParts = (v: FormValues) =>
  [v.budgetRequested, v.budgetCounterpart, v.budgetOther].map((x) => (typeof x === 'number' ? x : 0));

/** Support caps of Thông tư 28/2018/TT-BTC (FACTS §4): share of cost and amount per facility or model. */
const CAPS: Record<string, { share: number; max: number; what: string }> = {
  'may-moc-thiet-bi': {
    share: 0.5,
    max: 300_000_000,
    what: 'máy móc thiết bị: tối đa 50% chi phí, không quá 300 triệu đồng mỗi cơ sở',
  },
  'mo-hinh-trinh-dien': {
    share: 0.3,
    max: 1_000_000_000,
    what: 'mô hình trình diễn: tối đa 30% chi phí, không quá 1.000 triệu đồng mỗi mô hình',
  },
};

/** A warning when the requested support exceeds the known cap; it does not block. */
export function capWarning(values: FormValues): string | undefined {
  const cap = CAPS[String(values.supportArea)];
  const requested = values.budgetRequested;
  const total = values.budgetTotal;
  if (!cap || typeof requested !== 'number' || typeof total !== 'number') return undefined;
  const limit = Math.min(cap.share * total, cap.max);
  if (requested <= limit) return undefined;
  return `Lưu ý: mức đề nghị ${formatVnd(requested)} cao hơn mức tối đa theo Thông tư 28/2018/TT-BTC (${cap.what}), tức khoảng ${formatVnd(Math.floor(limit))} với tổng kinh phí này. Thông tư đã được sửa đổi bởi TT 64/2024/TT-BTC; anh/chị vẫn có thể giữ con số và hỏi lại Sở Công Thương.`;
}

/** The fields of the registration, in the order of a đề án outline (the order they are asked). */
export function registrationFields(): FieldSpec[] {
  return [
    ...facilityFields(),
    ...placeFields(),
    ...contactFields(),
    ...projectFields(),
    ...budgetFields(),
    ...closingFields(),
  ];
}

/** The facility: its name, what kind of entity it is, its tax code. */
function facilityFields(): FieldSpec[] {
  return [
    {
      ...field('facilityName'),
      freeText: true,
      aliases: ['ten co so', 'ten xuong', 'ten'],
      question: 'Tên cơ sở sản xuất của anh/chị là gì? (ví dụ: HTX mây tre Phúc Lâm)',
      parse: (t) => parseText(t, 2, 200),
      reprompts: TEXT_REPROMPTS,
      help: 'Tên cơ sở là tên trên giấy đăng ký kinh doanh của doanh nghiệp, hợp tác xã hoặc hộ kinh doanh.',
    },
    {
      ...field('entityType'),
      aliases: ['loai hinh'],
      question: 'Loại hình cơ sở là gì? Chọn một nút, hoặc gõ "liên hiệp HTX" nếu là liên hiệp hợp tác xã.',
      choices: entityChoices,
      parse: (t) => parseEntityType(t),
      format: entityLabel,
      reprompts: {
        default:
          'Dạ, anh/chị chọn một loại hình trong các nút giúp tôi: doanh nghiệp nhỏ và vừa, hợp tác xã, liên hiệp HTX, tổ hợp tác, hộ kinh doanh hoặc khác.',
      },
      help: 'Loại hình theo đăng ký: doanh nghiệp nhỏ và vừa, hợp tác xã, liên hiệp hợp tác xã, tổ hợp tác, hộ kinh doanh. Doanh nghiệp lớn chọn "Khác".',
      remark: (v) =>
        v === 'chua-dang-ky'
          ? 'Lưu ý: cá nhân, hộ gia đình chưa đăng ký kinh doanh chưa thuộc diện hỗ trợ; cách vào là đăng ký hộ kinh doanh (ở cấp xã). Anh/chị vẫn có thể điền tiếp.'
          : v === 'khac'
            ? 'Lưu ý: theo Nghị định 235/2025/NĐ-CP, đối tượng hỗ trợ là doanh nghiệp nhỏ và vừa, HTX, liên hiệp HTX, tổ hợp tác và hộ kinh doanh; anh/chị vẫn có thể điền tiếp và hỏi Sở Công Thương.'
            : undefined,
    },
    {
      ...field('taxCode'),
      aliases: ['mst', 'ma so thue', 'ma so'],
      question: 'Mã số thuế hoặc mã số hộ kinh doanh là gì? (10 hoặc 13 chữ số, ví dụ 0101234567 hoặc 0101234567-001)',
      readsNone: true,
      parse: (t, v) => {
        // A household business may not have a tax code yet: "chưa có" is then its answer.
        if (
          v.entityType === 'hkd' &&
          /^(chua co|khong co|ko co|chua|chua dang ky)( ma| ma so thue| mst)?( a)?$/.test(fold(t))
        )
          return { ok: true, value: NO_TAX_CODE, note: 'tôi ghi là hộ kinh doanh chưa có mã số thuế' };
        return parseTaxCode(t);
      },
      reprompts: {
        skip: 'Dạ, mã số thuế cần để Sở Công Thương xác định đúng cơ sở, nên tôi chưa bỏ qua được. Hộ kinh doanh chưa có mã số thuế thì anh/chị nhắn "chưa có"; nếu chưa nhớ, nhắn "để sau" để dừng lại và điền tiếp khi có.',
        letters: 'Dạ, mã số thuế chỉ gồm chữ số (có thể có dấu gạch, ví dụ 0101234567-001).',
        length: 'Dạ, mã số thuế có 10 hoặc 13 chữ số, anh/chị kiểm tra lại giúp tôi nhé.',
        default: 'Dạ, anh/chị nhập mã số thuế gồm 10 hoặc 13 chữ số.',
      },
      help: 'Mã số thuế in trên giấy chứng nhận đăng ký doanh nghiệp/HTX; hộ kinh doanh dùng mã số hộ kinh doanh.',
    },
  ];
}

/** Where it is: province, xã / phường / đặc khu, address. */
function placeFields(): FieldSpec[] {
  return [
    {
      ...field('province'),
      aliases: ['tinh', 'tinh thanh', 'thanh pho'],
      question: 'Cơ sở ở tỉnh, thành phố nào? (tên cũ trước sáp nhập cũng được)',
      parse: (t) => {
        const p = parseProvince(t);
        return p.ok
          ? { ok: true, value: (p.value as ProvinceMatch).province.name, ...(p.note ? { note: p.note } : {}) }
          : p;
      },
      reprompts: {
        district:
          'Dạ, từ 01/7/2025 không còn cấp huyện, quận. Anh/chị cho tôi biết tỉnh, thành phố của cơ sở (tên tỉnh cũ cũng được, ví dụ "Bắc Giang"); tên xã, phường tôi hỏi ở câu sau.',
        default:
          'Dạ, tôi chưa nhận ra tên tỉnh, thành phố. Anh/chị ghi lại tên tỉnh giúp tôi, ví dụ "Bắc Ninh" hoặc "TP. Hồ Chí Minh" (tên tỉnh cũ cũng được).',
      },
      help: 'Từ 01/7/2025 cả nước có 34 tỉnh, thành phố. Anh/chị có thể ghi tên tỉnh cũ, tôi sẽ ghi tên tỉnh mới.',
    },
    {
      ...field('commune'),
      freeText: true,
      aliases: ['xa', 'phuong', 'xa phuong'],
      question: 'Cơ sở ở xã, phường hay đặc khu nào? (ví dụ: xã Phúc Lâm)',
      parse: (t) => parseCommune(t),
      reprompts: {
        ...TEXT_REPROMPTS,
        district:
          'Dạ, từ 01/7/2025 không còn cấp huyện, quận; các xã, phường đã được sắp xếp lại. Anh/chị cho tôi biết tên xã, phường hoặc đặc khu nơi cơ sở đặt (tên mới), ví dụ "xã Tân Mỹ".',
      },
      help: 'Từ 01/7/2025 không còn cấp huyện; anh/chị ghi tên xã, phường hoặc đặc khu mới.',
    },
    {
      ...field('address'),
      freeText: true,
      aliases: ['dia chi'],
      question: 'Địa chỉ cụ thể của cơ sở (thôn, số nhà, đường)?',
      parse: (t) => parseText(t, 3, 200),
      reprompts: TEXT_REPROMPTS,
      help: 'Địa chỉ nơi cơ sở sản xuất, để cán bộ liên hệ khi cần.',
    },
  ];
}

/** Who officers call: the contact person, phone, e-mail. */
function contactFields(): FieldSpec[] {
  return [
    {
      ...field('contactPerson'),
      freeText: true,
      aliases: ['nguoi lien he', 'ho ten', 'ten nguoi lien he', 'ho ten nguoi lien he', 'lien he'],
      requestContact: true,
      question: 'Họ tên người liên hệ?',
      parse: (t) => parseText(stripParticles(t), 2, 100),
      reprompts: TEXT_REPROMPTS,
      help: 'Người mà cán bộ Sở Công Thương có thể gọi để trao đổi về đề án.',
    },
    {
      ...field('phone'),
      aliases: ['so dien thoai', 'sdt', 'dien thoai'],
      question: 'Số điện thoại liên hệ?',
      parse: (t) => parsePhone(t),
      reprompts: {
        letters: 'Dạ, số điện thoại chỉ gồm chữ số, ví dụ 0912 345 678.',
        length: 'Dạ, số di động có 10 chữ số (số bàn 11 chữ số), anh/chị kiểm tra lại giúp tôi nhé.',
        prefix: 'Dạ, số điện thoại bắt đầu bằng 0 hoặc +84, ví dụ 0912 345 678.',
        default: 'Dạ, anh/chị nhập số điện thoại, ví dụ 0912 345 678.',
      },
      help: 'Số di động hoặc số bàn, dạng 0912 345 678 hay +84 912 345 678 đều được.',
    },
    {
      ...field('email'),
      aliases: ['email', 'thu dien tu'],
      optional: true,
      question: 'Email liên hệ (không bắt buộc, bấm "Bỏ qua" nếu không có)?',
      parse: (t) => parseEmail(t),
      reprompts: { format: 'Dạ, địa chỉ email chưa đúng dạng, ví dụ ten@gmail.com. Không có thì bấm "Bỏ qua".' },
      help: 'Email để nhận thông tin; không bắt buộc.',
    },
  ];
}

/** The plan: support area, name, objective, content, place, timeline. */
function projectFields(): FieldSpec[] {
  return [
    {
      ...field('supportArea'),
      aliases: ['linh vuc', 'noi dung ho tro'],
      question: `Đề án thuộc lĩnh vực hỗ trợ nào? Chọn nút hoặc gõ số:\n${areaList}`,
      choices: areaChoices,
      parse: (t) => parseSupportArea(t),
      format: areaLabel,
      reprompts: { default: `Dạ, anh/chị chọn một lĩnh vực (gõ số 1–6):\n${areaList}` },
      help: 'Sáu lĩnh vực hỗ trợ theo định hướng khuyến công. Hỏi "6 lĩnh vực khuyến công là gì" để xem giải thích.',
    },
    {
      ...field('projectName'),
      freeText: true,
      aliases: ['ten de an', 'ten du an'],
      question: 'Tên đề án (ví dụ: Ứng dụng máy dệt tự động vào sản xuất chiếu cói)?',
      parse: (t) => parseText(t, 5, 200),
      reprompts: TEXT_REPROMPTS,
      help: 'Tên ngắn gọn nói đề án làm gì.',
    },
    {
      ...field('objective'),
      freeText: true,
      aliases: ['muc tieu'],
      question: 'Mục tiêu của đề án là gì?',
      parse: (t) => parseText(t, 5, 500),
      reprompts: TEXT_REPROMPTS,
      help: 'Đề án nhằm đạt được điều gì: năng suất, chất lượng, việc làm, môi trường…',
    },
    {
      ...field('mainContent'),
      freeText: true,
      aliases: ['noi dung', 'noi dung chinh'],
      question: 'Nội dung chính của đề án (làm gì, mua gì, quy mô)?',
      parse: (t) => parseText(t, 5, 500),
      reprompts: TEXT_REPROMPTS,
      help: 'Ví dụ: mua 2 máy dệt tự động, xây nhà xưởng 200 m², đào tạo 10 lao động.',
    },
    {
      ...field('implementationPlace'),
      freeText: true,
      aliases: ['dia diem'],
      optional: true,
      question: 'Địa điểm thực hiện đề án, nếu khác địa chỉ cơ sở (bấm "Bỏ qua" nếu giống)?',
      // "như trên", "tại cơ sở", "giống địa chỉ cơ sở": the facility's address, kept as "skipped".
      parse: (t) => (SAME_PLACE.test(fold(t)) ? { ok: true, value: null } : parseText(t, 3, 200)),
      reprompts: TEXT_REPROMPTS,
      help: 'Chỉ ghi khi đề án làm ở nơi khác địa chỉ cơ sở.',
      format: (v) => (v ? String(v) : 'như địa chỉ cơ sở'),
    },
    {
      ...field('timeline'),
      aliases: ['thoi gian', 'tien do'],
      question: 'Thời gian thực hiện? (ví dụ: "tháng 3/2027", "quý 2/2027", "từ 3 đến 10/2027")',
      parse: (t, _v, now) => parseTimeline(t, now),
      format: (v) => formatTimeline(v as { start: string; end: string }),
      reprompts: {
        format:
          'Dạ, tôi chưa đọc được thời gian. Anh/chị ghi như "tháng 3/2027", "quý 2/2027" hoặc "từ 3 đến 10/2027" nhé.',
        order: 'Dạ, tháng bắt đầu đang sau tháng kết thúc, anh/chị kiểm tra lại giúp tôi.',
        past: 'Dạ, thời gian này đã qua; đề án đăng ký cho thời gian tới, anh/chị ghi lại giúp tôi nhé.',
        default: 'Dạ, anh/chị ghi thời gian như "tháng 3/2027".',
      },
      help: 'Khoảng thời gian dự kiến làm đề án, tính theo tháng.',
    },
  ];
}

/** The money: total, requested, counterpart, other sources, and their check. */
function budgetFields(): FieldSpec[] {
  return [
    {
      ...field('budgetTotal'),
      aliases: ['tong kinh phi', 'kinh phi', 'tong'],
      question: 'Tổng kinh phí dự kiến của đề án? (ví dụ "1,2 tỷ")',
      parse: (t) => parseAmount(t),
      format: money,
      reprompts: MONEY_REPROMPTS,
      help: 'Toàn bộ chi phí của đề án, gồm phần đề nghị hỗ trợ, vốn đối ứng và nguồn khác.',
    },
    {
      ...field('budgetRequested'),
      aliases: ['kinh phi de nghi', 'de nghi', 'ho tro', 'phan de nghi'],
      question: 'Số tiền đề nghị khuyến công quốc gia hỗ trợ?',
      parse: (t) => parseAmount(t),
      format: money,
      reprompts: MONEY_REPROMPTS,
      remark: (_v, values) => capWarning(values),
      help: 'Phần anh/chị đề nghị ngân sách khuyến công hỗ trợ; mức tối đa tùy lĩnh vực (hỏi "mức hỗ trợ máy móc").',
    },
    {
      ...field('budgetCounterpart'),
      aliases: ['von doi ung', 'doi ung'],
      question: 'Vốn đối ứng của cơ sở (phần cơ sở tự bỏ ra)?',
      parse: (t) => parseAmount(t),
      format: money,
      reprompts: MONEY_REPROMPTS,
      help: 'Vốn đối ứng là phần tiền cơ sở tự chi cùng phần hỗ trợ.',
    },
    {
      ...field('budgetOther'),
      aliases: ['nguon khac', 'von khac'],
      question: 'Kinh phí từ nguồn khác (ghi "0" hoặc "không có" nếu không có)?',
      optional: true,
      readsNone: true,
      parse: (t) => parseAmount(t, true),
      format: (v) => (typeof v === 'number' ? formatVnd(v) : '(không có)'),
      reprompts: MONEY_REPROMPTS,
      help: 'Ví dụ vốn vay hoặc tài trợ khác; ghi 0 nếu không có.',
    },
    {
      ...field('budgetCheck'),
      aliases: ['kiem tra kinh phi'],
      question:
        'Tổng các phần (đề nghị hỗ trợ + vốn đối ứng + nguồn khác) khác tổng kinh phí. Anh/chị muốn sửa mục nào, hay giữ nguyên?',
      prompt: (v) =>
        `Các phần kinh phí chưa khớp tổng: ${budgetMismatch(v) ?? ''} (đề nghị hỗ trợ + vốn đối ứng + nguồn khác). Anh/chị muốn sửa mục nào, hay giữ nguyên?`,
      choices: [
        { title: 'Sửa tổng kinh phí', value: 'sửa tổng kinh phí' },
        { title: 'Sửa phần đề nghị', value: 'sửa phần đề nghị' },
        { title: 'Sửa vốn đối ứng', value: 'sửa vốn đối ứng' },
        { title: 'Sửa nguồn khác', value: 'sửa nguồn khác' },
        { title: 'Giữ nguyên', value: 'giữ nguyên' },
      ],
      skipIf: (v) => typeof v.budgetTotal !== 'number' || budgetParts(v).reduce((a, b) => a + b, 0) === v.budgetTotal,
      parse: (t, v) =>
        /^giu nguyen|^giu$/.test(fold(t))
          ? { ok: true, value: 'kept', note: `tôi giữ nguyên và ghi chú cho cán bộ: ${budgetMismatch(v) ?? ''}` }
          : { ok: false, reason: 'default' },
      reprompts: { default: 'Dạ, anh/chị bấm "Giữ nguyên" hoặc chọn mục cần sửa.' },
      help: 'Tổng kinh phí nên bằng phần đề nghị hỗ trợ cộng vốn đối ứng và nguồn khác.',
      format: () => 'giữ nguyên dù các phần không khớp tổng',
    },
  ];
}

/** Expected effects, and the consent without which nothing is kept. */
function closingFields(): FieldSpec[] {
  return [
    {
      ...field('expectedEffects'),
      freeText: true,
      aliases: ['hieu qua'],
      question: 'Hiệu quả dự kiến (số việc làm, sản lượng, doanh thu…)?',
      parse: (t) => parseText(t, 5, 500),
      reprompts: TEXT_REPROMPTS,
      help: 'Ví dụ: tạo thêm 15 việc làm, tăng sản lượng 30%.',
    },
    {
      ...field('consent'),
      aliases: ['dong y'],
      mandatory: true,
      question: `Anh/chị có đồng ý để tôi lưu bản đăng ký này cùng thông tin liên hệ không? ${WHO_SEES} (bắt buộc để lưu bản đăng ký)`,
      prompt: (v) =>
        `Anh/chị có đồng ý để tôi lưu bản đăng ký này cùng thông tin liên hệ không? ${whoSees(v)} (bắt buộc để lưu bản đăng ký)`,
      choices: [
        { title: 'Đồng ý', value: 'đồng ý' },
        { title: 'Không đồng ý', value: 'không đồng ý' },
      ],
      parse: (t) => {
        const yes = parseYesNo(t);
        if (!yes.ok) return { ok: false, reason: 'unclear' };
        return yes.value ? { ok: true, value: true } : { ok: false, reason: 'refused' };
      },
      format: () => 'đã đồng ý',
      reprompts: {
        refused:
          'Dạ, không có sự đồng ý thì tôi không lưu được bản đăng ký. Anh/chị có thể bấm "Đồng ý", hoặc nhắn "hủy" để bỏ bản đang điền.',
        default: 'Dạ, anh/chị bấm "Đồng ý" hoặc "Không đồng ý" giúp tôi.',
      },
      help: `Thông tin chỉ dùng để cán bộ Sở Công Thương của tỉnh liên hệ về đề án (Nghị định 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân). ${NOT_SUBMISSION} Anh/chị có thể nhắn "xóa dữ liệu của tôi" bất cứ lúc nào.`,
    },
  ];
}
