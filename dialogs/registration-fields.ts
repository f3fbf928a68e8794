import { findProvinceIn, mergeNote, type Choice, type ProvinceMatch } from '../knowledge/index.ts';
import type { FieldSpec, FormValues } from './form-dialog.ts';
import {
  formatTimeline,
  formatVnd,
  parseEmail,
  parseMoneyVnd,
  parsePhone,
  parseProvince,
  parseTaxCode,
  parseText,
  parseTimeline,
  parseYesNo,
  type Parsed,
} from './validators.ts';
import { analyze } from '../knowledge/index.ts';

/** Entity types of NĐ 235/2025, plus "other" for the rest (large enterprises among them). */
export const ENTITY_TYPES = [
  { id: 'dnnvv', label: 'Doanh nghiệp nhỏ và vừa', button: 'DN nhỏ và vừa', words: ['doanh nghiep nho va vua', 'doanh nghiep nho', 'dn nho va vua', 'doanh nghiep', 'cong ty', 'dn nho'] },
  { id: 'htx', label: 'Hợp tác xã', button: 'Hợp tác xã', words: ['hop tac xa'] },
  { id: 'lhhtx', label: 'Liên hiệp hợp tác xã', button: 'Liên hiệp HTX', words: ['lien hiep hop tac xa', 'lien hiep'] },
  { id: 'tht', label: 'Tổ hợp tác', button: 'Tổ hợp tác', words: ['to hop tac'] },
  { id: 'hkd', label: 'Hộ kinh doanh', button: 'Hộ kinh doanh', words: ['ho kinh doanh', 'ho san xuat', 'ca the', 'ho kd'] },
  // Not an eligible type (NĐ 235/2025): an unregistered household is told to register a hộ kinh doanh.
  { id: 'chua-dang-ky', label: 'Cá nhân, hộ gia đình chưa đăng ký kinh doanh', button: 'Chưa đăng ký KD', words: ['chua dang ky', 'chua co giay phep', 'ca nhan', 'ho gia dinh', 'tu do'] },
  { id: 'khac', label: 'Loại khác (kể cả doanh nghiệp lớn)', button: 'Khác / DN lớn', words: ['khac', 'doanh nghiep lon', 'dn lon', 'tap doan', 'cong ty lon'] },
] as const;

/** The six support areas for facilities (Công văn 400/CTĐP-QLKC), in the document's order. */
export const SUPPORT_AREAS = [
  { id: 'mo-hinh-trinh-dien', label: 'Xây dựng mô hình trình diễn kỹ thuật', button: 'Mô hình trình diễn' },
  { id: 'may-moc-thiet-bi', label: 'Ứng dụng máy móc thiết bị tiên tiến', button: 'Máy móc thiết bị' },
  { id: 'moi-truong-ccn', label: 'Xử lý ô nhiễm, sản xuất sạch hơn, cụm công nghiệp', button: 'Môi trường, CCN' },
  { id: 'san-pham-tieu-bieu', label: 'Phát triển sản phẩm CNNT tiêu biểu', button: 'Sản phẩm tiêu biểu' },
  { id: 'nguon-nhan-luc', label: 'Phát triển nguồn nhân lực', button: 'Nguồn nhân lực' },
  { id: 'tu-van-thong-tin', label: 'Tư vấn, thông tin phát triển CNNT', button: 'Tư vấn, thông tin' },
] as const;

const fold = (text: string) => analyze(text).folded.join(' ');

/** Reads an entity type from a button title, a number or words ("htx", "hộ kinh doanh"). */
export function parseEntityType(text: string): Parsed<string, 'empty' | 'unknown'> {
  const t = fold(text);
  if (t === '') return { ok: false, reason: 'empty' };
  const n = Number.parseInt(t, 10);
  if (String(n) === t && n >= 1 && n <= ENTITY_TYPES.length) return { ok: true, value: ENTITY_TYPES[n - 1]!.id };
  // Most specific first: "liên hiệp hợp tác xã" before "hợp tác xã", "doanh nghiệp lớn" before "doanh nghiệp".
  const order = ['chua-dang-ky', 'lhhtx', 'khac', 'tht', 'htx', 'hkd', 'dnnvv'];
  for (const id of order) {
    const type = ENTITY_TYPES.find((e) => e.id === id)!;
    if (fold(type.label) === t || fold(type.button) === t || type.words.some((w) => ` ${t} `.includes(` ${w} `))) return { ok: true, value: id };
  }
  return { ok: false, reason: 'unknown' };
}

/** Reads a support area from a button title, its number 1–6 or its words. */
export function parseSupportArea(text: string): Parsed<string, 'empty' | 'unknown'> {
  const t = fold(text);
  if (t === '') return { ok: false, reason: 'empty' };
  const n = Number.parseInt(t, 10);
  if (String(n) === t && n >= 1 && n <= SUPPORT_AREAS.length) return { ok: true, value: SUPPORT_AREAS[n - 1]!.id };
  const keywords: Record<string, string[]> = {
    'mo-hinh-trinh-dien': ['mo hinh', 'trinh dien'],
    'may-moc-thiet-bi': ['may moc', 'thiet bi', 'day chuyen', 'may'],
    'moi-truong-ccn': ['moi truong', 'o nhiem', 'sach hon', 'cum cong nghiep', 'ccn', 'nuoc thai'],
    'san-pham-tieu-bieu': ['san pham tieu bieu', 'tieu bieu', 'hoi cho', 'trien lam'],
    'nguon-nhan-luc': ['nhan luc', 'dao tao', 'day nghe', 'tap huan'],
    'tu-van-thong-tin': ['tu van', 'thong tin', 'bao bi', 'marketing'],
  };
  for (const area of SUPPORT_AREAS) {
    if (fold(area.label) === t || fold(area.button) === t || keywords[area.id]!.some((k) => ` ${t} `.includes(` ${k} `))) return { ok: true, value: area.id };
  }
  return { ok: false, reason: 'unknown' };
}

/** Label of an entity type or support area id. */
export const entityLabel = (id: unknown) => ENTITY_TYPES.find((e) => e.id === id)?.label ?? String(id);
export const areaLabel = (id: unknown) => SUPPORT_AREAS.find((a) => a.id === id)?.label ?? String(id);

const entityChoices: Choice[] = ENTITY_TYPES.filter((e) => e.id !== 'lhhtx' && e.id !== 'chua-dang-ky').map((e) => ({ title: e.button, value: e.button }));
const areaChoices: Choice[] = SUPPORT_AREAS.slice(0, 5).map((a) => ({ title: a.button, value: a.button }));
const areaList = SUPPORT_AREAS.map((a, i) => `${i + 1}. ${a.label}`).join('\n');

const TEXT_REPROMPTS = { empty: 'Dạ, tôi chưa nhận được nội dung.', short: 'Dạ, nội dung hơi ngắn, anh/chị ghi rõ hơn giúp tôi nhé.', long: 'Dạ, nội dung dài quá 500 ký tự, anh/chị tóm tắt lại giúp tôi nhé.' };
const MONEY_REPROMPTS = {
  empty: 'Dạ, tôi chưa nhận được số tiền.',
  format: 'Dạ, tôi chưa đọc được số tiền. Anh/chị ghi theo dạng "1,2 tỷ", "300 triệu" hoặc "1.200.000.000 đ" nhé.',
  unit: 'Dạ, số này nhỏ quá so với một đề án. Anh/chị ghi kèm đơn vị giúp tôi, ví dụ "300 triệu".',
  'too-large': 'Dạ, số tiền lớn bất thường, anh/chị kiểm tra lại giúp tôi nhé.',
};

const money = (v: unknown) => (typeof v === 'number' ? formatVnd(v) : '(chưa điền)');
const budgetParts = (v: FormValues) => [v.budgetRequested, v.budgetCounterpart, v.budgetOther].map((x) => (typeof x === 'number' ? x : 0));

/** Support caps of Thông tư 28/2018/TT-BTC (FACTS §4): share of cost and amount per facility or model. */
const CAPS: Record<string, { share: number; max: number; what: string }> = {
  'may-moc-thiet-bi': { share: 0.5, max: 300_000_000, what: 'máy móc thiết bị: tối đa 50% chi phí, không quá 300 triệu đồng mỗi cơ sở' },
  'mo-hinh-trinh-dien': { share: 0.3, max: 1_000_000_000, what: 'mô hình trình diễn: tối đa 30% chi phí, không quá 1.000 triệu đồng mỗi mô hình' },
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

/** The fields of the registration, in the order of a đề án outline. */
export function registrationFields(): FieldSpec[] {
  return [
    {
      id: 'facilityName', label: 'Tên cơ sở', aliases: ['ten', 'ten co so'],
      question: 'Tên cơ sở sản xuất của anh/chị là gì? (ví dụ: HTX mây tre Phúc Lâm)',
      parse: (t) => parseText(t, 2, 200), reprompts: TEXT_REPROMPTS,
      help: 'Tên cơ sở là tên trên giấy đăng ký kinh doanh của doanh nghiệp, hợp tác xã hoặc hộ kinh doanh.',
    },
    {
      id: 'entityType', label: 'Loại hình cơ sở', aliases: ['loai hinh'],
      question: 'Loại hình cơ sở là gì? Chọn một nút, hoặc gõ "liên hiệp HTX" nếu là liên hiệp hợp tác xã.',
      choices: entityChoices, parse: (t) => parseEntityType(t), format: entityLabel,
      reprompts: { default: 'Dạ, anh/chị chọn một loại hình trong các nút giúp tôi: doanh nghiệp nhỏ và vừa, hợp tác xã, liên hiệp HTX, tổ hợp tác, hộ kinh doanh hoặc khác.' },
      help: 'Loại hình theo đăng ký: doanh nghiệp nhỏ và vừa, hợp tác xã, liên hiệp hợp tác xã, tổ hợp tác, hộ kinh doanh. Doanh nghiệp lớn chọn "Khác".',
      remark: (v) => (v === 'chua-dang-ky' ? 'Lưu ý: cá nhân, hộ gia đình chưa đăng ký kinh doanh chưa thuộc diện hỗ trợ; cách vào là đăng ký hộ kinh doanh (ở cấp xã). Anh/chị vẫn có thể điền tiếp.' : v === 'khac' ? 'Lưu ý: theo Nghị định 235/2025/NĐ-CP, đối tượng hỗ trợ là doanh nghiệp nhỏ và vừa, HTX, liên hiệp HTX, tổ hợp tác và hộ kinh doanh; anh/chị vẫn có thể điền tiếp và hỏi Sở Công Thương.' : undefined),
    },
    {
      id: 'taxCode', label: 'Mã số thuế', aliases: ['mst', 'ma so thue', 'ma so'],
      question: 'Mã số thuế hoặc mã số hộ kinh doanh là gì? (10 hoặc 13 chữ số, ví dụ 0101234567 hoặc 0101234567-001)',
      parse: (t) => parseTaxCode(t),
      reprompts: { letters: 'Dạ, mã số thuế chỉ gồm chữ số (có thể có dấu gạch, ví dụ 0101234567-001).', length: 'Dạ, mã số thuế có 10 hoặc 13 chữ số, anh/chị kiểm tra lại giúp tôi nhé.', default: 'Dạ, anh/chị nhập mã số thuế gồm 10 hoặc 13 chữ số.' },
      help: 'Mã số thuế in trên giấy chứng nhận đăng ký doanh nghiệp/HTX; hộ kinh doanh dùng mã số hộ kinh doanh.',
    },
    {
      id: 'province', label: 'Tỉnh, thành phố', aliases: ['tinh', 'tinh thanh', 'thanh pho'],
      question: 'Cơ sở ở tỉnh, thành phố nào? (tên cũ trước sáp nhập cũng được)',
      parse: (t) => {
        const p = parseProvince(t);
        return p.ok ? { ok: true, value: (p.value as ProvinceMatch).province.name, ...(p.note ? { note: p.note } : {}) } : p;
      },
      reprompts: { default: 'Dạ, tôi chưa nhận ra tên tỉnh, thành phố. Anh/chị ghi lại tên tỉnh giúp tôi, ví dụ "Bắc Ninh" hoặc "TP. Hồ Chí Minh".' },
      help: 'Từ 01/7/2025 cả nước có 34 tỉnh, thành phố. Anh/chị có thể ghi tên tỉnh cũ, tôi sẽ ghi tên tỉnh mới.',
    },
    {
      id: 'commune', label: 'Xã, phường, đặc khu', aliases: ['xa', 'phuong', 'xa phuong'],
      question: 'Cơ sở ở xã, phường hay đặc khu nào? (ví dụ: xã Phúc Lâm)',
      parse: (t) => parseText(t, 2, 120), reprompts: TEXT_REPROMPTS,
      help: 'Từ 01/7/2025 không còn cấp huyện; anh/chị ghi tên xã, phường hoặc đặc khu mới.',
    },
    {
      id: 'address', label: 'Địa chỉ', aliases: ['dia chi'],
      question: 'Địa chỉ cụ thể của cơ sở (thôn, số nhà, đường)?',
      parse: (t) => parseText(t, 3, 200), reprompts: TEXT_REPROMPTS, help: 'Địa chỉ nơi cơ sở sản xuất, để cán bộ liên hệ khi cần.',
    },
    {
      id: 'contactPerson', label: 'Người liên hệ', aliases: ['nguoi lien he', 'ho ten'], requestContact: true,
      question: 'Họ tên người liên hệ?', parse: (t) => parseText(t, 2, 100), reprompts: TEXT_REPROMPTS,
      help: 'Người mà cán bộ Sở Công Thương có thể gọi để trao đổi về đề án.',
    },
    {
      id: 'phone', label: 'Số điện thoại', aliases: ['so dien thoai', 'sdt', 'dien thoai'],
      question: 'Số điện thoại liên hệ?', parse: (t) => parsePhone(t),
      reprompts: {
        letters: 'Dạ, số điện thoại chỉ gồm chữ số, ví dụ 0912 345 678.',
        length: 'Dạ, số di động có 10 chữ số (số bàn 11 chữ số), anh/chị kiểm tra lại giúp tôi nhé.',
        prefix: 'Dạ, số điện thoại bắt đầu bằng 0 hoặc +84, ví dụ 0912 345 678.',
        default: 'Dạ, anh/chị nhập số điện thoại, ví dụ 0912 345 678.',
      },
      help: 'Số di động hoặc số bàn, dạng 0912 345 678 hay +84 912 345 678 đều được.',
    },
    {
      id: 'email', label: 'Email', aliases: ['email', 'thu dien tu'], optional: true,
      question: 'Email liên hệ (không bắt buộc, bấm "Bỏ qua" nếu không có)?', parse: (t) => parseEmail(t),
      reprompts: { format: 'Dạ, địa chỉ email chưa đúng dạng, ví dụ ten@gmail.com. Không có thì bấm "Bỏ qua".' }, help: 'Email để nhận thông tin; không bắt buộc.',
    },
    {
      id: 'supportArea', label: 'Lĩnh vực hỗ trợ', aliases: ['linh vuc', 'noi dung ho tro'],
      question: `Đề án thuộc lĩnh vực hỗ trợ nào? Chọn nút hoặc gõ số:\n${areaList}`,
      choices: areaChoices, parse: (t) => parseSupportArea(t), format: areaLabel,
      reprompts: { default: `Dạ, anh/chị chọn một lĩnh vực (gõ số 1–6):\n${areaList}` },
      help: 'Sáu lĩnh vực hỗ trợ theo định hướng khuyến công. Hỏi "6 lĩnh vực khuyến công là gì" để xem giải thích.',
    },
    { id: 'projectName', label: 'Tên đề án', aliases: ['ten de an', 'ten du an'], question: 'Tên đề án (ví dụ: Ứng dụng máy dệt tự động vào sản xuất chiếu cói)?', parse: (t) => parseText(t, 5, 200), reprompts: TEXT_REPROMPTS, help: 'Tên ngắn gọn nói đề án làm gì.' },
    { id: 'objective', label: 'Mục tiêu', aliases: ['muc tieu'], question: 'Mục tiêu của đề án là gì?', parse: (t) => parseText(t, 5, 500), reprompts: TEXT_REPROMPTS, help: 'Đề án nhằm đạt được điều gì: năng suất, chất lượng, việc làm, môi trường…' },
    { id: 'mainContent', label: 'Nội dung chính', aliases: ['noi dung', 'noi dung chinh'], question: 'Nội dung chính của đề án (làm gì, mua gì, quy mô)?', parse: (t) => parseText(t, 5, 500), reprompts: TEXT_REPROMPTS, help: 'Ví dụ: mua 2 máy dệt tự động, xây nhà xưởng 200 m², đào tạo 10 lao động.' },
    {
      id: 'implementationPlace', label: 'Địa điểm thực hiện', aliases: ['dia diem'], optional: true,
      question: 'Địa điểm thực hiện đề án, nếu khác địa chỉ cơ sở (bấm "Bỏ qua" nếu giống)?', parse: (t) => parseText(t, 3, 200), reprompts: TEXT_REPROMPTS,
      help: 'Chỉ ghi khi đề án làm ở nơi khác địa chỉ cơ sở.', format: (v) => (v ? String(v) : 'như địa chỉ cơ sở'),
    },
    {
      id: 'timeline', label: 'Thời gian thực hiện', aliases: ['thoi gian', 'tien do'],
      question: 'Thời gian thực hiện? (ví dụ: "tháng 3/2027", "quý 2/2027", "từ 3 đến 10/2027")',
      parse: (t, _v, now) => parseTimeline(t, now), format: (v) => formatTimeline(v as { start: string; end: string }),
      reprompts: {
        format: 'Dạ, tôi chưa đọc được thời gian. Anh/chị ghi như "tháng 3/2027", "quý 2/2027" hoặc "từ 3 đến 10/2027" nhé.',
        order: 'Dạ, tháng bắt đầu đang sau tháng kết thúc, anh/chị kiểm tra lại giúp tôi.',
        past: 'Dạ, thời gian này đã qua; đề án đăng ký cho thời gian tới, anh/chị ghi lại giúp tôi nhé.',
        default: 'Dạ, anh/chị ghi thời gian như "tháng 3/2027".',
      },
      help: 'Khoảng thời gian dự kiến làm đề án, tính theo tháng.',
    },
    { id: 'budgetTotal', label: 'Tổng kinh phí', aliases: ['tong kinh phi', 'kinh phi', 'tong'], question: 'Tổng kinh phí dự kiến của đề án? (ví dụ "1,2 tỷ")', parse: (t) => parseMoneyVnd(t), format: money, reprompts: MONEY_REPROMPTS, help: 'Toàn bộ chi phí của đề án, gồm phần đề nghị hỗ trợ, vốn đối ứng và nguồn khác.' },
    {
      id: 'budgetRequested', label: 'Kinh phí đề nghị hỗ trợ', aliases: ['kinh phi de nghi', 'de nghi', 'ho tro', 'phan de nghi'],
      question: 'Số tiền đề nghị khuyến công quốc gia hỗ trợ?', parse: (t) => parseMoneyVnd(t), format: money, reprompts: MONEY_REPROMPTS,
      remark: (_v, values) => capWarning(values), help: 'Phần anh/chị đề nghị ngân sách khuyến công hỗ trợ; mức tối đa tùy lĩnh vực (hỏi "mức hỗ trợ máy móc").',
    },
    { id: 'budgetCounterpart', label: 'Vốn đối ứng', aliases: ['von doi ung', 'doi ung'], question: 'Vốn đối ứng của cơ sở (phần cơ sở tự bỏ ra)?', parse: (t) => parseMoneyVnd(t), format: money, reprompts: MONEY_REPROMPTS, help: 'Vốn đối ứng là phần tiền cơ sở tự chi cùng phần hỗ trợ.' },
    { id: 'budgetOther', label: 'Nguồn khác', aliases: ['nguon khac', 'von khac'], question: 'Kinh phí từ nguồn khác (ghi "0" nếu không có)?', parse: (t) => parseMoneyVnd(t), format: money, reprompts: MONEY_REPROMPTS, help: 'Ví dụ vốn vay hoặc tài trợ khác; ghi 0 nếu không có.' },
    {
      id: 'budgetCheck', label: 'Kiểm tra kinh phí', aliases: ['kiem tra kinh phi'],
      question: 'Tổng các phần (đề nghị hỗ trợ + vốn đối ứng + nguồn khác) khác tổng kinh phí. Anh/chị muốn sửa mục nào, hay giữ nguyên?',
      choices: [
        { title: 'Sửa tổng kinh phí', value: 'sửa tổng kinh phí' },
        { title: 'Sửa phần đề nghị', value: 'sửa phần đề nghị' },
        { title: 'Sửa vốn đối ứng', value: 'sửa vốn đối ứng' },
        { title: 'Sửa nguồn khác', value: 'sửa nguồn khác' },
        { title: 'Giữ nguyên', value: 'giữ nguyên' },
      ],
      skipIf: (v) => typeof v.budgetTotal !== 'number' || budgetParts(v).reduce((a, b) => a + b, 0) === v.budgetTotal,
      parse: (t) => (/^giu nguyen|^giu$/.test(fold(t)) ? { ok: true, value: 'kept' } : { ok: false, reason: 'default' }),
      reprompts: { default: 'Dạ, anh/chị bấm "Giữ nguyên" hoặc chọn mục cần sửa.' },
      help: 'Tổng kinh phí nên bằng phần đề nghị hỗ trợ cộng vốn đối ứng và nguồn khác.', format: () => 'giữ nguyên dù các phần không khớp tổng',
    },
    { id: 'expectedEffects', label: 'Hiệu quả dự kiến', aliases: ['hieu qua'], question: 'Hiệu quả dự kiến (số việc làm, sản lượng, doanh thu…)?', parse: (t) => parseText(t, 5, 500), reprompts: TEXT_REPROMPTS, help: 'Ví dụ: tạo thêm 15 việc làm, tăng sản lượng 30%.' },
    {
      id: 'consent', label: 'Đồng ý lưu thông tin', aliases: ['dong y'], mandatory: true,
      question: 'Anh/chị có đồng ý để chúng tôi lưu thông tin liên hệ này và chuyển cho Sở Công Thương xem xét không? (bắt buộc để lưu bản đăng ký)',
      choices: [{ title: 'Đồng ý', value: 'đồng ý' }, { title: 'Không đồng ý', value: 'không đồng ý' }],
      parse: (t) => {
        const yes = parseYesNo(t);
        if (!yes.ok) return { ok: false, reason: 'unclear' };
        return yes.value ? { ok: true, value: true } : { ok: false, reason: 'refused' };
      },
      format: () => 'đã đồng ý',
      reprompts: {
        refused: 'Dạ, không có sự đồng ý thì tôi không lưu được bản đăng ký. Anh/chị có thể bấm "Đồng ý", hoặc nhắn "hủy" để xóa bản đang điền.',
        default: 'Dạ, anh/chị bấm "Đồng ý" hoặc "Không đồng ý" giúp tôi.',
      },
      help: 'Thông tin chỉ dùng để Sở Công Thương liên hệ về đề án (Nghị định 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân). Anh/chị có thể nhắn "xóa dữ liệu của tôi" bất cứ lúc nào.',
    },
  ];
}

/** Fields a first message may already contain: "HTX mây tre Phúc Lâm ở Bắc Giang, sđt 0912 345 678". */
export function volunteeredFields(text: string, values: FormValues): FormValues {
  const out: FormValues = {};
  const phone = /(?:\+84|84|0)[\d .-]{8,13}\d/.exec(text);
  if (phone && values.phone === undefined) {
    const parsed = parsePhone(phone[0]);
    if (parsed.ok) out.phone = parsed.value;
  }
  const email = /[\w.+-]+@[\w-]+(\.[\w-]+)+/.exec(text);
  if (email && values.email === undefined) {
    const parsed = parseEmail(email[0]);
    if (parsed.ok) out.email = parsed.value;
  }
  const tax = /(?:mst|mã số thuế|ma so thue)\s*:?\s*([\d][\d .-]{8,16}\d)/i.exec(text);
  if (tax && values.taxCode === undefined) {
    const parsed = parseTaxCode(tax[1]!);
    if (parsed.ok) out.taxCode = parsed.value;
  }
  const province = values.province === undefined ? findProvinceIn(text) : undefined;
  if (province) {
    out.province = province.province.name;
    const note = mergeNote(province);
    if (note) out.provinceNote = note;
  }
  const folded = fold(text);
  if (values.entityType === undefined) {
    const entity = parseEntityType(folded);
    if (entity.ok && entity.value !== 'khac') out.entityType = entity.value;
  }
  // "HTX mây tre Phúc Lâm ở Bắc Giang, …": the name is what comes before "ở", "tại" or a comma.
  const name = /^\s*((?:htx|hợp tác xã|hop tac xa|công ty|cong ty|cty|hộ kinh doanh|ho kinh doanh|tổ hợp tác|to hop tac|cơ sở|co so|doanh nghiệp|doanh nghiep|dn)\s[^,;.]{2,80}?)(?:\s+(?:ở|o|tại|tai)\s|,|;|$)/i.exec(text);
  if (name && values.facilityName === undefined) out.facilityName = name[1]!.trim();
  return out;
}
