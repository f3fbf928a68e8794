import { asksFundingAgain } from './case-cues.ts';
import type { AnswerContext, KnowledgeAnswer } from './answerer.ts';
import { aspectsOf } from './conversation.ts';
import { officerEntryAnswer, officerMemo, type OfficerEngine } from './officer-answer.ts';
import { DECREE_SOURCE, NATIONAL_BODY as NATIONAL_BODY_NAME } from './officer-situation.ts';
import { extractFacts } from './owner-facts.ts';
import { findProvinceExact, type ProvinceMatch } from './provinces.ts';
import { SUPPORT_LEVELS, WANT_NAMES } from './support-levels.ts';
import type { AnalyzedText } from './vietnamese-text.ts';

const FUNDING_SOURCE = 'Thông tư 36/2013/TT-BCT, điều kiện cấp kinh phí đề án khuyến công quốc gia';
const PROVINCE_SOURCE = 'Nghị quyết 202/2025/QH15 (sắp xếp đơn vị hành chính cấp tỉnh, từ 01/7/2025)';

/** A question that asks for a decision ("được không", "thì sao", "có phải", "có thuộc"). */
const ASKS = /\b(khong|ko|chua|sao|the nao|duoc|dc|phai|thuoc|xet)\b/;

/**
 * The cases officers bring that the sources decide, read before the owners' understanding: a
 * cost already funded, counterpart funds missing, industrial-cluster infrastructure, what makes a
 * đề án điểm, an unapproved đề án, old province names and addresses that still name a huyện.
 */
export function readOfficerCase(
  question: AnalyzedText,
  folded: string,
  context: AnswerContext,
  engine: OfficerEngine,
): KnowledgeAnswer | undefined {
  const text = ` ${folded} `;
  const decide = (id: string, lead?: string, facts = {}): KnowledgeAnswer | undefined => {
    const entry = engine.entry(id);
    if (!entry) return undefined;
    return { ...officerEntryAnswer(entry, context, engine, 1, lead), memo: officerMemo(entry, context, facts) };
  };
  const custom = (id: string, body: string, sources: string[]): KnowledgeAnswer | undefined => {
    const entry = engine.entry(id);
    if (!entry) return undefined;
    return {
      kind: 'answer',
      entry,
      text: `${body}\n\nNguồn: ${sources.join('; ')}.`,
      sources,
      followUps: engine.choices(entry.followUps),
      confidence: 1,
      memo: officerMemo(entry, context),
    };
  };

  if (asksFundingAgain(folded))
    return custom(
      'funding-conditions',
      'Dạ, không, với cùng khoản chi đó: cùng một khoản chi không được nhận hỗ trợ hai lần từ ngân sách nhà nước (ngân sách tỉnh, khuyến công địa phương cũng là ngân sách nhà nước). Đây là một trong các điều kiện cấp kinh phí của Thông tư 36/2013/TT-BCT.\n' +
        'Điều làm thay đổi kết luận: phần chi khác của đề án, chưa được ngân sách nào hỗ trợ, vẫn được xét theo các điều kiện còn lại (nội dung, ngành nghề đúng nghị định; đề án được phê duyệt; có vốn đối ứng).',
      [FUNDING_SOURCE],
    );

  if (/\bdoi ung\b/.test(text) && ASKS.test(text) && /\b(chua|khong|thieu|het|cam ket)\b/.test(text)) {
    const committed = /\bcam ket\b/.test(text) && !/\b(chua|khong) (co )?cam ket\b/.test(text);
    return custom(
      'funding-conditions',
      committed
        ? 'Dạ, được xét: điều kiện là đơn vị thụ hưởng đã đầu tư hoặc cam kết bố trí vốn đối ứng, nên có cam kết là đáp ứng điều kiện này dù chưa chi tiền. Các điều kiện còn lại vẫn phải đủ: nội dung, ngành nghề đúng nghị định; đề án được phê duyệt; cùng một khoản chi không nhận hỗ trợ hai lần từ ngân sách nhà nước.'
        : 'Dạ, chưa đủ điều kiện cấp kinh phí: Thông tư 36/2013/TT-BCT yêu cầu đơn vị thụ hưởng đã đầu tư hoặc cam kết bố trí vốn đối ứng (phần kinh phí của chính cơ sở, ngoài phần khuyến công hỗ trợ).\n' +
            'Điều làm thay đổi kết luận: cơ sở cam kết bố trí vốn đối ứng thì đáp ứng điều kiện này, chưa cần chi trước.',
      [FUNDING_SOURCE],
    );
  }

  if (/\bha tang\b/.test(text) && /\bcum cong nghiep\b/.test(text) && ASKS.test(text))
    return decide(
      'eligibility-cluster-infrastructure',
      /\b(lon|tap doan|tong cong ty)\b/.test(text)
        ? 'Dạ, có thể: doanh nghiệp đầu tư hạ tầng cụm công nghiệp là một nhóm đối tượng riêng trong Nghị định 235/2025/NĐ-CP, văn bản tôi có không nêu giới hạn quy mô cho nhóm này; doanh nghiệp lớn chỉ không thuộc nhóm cơ sở công nghiệp nông thôn.'
        : undefined,
    );

  if (
    /\bde an( khuyen cong( quoc gia)?)? diem\b/.test(text) &&
    /\b(coi la|tinh la|xet la|duoc la|la de an|co phai)\b/.test(text)
  ) {
    const one = /\b(1|mot) (hoat dong|noi dung)\b/.test(text);
    const short = /\b(duoi|chua den|chua du|trong) (1|mot) nam\b/.test(text);
    return decide(
      'pilot-proposal',
      one || short
        ? `Dạ, không: đề án điểm phải có từ hai hoạt động khuyến công trở lên có liên kết, quy mô lớn và thực hiện trong hơn một năm (Thông tư 36/2013/TT-BCT); ${one ? 'đề án chỉ có một hoạt động' : 'đề án không quá một năm'} không đạt tiêu chí này.`
        : 'Dạ, đề án điểm phải đủ cả ba tiêu chí: từ hai hoạt động khuyến công trở lên có liên kết, quy mô lớn, thực hiện trong hơn một năm (Thông tư 36/2013/TT-BCT).',
    );
  }

  // "cty CP 50 tỷ vốn điều lệ có là DNNVV không": the size criteria are not in the sources.
  if (
    /\bdoanh nghiep nho va vua\b/.test(text) &&
    /\b(co phai|co la|co duoc coi|co tinh|la doanh nghiep nho|tieu chi|xac dinh)\b/.test(text) &&
    /\b(von|doanh thu|lao dong|nguoi|cong nhan|ty|tieu chi|quy mo|xac dinh)\b/.test(text)
  )
    return custom(
      'eligibility-sme',
      'Dạ, tiêu chí xác định doanh nghiệp nhỏ và vừa (vốn, doanh thu, lao động) không có trong các văn bản khuyến công tôi có, nên tôi không kết luận được doanh nghiệp này có phải doanh nghiệp nhỏ và vừa hay không.\nVề khuyến công: doanh nghiệp nhỏ và vừa là loại hình được hỗ trợ; doanh nghiệp lớn không thuộc nhóm cơ sở công nghiệp nông thôn (trừ nhóm riêng: đầu tư hạ tầng cụm công nghiệp, áp dụng sản xuất sạch hơn).',
      [DECREE_SOURCE],
    );

  // "mức chi hội chợ theo TT 28": levels the sources do not give are said to be missing, not guessed.
  const facts = extractFacts(question, question.normalized);
  const wantWithoutLevel = facts.want && !SUPPORT_LEVELS[facts.want];
  const asksLevel =
    aspectsOf(text.trim(), question.normalized).includes('amount') ||
    /\b(muc chi|dinh muc|bao nhieu tien|kinh phi ho tro)\b/.test(text);
  // A year or "kết quả" asks what was done ("2022 hỗ trợ bao nhiêu gian hàng"), which the results answer.
  const asksResults = /\b(20[12]\d|ket qua|da ho tro|duoc bao nhieu (gian hang|luot|co so))\b/.test(text);
  if (wantWithoutLevel && asksLevel && facts.amount === undefined && !asksResults)
    return custom(
      'level-circulars',
      `Dạ, mức chi cho ${WANT_NAMES[facts.want!]} không có trong nguồn của tôi: phần Thông tư 28/2018/TT-BTC tôi có chỉ nêu mức cho mô hình trình diễn (30%, tối đa 1.000 triệu đồng), máy móc thiết bị (50%, tối đa 300 triệu đồng, dây chuyền tới 1,5 lần) và thành lập doanh nghiệp ở địa bàn khó khăn (10 triệu đồng).\nVăn bản cần đọc: Thông tư 28/2018/TT-BTC và Thông tư 64/2024/TT-BTC sửa đổi nó; với khuyến công địa phương, nghị quyết của Hội đồng nhân dân tỉnh.`,
      [
        'Thông tư 28/2018/TT-BTC (mức chi khuyến công; đã được sửa đổi bởi Thông tư 64/2024/TT-BTC, phần sửa chưa có trong nguồn)',
      ],
    );

  if (/\bchua (duoc )?phe duyet\b/.test(text) && /\b(kinh phi|cap|giai ngan|ho tro|tien)\b/.test(text))
    return decide(
      'funding-conditions',
      'Dạ, không: đề án phải được phê duyệt mới được cấp kinh phí khuyến công quốc gia (Thông tư 36/2013/TT-BCT).',
    );

  // Cleaner production is its own group of beneficiaries, whatever the size or the ward.
  if (
    /\bsan xuat sach hon\b/.test(text) &&
    ASKS.test(text) &&
    /\b(lon|tap doan|phuong|thanh pho|ngoai lang nghe)\b/.test(text)
  )
    return decide(
      'eligibility-cleaner-production',
      'Dạ, có thể, theo nhóm cơ sở áp dụng sản xuất sạch hơn: Nghị định 235/2025/NĐ-CP nêu nhóm này riêng, ngoài nhóm cơ sở công nghiệp nông thôn (nơi doanh nghiệp lớn, phường ngoài làng nghề của thành phố trực thuộc trung ương không thuộc diện).',
    );

  return (
    readDates(question, text, context, engine) ??
    readDocument(question, text, context, engine) ??
    readPlace(question, text, context, engine)
  );
}

/** Documents officers name by their number alone ("TT 36", "NĐ 235", "CV 400"), and the entry on each. */
const DOCUMENTS: [RegExp, string][] = [
  [/\bthong tu (28|64)\b/, 'level-circulars'],
  [/\bthong tu 36\b/, 'document-36-2013'],
  [/\bthong tu 46\b/, 'eligibility-brick-kilns'],
  [/\bnghi dinh 235\b/, 'decree-235'],
  [/\bnghi dinh 45\b/, 'decree-45'],
  [/\b(cong van 400|400 ctdp)\b/, 'document-400'],
  [/\bquyet dinh (2646|1881)\b/, 'programme-2026-2030'],
  [/\bnghi quyet 202\b/, 'provinces-34'],
];
const ABOUT_DOCUMENT =
  /\b(quy dinh (gi|nhung gi|ve gi|nhung noi dung gi|nhung noi dung nao)|noi dung|hieu luc|con ap dung|sua doi|sua|thay the|thay|la gi|la van ban gi|ban hanh|ai ky|ky ngay|co gi moi|diem moi|tom tat|gom nhung gi|noi gi|the nao)\b/;

/** A question about a document itself: what it rules, whether it still applies, who signed it. */
function readDocument(
  question: AnalyzedText,
  text: string,
  context: AnswerContext,
  engine: OfficerEngine,
): KnowledgeAnswer | undefined {
  const named = DOCUMENTS.map(([rule, id]) => ({ at: rule.exec(text)?.index ?? -1, id })).filter((d) => d.at >= 0);
  if (named.length === 0) return undefined;
  const aspects = aspectsOf(text.trim(), question.normalized);
  if (aspects.includes('amount') || aspects.includes('eligibility') || !ABOUT_DOCUMENT.test(text)) return undefined;
  const first = named.sort((a, b) => a.at - b.at)[0];
  const entry = engine.entry(first.id);
  if (!entry) return undefined;
  return { ...officerEntryAnswer(entry, context, engine, 1), memo: officerMemo(entry, context) };
}

const TT36 = /\bthong tu 36\b/;
const DATE_WORDS = /\b(han|moc|ngay nao|truoc ngay|thoi han|ap dung|ap moc|hieu luc|con ap dung|khi nao|bao gio)\b/;
const PROCEDURE_DATES = /\b(20 5|15 6|20 6|30 9)\b/;

/**
 * The procedure's dates: Thông tư 36/2013 sets 20/5 and 15/6 "unless otherwise guided"; each
 * year's orientation letter sets the real ones (the 2024 plan: 20/6/2023 and 30/9/2023); a later
 * plan year's letter is not in the sources.
 */
function readDates(
  question: AnalyzedText,
  text: string,
  context: AnswerContext,
  engine: OfficerEngine,
): KnowledgeAnswer | undefined {
  // "năm nay", "năm sau": the plan year counted from today.
  const thisYear = context.now.getFullYear();
  const year =
    question.folded.map(Number).find((n) => n >= 2025 && n <= 2100) ??
    (/\bnam nay\b/.test(text) ? thisYear : /\bnam (sau|toi)\b/.test(text) ? thisYear + 1 : undefined);
  const deadlineAsked = DATE_WORDS.test(text);
  const aboutTt36 = TT36.test(text) && (deadlineAsked || PROCEDURE_DATES.test(text));
  const laterYear = year !== undefined && deadlineAsked && /\b(ke hoach|dang ky|de an|ho so|khuyen cong)\b/.test(text);
  const bothDates = PROCEDURE_DATES.test(text) && /\b(hay|hoac|ap dung|cai nao|moc nao|khac|nhung)\b/.test(text);
  if (!aboutTt36 && !laterYear && !bothDates) return undefined;
  const entry = engine.entry('appraisal-two-levels');
  if (!entry) return undefined;
  const lines = [
    year
      ? `Dạ, hạn của kế hoạch năm ${year} do văn bản định hướng kế hoạch khuyến công quốc gia năm ${year} quy định; nguồn của tôi không có văn bản định hướng nào mới hơn Công văn 400/CTĐP-QLKC (kế hoạch năm 2024).`
      : 'Dạ, hai bộ mốc đều đúng nguồn và quan hệ với nhau như sau.',
    '• Thông tư 36/2013/TT-BCT đặt mốc 20/5 (đơn vị gửi đề án về Sở Công Thương) và 15/6 (Sở Công Thương gửi Cục) "trừ khi có hướng dẫn khác".',
    '• Văn bản định hướng hằng năm là hướng dẫn khác đó và đặt hạn thực tế: cho kế hoạch năm 2024, Công văn 400/CTĐP-QLKC (15/5/2023) đặt 20/6/2023 (báo cáo đăng ký kế hoạch về Cục) và 30/9/2023 (hồ sơ đề án để thẩm định cấp Bộ).',
    year
      ? `Vì vậy với năm ${year}, mốc thực tế theo văn bản định hướng năm ${year}; chỉ khi không có hướng dẫn khác mới áp mốc 20/5 và 15/6 của Thông tư 36/2013.`
      : 'Năm nào có văn bản định hướng thì áp hạn của văn bản đó; chỉ khi không có hướng dẫn khác mới áp mốc 20/5 và 15/6.',
    ...(year === 2026
      ? [
          'Theo tin địa phương, đề án khuyến công quốc gia cho kế hoạch năm 2026 gửi về Bộ Công Thương qua Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công; hạn cụ thể không có trong nguồn của tôi.',
        ]
      : []),
    `Thông tư mới hơn có thay đổi Thông tư 36/2013 hay không: nguồn của tôi chưa có thông tin. Đầu mối: ${NATIONAL_BODY_NAME}.`,
  ];
  const sources = [
    'Thông tư 36/2013/TT-BCT, trình tự lập, thẩm định đề án',
    'Công văn số 400/CTĐP-QLKC ngày 15/5/2023, đăng ký kế hoạch KCQG năm 2024',
  ];
  return {
    kind: 'answer',
    entry,
    text: `${lines.join('\n')}\n\nNguồn: ${sources.join('; ')}.`,
    sources,
    followUps: engine.choices(['deadline-registration-report', 'deadline-dossier-appraisal', 'deadline-next-cycle']),
    confidence: 1,
    memo: officerMemo(entry, context),
  };
}

const PLACE_ASK =
  /\b(thuoc (dau|tinh nao|tinh gi|thanh pho nao|ve dau)|(gio|nay|bay gio|hien nay|hien tai) (la|thuoc|o|ve)|sap nhap|sat nhap|nhap (vao|voi|ve)|hop nhat|tinh moi|ten moi|tinh (gi|nao)|thanh pho nao|truc thuoc trung uong|cu)\b/;
const ADDRESS_ASK = /\b(dia chi|ghi|xu ly|the nao|sao|sua|viet|cach)\b/;

/** Old province names and addresses that still name a huyện (FACTS §7). */
function readPlace(
  question: AnalyzedText,
  text: string,
  context: AnswerContext,
  engine: OfficerEngine,
): KnowledgeAnswer | undefined {
  const aspects = aspectsOf(text.trim(), question.normalized);
  if (aspects.includes('amount') || (aspects.includes('eligibility') && !PLACE_ASK.test(text))) return undefined;
  const named = provincesNamed(question.folded);
  const facts = extractFacts(question, question.normalized);
  if (facts.entity || facts.want) return undefined;
  const district = facts.namedDistrict && ADDRESS_ASK.test(text);
  if (!district && (named.length === 0 || !PLACE_ASK.test(text))) return undefined;
  const lines = named.map(({ said, match }) => placeLine(said, match));
  const department = named.at(-1)?.match.province;
  if (department && /\bso cong thuong\b/.test(text))
    lines.push(
      `Khuyến công ở đó do Sở Công Thương ${department.isCity ? 'TP.' : 'tỉnh'} ${department.name.replace(/^TP\. /, '')} phụ trách.`,
    );
  if (district)
    lines.unshift(
      'Dạ, từ 01/7/2025 không còn cấp huyện (chính quyền địa phương hai cấp: tỉnh và xã). Địa chỉ ghi theo xã, phường hoặc đặc khu mới và tỉnh, thành phố mới, bỏ cấp huyện. Tên xã mới thay cho đơn vị cũ không có trong nguồn của tôi: cần cơ sở ghi rõ xã, phường hoặc đặc khu hiện nay.',
    );
  else lines[0] = `Dạ, ${lines[0]}`;
  const entry = engine.entry(district ? 'two-tier-government' : 'provinces-34');
  if (!entry) return undefined;
  const sources = [PROVINCE_SOURCE];
  if (named.some((n) => n.said === 'Hà Tây')) sources.push('Hà Tây sáp nhập vào Hà Nội từ 01/8/2008');
  return {
    kind: 'answer',
    entry,
    text: `${lines.join('\n')}\n\nNguồn: ${sources.join('; ')}.`,
    sources,
    followUps: engine.choices(entry.followUps),
    confidence: 1,
    memo: officerMemo(entry, context, facts),
  };
}

/** Every province a message names, in order, with the name as written. */
function provincesNamed(words: readonly string[]): { said: string; match: ProvinceMatch }[] {
  const out: { said: string; match: ProvinceMatch }[] = [];
  for (let i = 0; i < words.length; i++) {
    for (let len = Math.min(4, words.length - i); len >= 1; len--) {
      const phrase = words.slice(i, i + len).join(' ');
      if (len === 1 && !['hue', 'hcm', 'tphcm', 'brvt', 'daklak', 'kontum'].includes(phrase)) continue;
      const match = findProvinceExact(phrase);
      if (!match) continue;
      const said = SPECIAL_NAMES[phrase] ?? match.formerName ?? match.province.name;
      if (!out.some((o) => o.said === said)) out.push({ said, match });
      i += len - 1;
      break;
    }
  }
  return out;
}

const SPECIAL_NAMES: Record<string, string> = { 'ha tay': 'Hà Tây', 'phu quoc': 'Phú Quốc' };

function placeLine(said: string, match: ProvinceMatch): string {
  const { province } = match;
  const kind = province.isCity ? 'thành phố trực thuộc trung ương' : 'tỉnh';
  const name = province.isCity && !province.name.startsWith('TP.') ? `TP. ${province.name}` : province.name;
  const city = province.isCity
    ? ` Ở thành phố trực thuộc trung ương, địa bàn khuyến công là xã, đặc khu (phường chỉ khi trong làng nghề được công nhận).`
    : '';
  if (said === 'Hà Tây')
    return `Hà Tây đã sáp nhập vào Hà Nội từ 01/8/2008; Hà Nội giữ nguyên khi sắp xếp năm 2025.${city}`;
  if (said === 'Phú Quốc')
    return 'Phú Quốc nay là đặc khu thuộc tỉnh An Giang (trước thuộc Kiên Giang); ở tỉnh, mọi xã, phường, đặc khu đều thuộc địa bàn khuyến công.';
  const others = province.formerUnits.filter((u) => u !== said);
  if (!match.formerName && province.formerUnits.length === 1)
    return `${name} giữ nguyên, không sáp nhập (${kind}).${city}`;
  return `${said} nay thuộc ${kind} ${name} (hợp nhất ${[said, ...others].join(', ')} từ 01/7/2025).${city}`;
}
