import { findProvinceInWords, findSpecialZone, PROVINCES, type ProvinceMatch } from './provinces.ts';
import { foldDiacritics, normalizeText, type AnalyzedText } from './vietnamese-text.ts';

/** Entity types an owner names; "unregistered" and "large" are not among the eligible ones. */
export type EntityType = 'dnnvv' | 'htx' | 'lhhtx' | 'tht' | 'hkd' | 'large' | 'unregistered' | 'household';
/** What the owner wants support for. */
export type Want = 'machine' | 'line' | 'demo' | 'training' | 'fair' | 'consulting' | 'environment' | 'startup';
/** Sectors that change the verdict (NĐ 45/2012 Điều 5; TT 46/2012); the rest are "listed". */
export type Sector = 'listed' | 'mining' | 'brick-kiln';

/** What an owner said about their facility, as plain serialisable data. */
export interface OwnerFacts {
  entity?: EntityType;
  /** Today's province (one of the 34). */
  province?: string;
  provinceIsCity?: boolean;
  /** The pre-2025 name the owner wrote, when it has been merged. */
  formerProvince?: string;
  locality?: 'xa' | 'phuong' | 'dac-khu';
  /** The owner named a huyện (there is no district level since 01/7/2025). */
  namedDistrict?: boolean;
  craftVillage?: 'yes' | 'no';
  sector?: Sector;
  difficultArea?: 'yes' | 'no';
  want?: Want;
  /** Cost of what they want, in đồng. */
  amount?: number;
  /** The owner says they have registered since ("đăng ký xong rồi"). */
  registered?: boolean;
}

const ENTITY_RULES: [EntityType, RegExp][] = [
  [
    'unregistered',
    /\b(chua (co )?(dang ky|dang ki|giay phep|giay dang ky)( kinh doanh| ho kinh doanh| gi)?|khong (co )?(dang ky kinh doanh|giay phep)|ca nhan|lam tu do|chua dang ky gi)\b/,
  ],
  ['large', /\b(doanh nghiep lon|cong ty lon|cty lon|tap doan|tong cong ty)\b/],
  ['lhhtx', /\blien hiep hop tac xa\b/],
  ['tht', /\bto hop tac\b/],
  ['htx', /\bhop tac xa\b/],
  ['hkd', /\b(ho kinh doanh|ho kd|ho ca the|kinh doanh ca the)\b/],
  ['dnnvv', /\b(doanh nghiep|cong ty|cty|dnnvv)\b/],
  ['household', /\bho gia dinh\b/],
];

// "máy" typed without tone marks is also "may" (sew), "mây" (rattan) and "mấy" (how many):
// a machine is read only where the words around it say so.
const MACHINE =
  /\b(mua|dau tu|thay|sam|trang bi|nang cap|lap|them|\d+) (cai |chiec |bo )?may\b|\bmay (moc|cnc|cat|ep|say|det|han|tien|xay|nghien|in|dong goi|tron|bua|che|vo|trang|cha|loc|vot|bao|phay|khoan|nen|nghien|tach|rang|sao|dap|uon|dan)\b|\b(thiet bi|lo nung|lo say|lo hoi|noi hoi|he thong loc|may moc|robot|kho lanh|bang tai|day may)\b/;
const WANT_RULES: [Want, RegExp][] = [
  ['line', /\bday chuyen\b/],
  ['demo', /\bmo hinh( trinh dien)?\b/],
  ['startup', /\b(thanh lap|lap|mo) (doanh nghiep|cong ty)\b|\b(doanh nghiep|cong ty) (moi )?thanh lap\b/],
  ['environment', /\b(xu ly (nuoc thai|o nhiem|chat thai|khi thai|moi truong)|san xuat sach hon)\b/],
  ['training', /\b(dao tao|tap huan|day nghe|hoc nghe)\b/],
  ['fair', /\b(hoi cho|trien lam|gian hang|phong trung bay)\b/],
];
// One test for each group: most messages name no entity and want none of these.
const ANY_ENTITY = new RegExp(ENTITY_RULES.map(([, r]) => r.source).join('|'));
const ANY_WANT = new RegExp(WANT_RULES.map(([, r]) => r.source).join('|'));
const CONSULTING = /\b(tu van|thuong hieu|nhan hieu|thiet ke (bao bi|mau ma)|marketing)\b/;

// Products and trades of rural industry (NĐ 45/2012 Điều 5); words that are also common
// function words ("dầu"/"đâu", "giấy"/"giấy tờ") count only after "làm", "sản xuất" or "chế biến".
const PRODUCT = new RegExp(
  '\\b(che bien|nong san|thuc pham|thuy san|hai san|nuoc mam|banh trang|banh da|banh keo|hat dieu|ca phe|keo dua|do go|xuong go|' +
    'xuong moc|gom su|det may|det lua|may mac|may tre|thu cong my nghe|my nghe|tho cam|non la|chieu coi|dua tre|co khi|nghe ren|' +
    'son mai|vat lieu xay dung|gach khong nung|kho ca|my gao|mien dong|dien tu)\\b|' +
    // Drying, roasting, milling or packing a farm product is processing it.
    '\\b(say|say kho|say deo|rang|xay xat|dong goi) (nam|mit|chuoi|xoai|mang|nong san|trai cay|hoa qua|tom|ca|muc|thit|hat|' +
    'gao|tieu|dieu|que|hoi|duoc lieu|rau|cu|khoai|ot|gung|chanh|vai|nhan|long nhan)\\b|' +
    '\\bnam (huong|rom|bao ngu|linh chi|kim cham|dong trung)\\b|' +
    '\\b(lam|san xuat|che bien|nghe|xuong|lo) (che|bun|banh|mien|pho|mam|go|moc|gom|det|nhang|huong|ruou|giay|dau|tuong|gao|lua|theu|ren|muoi tom)\\b',
);

/** The same product words, every occurrence (to take them out of a message). */
export const PRODUCT_WORDS = new RegExp(PRODUCT.source, 'g');

/** Reads the facts an owner gave about their facility from one message. */
export function extractFacts(text: AnalyzedText, raw: string): OwnerFacts {
  const facts: OwnerFacts = {};
  const folded = ` ${text.folded.join(' ')} `;
  if (ANY_ENTITY.test(folded)) {
    for (const [entity, rule] of ENTITY_RULES) {
      if (rule.test(folded)) {
        facts.entity = entity;
        break;
      }
    }
  }
  // "hộ gia đình" that has registered is a hộ kinh doanh.
  if (facts.entity === 'household' && /\b(da dang ky|co dang ky)\b/.test(folded)) facts.entity = 'hkd';

  const province = findProvinceInWords(text.folded);
  if (province) Object.assign(facts, provinceFacts(province));
  // "phường thuộc TP trực thuộc TW": a centrally-run city, whichever of the six.
  else if (/\b(tp|thanh pho) (truc thuoc )?(tw|trung uong)\b/.test(folded)) facts.provinceIsCity = true;
  Object.assign(facts, localityOf(text));
  // "xưởng em ở Phú Quốc": a special zone names its province and that it is a đặc khu.
  const zone = findSpecialZone(folded);
  if (zone) {
    facts.locality = 'dac-khu';
    const province = PROVINCES.find((p) => p.name === zone.province);
    if (!facts.province && province) Object.assign(facts, provinceFacts({ province }));
  }

  if (/\blang nghe\b/.test(folded)) {
    if (
      /\b(khong|ko|chua) (phai |o |nam trong |thuoc |duoc cong nhan )?lang nghe\b|\blang nghe (chua|khong) (duoc )?([a-z]+ ){0,6}cong nhan\b|\bngoai lang nghe\b/.test(
        folded,
      )
    )
      facts.craftVillage = 'no';
    // "nếu trong làng nghề thì sao" asks about a case; it does not say the facility is in one.
    else if (!/\bneu (o |nam |trong |thuoc |la )*(trong )?lang nghe\b/.test(folded)) facts.craftVillage = 'yes';
  }
  if (/\b(da dang ky|dang ky xong|dang ky roi|co giay phep|da co giay phep)\b/.test(folded)) facts.registered = true;
  if (/\b(lo gach|lo vong|gach nung)\b/.test(folded) && !/\bkhong nung\b/.test(folded)) facts.sector = 'brick-kiln';
  else if (/\b(khai thac|khoang san|mo da|cat soi)\b/.test(folded)) facts.sector = 'mining';
  else if (PRODUCT.test(folded)) facts.sector = 'listed';
  if (/\bkho khan\b/.test(folded))
    facts.difficultArea = /\b(khong|ko|chua) (phai |thuoc )?(vung |xa |dia ban )?(dac biet )?kho khan\b/.test(folded)
      ? 'no'
      : 'yes';

  if (ANY_WANT.test(folded)) {
    for (const [want, rule] of WANT_RULES) {
      if (rule.test(folded)) {
        facts.want = want;
        break;
      }
    }
  }
  // "thành lập doanh nghiệp" names the company to be, not the owner's entity.
  if (facts.want === 'startup' && facts.entity === 'dnnvv') delete facts.entity;
  if (!facts.want && (MACHINE.test(folded) || (text.accented && accentedMachine(text)))) facts.want = 'machine';
  if (!facts.want && CONSULTING.test(folded)) facts.want = 'consulting';
  // "vốn 100 tỷ", "doanh thu 2 tỷ": the size of the business, not the price of what it would buy.
  const amount = findAmount(
    raw.match(/\d/) ? foldDiacritics(normalizeText(raw)).replace(/đ/g, 'd').replace(SIZE, ' ') : raw,
  );
  if (amount !== undefined) facts.amount = amount;
  return facts;
}

// Household appliances and vehicles are not what khuyến công supports.
const NOT_A_MACHINE_AFTER = new Set([
  'giặt',
  'lạnh',
  'tính',
  'bay',
  'ảnh',
  'lọc nước',
  'sấy tóc',
  'điều',
  'nước',
  'hút',
]);

function accentedMachine(text: AnalyzedText): boolean {
  return text.tokens.some(
    (t, i) => t === 'máy' && text.tokens[i - 1] !== 'xe' && !NOT_A_MACHINE_AFTER.has(text.tokens[i + 1] ?? ''),
  );
}

/** A business's size in money: "vốn 100 tỷ", "doanh thu khoảng 2 tỷ 5" (folded). */
const SIZE =
  /\b(von|von dieu le|tong von|doanh thu)( (la|khoang|tam|tren|duoi|co))? \d+(?:[.,]\d+)*\s*(ty|ti|trieu|tr|cu)\b( \d{1,3}\b)?/g;

/** The facts a province match gives. */
export function provinceFacts(match: ProvinceMatch): OwnerFacts {
  return {
    province: match.province.name,
    provinceIsCity: match.province.isCity,
    ...(match.formerName ? { formerProvince: match.formerName } : {}),
  };
}

function localityOf(text: AnalyzedText): OwnerFacts {
  const out: OwnerFacts = {};
  const { folded, tokens, accented } = text;
  for (let i = 0; i < folded.length; i++) {
    const f = folded[i];
    const prev = folded[i - 1];
    const next = folded[i + 1];
    // With tone marks typed, "phương" (địa phương) and "xa" (far) are told apart from "phường" and "xã".
    if (
      f === 'xa' &&
      prev !== 'tac' &&
      next !== 'hoi' &&
      prev !== 'vung' &&
      prev !== 'thi' &&
      (!accented || tokens[i] === 'xã')
    )
      out.locality ??= 'xa';
    else if (
      f === 'phuong' &&
      prev !== 'dia' &&
      !['an', 'phap', 'thuc', 'tien', 'huong', 'cham'].includes(next ?? '') &&
      (!accented || tokens[i] === 'phường')
    )
      out.locality ??= 'phuong';
    else if (f === 'dac' && next === 'khu') out.locality ??= 'dac-khu';
    else if ((f === 'huyen' && (!accented || tokens[i] === 'huyện')) || (f === 'thi' && next === 'xa'))
      out.namedDistrict = true;
  }
  return out;
}

const DIGIT_WORDS: Record<string, number> = {
  mot: 1,
  hai: 2,
  ba: 3,
  bon: 4,
  tu: 4,
  nam: 5,
  sau: 6,
  bay: 7,
  tam: 8,
  chin: 9,
};

/**
 * The first amount of money in a message, in đồng: "400tr", "800 củ", "2 tỷ", "1 tỷ 2" (1,2 tỷ),
 * "1 tỷ 200", "1,5 tỷ", "450.000.000 đồng", "hai trăm rưỡi triệu" (FACTS §9).
 */
export function findAmount(raw: string): number | undefined {
  // Most messages carry no amount: no digit and no "trăm".
  if (!/\d|tr[aă]m/i.test(raw)) return undefined;
  const t = foldDiacritics(normalizeText(raw)).replace(/đ/g, 'd');
  const m =
    /(\d+(?:[.,]\d+)?)\s*(?:ty|ti)(?![a-z])(?:\s*(\d{1,3})(?!\s*(?:\d|trieu|tr\b|cu\b|nguoi|may|lao|cong|%)))?(?:\s*(\d{1,3})\s*(?:trieu|tr|cu)(?![a-z]))?/.exec(
      t,
    );
  const words =
    /\b(mot|hai|ba|bon|tu|nam|sau|bay|tam|chin) tram( ruoi| (mot|hai|ba|bon|nam|sau|bay|tam|chin) muoi)? (trieu|cu)\b/.exec(
      t,
    );
  const millions = /(\d+(?:[.,]\d+)?)\s*(?:trieu|trd|tr|cu)(?![a-z])/.exec(t);
  const full = /\b(\d{1,3}(?:\.\d{3}){2,})\s*(?:d|dong|vnd)?\b/.exec(t);
  const candidates: [number, number][] = [];
  if (m) {
    const whole = Number(m[1].replace(',', '.'));
    // "1 tỷ 2" is 1,2 tỷ and "1 tỷ 200" is 1,2 tỷ: the digits after "tỷ" are its decimals.
    const tail = m[2] ? Number(m[2]) / 10 ** m[2].length : /^\s*ruoi\b/.test(t.slice(m.index + m[0].length)) ? 0.5 : 0;
    const extra = m[3] ? Number(m[3]) * 1e6 : 0;
    candidates.push([m.index, Math.round((whole + tail) * 1e9 + extra)]);
  }
  if (words) {
    let n = DIGIT_WORDS[words[1]] * 100;
    if (words[2] === ' ruoi') n += 50;
    else if (words[3]) n += DIGIT_WORDS[words[3]] * 10;
    candidates.push([words.index, n * 1e6]);
  }
  if (millions && !(m && millions.index > m.index && millions.index <= m.index + m[0].length)) {
    const s = millions[1];
    const value = /^\d+[.,]\d{3}$/.test(s) ? Number(s.replace(/[.,]/g, '')) : Number(s.replace(',', '.'));
    candidates.push([millions.index, value * 1e6]);
  }
  if (full) candidates.push([full.index, Number(full[1].replace(/\./g, ''))]);
  const first = candidates.filter(([, v]) => Number.isFinite(v) && v > 0).sort((a, b) => a[0] - b[0])[0];
  return first?.[1];
}
