import AggressiveTokenizerVi from 'natural/lib/natural/tokenizers/aggressive_tokenizer_vi.js';

/** Marks that carry the tone of a Vietnamese syllable, in NFD, with their tone digit. */
const TONE_MARKS: Readonly<Record<string, string>> = {
  '\u0300': '2', // huyền
  '\u0301': '1', // sắc
  '\u0303': '4', // ngã
  '\u0309': '3', // hỏi
  '\u0323': '5', // nặng
};

const COMBINING_MARK = /[\u0300-\u036f]/g;
// Control characters, zero-width characters and the BOM carry no meaning in a chat message.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u2060\ufeff]/g;

const tokenizer = new AggressiveTokenizerVi();

/** Unicode NFC, invisible characters removed, lower case, single spaces. */
export function normalizeText(text: string): string {
  return (
    text
      .normalize('NFC')
      .replace(INVISIBLE, ' ')
      // Vietnamese has no special casing rules, so the plain (much faster) lower case is the same.
      .toLowerCase()
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/** Removes every diacritic and maps đ to d: "Đăng ký" → "dang ky". */
export function foldDiacritics(text: string): string {
  if (ASCII.test(text)) return text;
  return text.normalize('NFD').replace(COMBINING_MARK, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
}

// eslint-disable-next-line no-control-regex -- the ASCII range starts at NUL
const ASCII = /^[\u0000-\u007f]*$/;

/** foldDiacritics of one syllable, remembered: a conversation uses few distinct syllables. */
function foldSyllable(syllable: string): string {
  let folded = foldedSyllables.get(syllable);
  if (folded === undefined) {
    folded = foldDiacritics(syllable);
    // The cap only guards against a flood of garbage words.
    if (foldedSyllables.size < 50_000) foldedSyllables.set(syllable, folded);
  }
  return folded;
}

const foldedSyllables = new Map<string, string>();

/**
 * A syllable's accented key: vowel marks kept, the tone moved to a trailing digit, so the old
 * and new tone placements ("hoà" / "hòa") give the same key.
 */
export function accentKey(syllable: string): string {
  const cached = accentKeys.get(syllable);
  if (cached !== undefined) return cached;
  const key = computeAccentKey(syllable);
  // Syllables are few; the cap only guards against a flood of garbage words.
  if (accentKeys.size < 50_000) accentKeys.set(syllable, key);
  return key;
}

const accentKeys = new Map<string, string>();

function computeAccentKey(syllable: string): string {
  let tone = '';
  const base = syllable.normalize('NFD').replace(COMBINING_MARK, (mark) => {
    const digit = TONE_MARKS[mark];
    if (digit !== undefined) {
      tone = digit;
      return '';
    }
    return mark;
  });
  return base.normalize('NFC') + tone;
}

/** True when the text carries any Vietnamese diacritic (or đ). */
export function hasDiacritics(text: string): boolean {
  return foldDiacritics(text) !== text;
}

// The letters natural's Vietnamese tokenizer keeps; other accented Latin letters ("é" in "café",
// "ñ") are folded to their base letter first, so they are not silently dropped.
const VIETNAMESE_LETTERS = new Set('àáảãạăắằẳẵặâấầẩẫậéèẻẽẹêếềểễệíìỉĩịóòỏõọôốồổỗộơớờởỡợúùủũụưứừửữựýỳỷỹỵđ');

/** Splits normalised text into syllables with natural's Vietnamese tokenizer; "300tr" → "300", "tr". */
export function syllables(normalized: string): string[] {
  const out: string[] = [];
  // eslint-disable-next-line no-control-regex -- everything outside ASCII, whose range starts at NUL
  const prepared = normalized.replace(/[^\u0000-\u007f]/g, (ch) =>
    VIETNAMESE_LETTERS.has(ch) ? ch : foldDiacritics(ch),
  );
  for (const token of tokenizer.tokenize(prepared)) {
    const parts = token.match(/\d+|\D+/g);
    if (parts) out.push(...parts);
  }
  return out;
}

/**
 * Chat shorthand and abbreviations, keyed by their folded form, expanded to accented words.
 * Several readings are listed where the shorthand is ambiguous ("dk" is đăng ký or điều kiện).
 */
export const SHORTHAND: Readonly<Record<string, readonly string[]>> = {
  ko: ['không'],
  k: ['không'],
  kg: ['không'],
  kh: ['không'],
  khg: ['không'],
  hok: ['không'],
  hong: ['không'],
  hem: ['không'],
  hk: ['không'],
  khong: ['không'],
  kô: ['không'],
  dc: ['được'],
  duoc: ['được'],
  dk: ['đăng ký', 'điều kiện'],
  dki: ['đăng ký'],
  dky: ['đăng ký'],
  dkien: ['điều kiện'],
  dkiện: ['điều kiện'],
  j: ['gì'],
  gi: ['gì'],
  z: ['vậy'],
  v: ['vậy'],
  r: ['rồi'],
  ms: ['mới'],
  lm: ['làm'],
  bn: ['bao nhiêu'],
  bnhieu: ['bao nhiêu'],
  nhiu: ['nhiêu'],
  bh: ['bao giờ'],
  bgio: ['bao giờ'],
  bjo: ['bao giờ'],
  ntn: ['như thế nào'],
  hs: ['hồ sơ'],
  hso: ['hồ sơ'],
  sx: ['sản xuất'],
  sxuat: ['sản xuất'],
  dn: ['doanh nghiệp'],
  dnghiep: ['doanh nghiệp'],
  cty: ['công ty'],
  ct: ['công ty'],
  htx: ['hợp tác xã'],
  lhhtx: ['liên hiệp hợp tác xã'],
  tht: ['tổ hợp tác'],
  hkd: ['hộ kinh doanh'],
  kcqg: ['khuyến công quốc gia'],
  kcdp: ['khuyến công địa phương'],
  kc: ['khuyến công'],
  cnnt: ['công nghiệp nông thôn'],
  sct: ['sở công thương'],
  bct: ['bộ công thương'],
  ccn: ['cụm công nghiệp'],
  ubnd: ['ủy ban nhân dân'],
  hdnd: ['hội đồng nhân dân'],
  dnnvv: ['doanh nghiệp nhỏ và vừa'],
  dnvvn: ['doanh nghiệp nhỏ và vừa'],
  ctdp: ['công thương địa phương'],
  dck: ['đổi mới sáng tạo chuyển đổi xanh và khuyến công'],
  tr: ['triệu'],
  trieu: ['triệu'],
  ty: ['tỷ'],
  ti: ['tỷ'],
  tỉ: ['tỷ'],
  mmtb: ['máy móc thiết bị'],
  tb: ['thiết bị'],
  sp: ['sản phẩm'],
  tthc: ['thủ tục hành chính'],
  nd: ['nghị định'],
  qd: ['quyết định'],
  tt: ['thông tư'],
  cv: ['công văn'],
  hd: ['hướng dẫn'],
  tg: ['thời gian'],
  dt: ['điện thoại'],
  đt: ['điện thoại'],
  sdt: ['số điện thoại'],
  ng: ['người'],
  mn: ['mọi người'],
  mk: ['mình'],
  mik: ['mình'],
  mjk: ['mình'],
  bik: ['biết'],
  bit: ['biết'],
  wa: ['qua'],
  hnay: ['hôm nay'],
  cb: ['cán bộ'],
  tttv: ['thông tin tư vấn'],
  nnl: ['nguồn nhân lực'],
  sxsh: ['sản xuất sạch hơn'],
  ttkc: ['trung tâm khuyến công'],
  // Officers' abbreviations (Sở Công Thương, Trung tâm Khuyến công).
  mhtd: ['mô hình trình diễn'],
  mhtđ: ['mô hình trình diễn'],
  tđ: ['thẩm định'],
  đư: ['đối ứng'],
  bc: ['báo cáo'],
  đkkd: ['đăng ký kinh doanh'],
  dkkd: ['đăng ký kinh doanh'],
  đbkk: ['đặc biệt khó khăn'],
  dbkk: ['đặc biệt khó khăn'],
  nsnn: ['ngân sách nhà nước'],
  tw: ['trung ương'],
  qlkc: ['quản lý khuyến công'],
  xttm: ['xúc tiến thương mại'],
  tncn: ['thu nhập cá nhân'],
  tndn: ['thu nhập doanh nghiệp'],
  vdu: ['ví dụ'],
  vd: ['ví dụ'],
  thoigian: ['thời gian'],
};

/** A normalised, tokenised piece of text: what retrieval and the dialogs work on. */
export interface AnalyzedText {
  /** NFC, lower-case, trimmed. */
  normalized: string;
  /** Syllables after shorthand expansion, accented as typed. */
  tokens: string[];
  /** The same syllables without diacritics. */
  folded: string[];
  /** True when the user typed diacritics. */
  accented: boolean;
}

/**
 * Officers' abbreviations that are ordinary words in lower case ("đa" in "tối đa", "kh" for
 * "không"): read as abbreviations only in capitals, inside a message that is not all capitals.
 */
const CAPITALS: Readonly<Record<string, string>> = {
  ĐA: 'đề án',
  TĐ: 'thẩm định',
  ĐƯ: 'đối ứng',
  KH: 'kế hoạch',
  BC: 'báo cáo',
};
const CAPITAL_WORD = /(?<![\p{L}\d])(ĐA|TĐ|ĐƯ|KH|BC)(?![\p{L}\d])/gu;

/** The same abbreviations typed in lower case, where the words around them say which they are. */
function inContext(syllable: string, previous: string | undefined, next: string | undefined): string[] | undefined {
  const before = previous === undefined ? '' : foldSyllable(previous);
  const after = next === undefined ? '' : foldSyllable(next);
  switch (syllable) {
    case 'kh':
      return before === 'ky' || before === 'ki' || after === 'kcqg' || after === 'kcdp' ? ['kế', 'hoạch'] : undefined;
    case 'đa':
    case 'da':
      // "tối đa", "đã nộp": only beside the words that go with a đề án.
      return before !== 'toi' && (DE_AN_AFTER.has(after) || (syllable === 'đa' && DE_AN_BEFORE.has(before)))
        ? ['đề', 'án']
        : undefined;
    case 'du':
      return before === 'von' ? ['đối', 'ứng'] : undefined;
    case 'td':
      return after === 'cap' || before === 'dong' ? ['thẩm', 'định'] : undefined;
    default:
      return undefined;
  }
}
const CONTEXTUAL = new Set(['kh', 'đa', 'da', 'du', 'td']);
const DE_AN_AFTER = new Set(['diem', 'kcqg', 'kcdp']);
const DE_AN_BEFORE = new Set(['nop', 'gui', 'lap', 'cac', 'xet', 'duyet', 'tham']);

/** Normalises, tokenises and expands shorthand: the one entry point for reading Vietnamese text. */
export function analyze(text: string): AnalyzedText {
  // Capitals are read before case is folded, and only where the message also has small letters.
  const marked =
    /[A-ZĐ][A-ZĐƯ]/.test(text) && /[a-zà-ỹ]/.test(text) ? text.replace(CAPITAL_WORD, (w) => CAPITALS[w]) : text;
  const normalized = normalizeText(marked);
  const tokens: string[] = [];
  const list = syllables(normalized);
  for (let i = 0; i < list.length; i++) {
    const syllable = list[i];
    const folded = foldSyllable(syllable);
    // Shorthand is typed without tone marks ("dc", "đk"); "hồng" is a word, not "hong" = không.
    const expansion =
      (CONTEXTUAL.has(syllable) ? inContext(syllable, list[i - 1], list[i + 1]) : undefined) ??
      SHORTHAND[syllable] ??
      (syllable.replace(/đ/g, 'd') === folded ? SHORTHAND[folded] : undefined);
    if (expansion) {
      for (const phrase of expansion) tokens.push(...phrase.split(' '));
    } else {
      tokens.push(syllable);
    }
  }
  return {
    normalized,
    tokens,
    folded: tokens.map(foldSyllable),
    accented: hasDiacritics(normalized),
  };
}
