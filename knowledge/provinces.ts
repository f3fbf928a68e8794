import { foldDiacritics, normalizeText } from './vietnamese-text.ts';

/** A provincial unit since 01/7/2025 (Nghị quyết 202/2025/QH15; shared/sources/FACTS.md §7). */
export interface Province {
  name: string;
  /** One of the six centrally-run cities (thành phố trực thuộc trung ương). */
  isCity: boolean;
  /** The pre-2025 units merged into it, itself included when it kept its name. */
  formerUnits: string[];
}

const CITIES = new Set(['Hà Nội', 'Hải Phòng', 'Huế', 'Đà Nẵng', 'TP. Hồ Chí Minh', 'Cần Thơ']);

const MERGES: Record<string, string[]> = {
  'Hà Nội': ['Hà Nội'],
  Huế: ['Huế'],
  'Lai Châu': ['Lai Châu'],
  'Điện Biên': ['Điện Biên'],
  'Sơn La': ['Sơn La'],
  'Lạng Sơn': ['Lạng Sơn'],
  'Quảng Ninh': ['Quảng Ninh'],
  'Thanh Hóa': ['Thanh Hóa'],
  'Nghệ An': ['Nghệ An'],
  'Hà Tĩnh': ['Hà Tĩnh'],
  'Cao Bằng': ['Cao Bằng'],
  'Tuyên Quang': ['Tuyên Quang', 'Hà Giang'],
  'Lào Cai': ['Lào Cai', 'Yên Bái'],
  'Thái Nguyên': ['Thái Nguyên', 'Bắc Kạn'],
  'Phú Thọ': ['Phú Thọ', 'Vĩnh Phúc', 'Hòa Bình'],
  'Bắc Ninh': ['Bắc Ninh', 'Bắc Giang'],
  'Hưng Yên': ['Hưng Yên', 'Thái Bình'],
  'Hải Phòng': ['Hải Phòng', 'Hải Dương'],
  'Ninh Bình': ['Ninh Bình', 'Hà Nam', 'Nam Định'],
  'Quảng Trị': ['Quảng Trị', 'Quảng Bình'],
  'Đà Nẵng': ['Đà Nẵng', 'Quảng Nam'],
  'Quảng Ngãi': ['Quảng Ngãi', 'Kon Tum'],
  'Gia Lai': ['Gia Lai', 'Bình Định'],
  'Khánh Hòa': ['Khánh Hòa', 'Ninh Thuận'],
  'Lâm Đồng': ['Lâm Đồng', 'Đắk Nông', 'Bình Thuận'],
  'Đắk Lắk': ['Đắk Lắk', 'Phú Yên'],
  'TP. Hồ Chí Minh': ['TP. Hồ Chí Minh', 'Bình Dương', 'Bà Rịa - Vũng Tàu'],
  'Đồng Nai': ['Đồng Nai', 'Bình Phước'],
  'Tây Ninh': ['Tây Ninh', 'Long An'],
  'Cần Thơ': ['Cần Thơ', 'Sóc Trăng', 'Hậu Giang'],
  'Vĩnh Long': ['Vĩnh Long', 'Bến Tre', 'Trà Vinh'],
  'Đồng Tháp': ['Đồng Tháp', 'Tiền Giang'],
  'Cà Mau': ['Cà Mau', 'Bạc Liêu'],
  'An Giang': ['An Giang', 'Kiên Giang'],
};

/** The 34 provincial units. */
export const PROVINCES: readonly Province[] = Object.entries(MERGES).map(([name, formerUnits]) => ({
  name,
  isCity: CITIES.has(name),
  formerUnits,
}));

/** Other ways people write a unit's name (folded), mapped to its pre-2025 name. */
const ALIASES: Record<string, string> = {
  'ho chi minh': 'TP. Hồ Chí Minh',
  hcm: 'TP. Hồ Chí Minh',
  tphcm: 'TP. Hồ Chí Minh',
  'sai gon': 'TP. Hồ Chí Minh',
  'tp hcm': 'TP. Hồ Chí Minh',
  sg: 'TP. Hồ Chí Minh',
  hn: 'Hà Nội',
  'thua thien hue': 'Huế',
  'vung tau': 'Bà Rịa - Vũng Tàu',
  'ba ria vung tau': 'Bà Rịa - Vũng Tàu',
  brvt: 'Bà Rịa - Vũng Tàu',
  'ba ria': 'Bà Rịa - Vũng Tàu',
  'dac lac': 'Đắk Lắk',
  daklak: 'Đắk Lắk',
  'dak lak': 'Đắk Lắk',
  'dak nong': 'Đắk Nông',
  'dac nong': 'Đắk Nông',
  'hoa binh': 'Hòa Bình',
  'thanh hoa': 'Thanh Hóa',
  'khanh hoa': 'Khánh Hòa',
  'bac can': 'Bắc Kạn',
  'kon tum': 'Kon Tum',
  kontum: 'Kon Tum',
  hp: 'Hải Phòng',
  'da nang': 'Đà Nẵng',
  dn: 'Đà Nẵng',
  'can tho': 'Cần Thơ',
  // A special zone (đặc khu) since 01/7/2025, now in An Giang (FACTS §7).
  'phu quoc': 'An Giang',
  // Merged into Hà Nội on 01/8/2008 (FACTS §7); still written in old addresses.
  'ha tay': 'Hà Nội',
};

const FORMER = new Map<string, { former: string; province: Province }>();
for (const province of PROVINCES) {
  for (const former of province.formerUnits) FORMER.set(keyOf(former), { former, province });
}
for (const [alias, former] of Object.entries(ALIASES)) {
  const hit = FORMER.get(keyOf(former));
  if (hit) FORMER.set(alias, hit);
}
const SINGLE_WORD = new Set(['hue', 'tphcm', 'hcm', 'brvt', 'daklak', 'kontum']);
const CONTEXT_WORD = new Set(['hn', 'sg', 'hp']);
/** Words after which "hn", "sg", "hp" name a place: "ở hn", "phường … hn" is not read, "phường hn" is. */
const PLACE_BEFORE = new Set(['o', 'tai', 'phuong', 'xa', 'tp']);
const MAX_WORDS = Math.max(...[...FORMER.keys()].map((k) => k.split(' ').length));

function keyOf(name: string): string {
  return foldDiacritics(normalizeText(name))
    .replace(/[^a-z0-9 ]/g, ' ')
    .replace(/^(tp|thanh pho|tinh)\s+/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

// The first word of every name and alias, so that most words of a message are passed over at once.
const FIRST_WORDS = new Set([...FORMER.keys()].map((k) => k.split(' ')[0]));

/**
 * The first province named in a message already split into folded syllables (as `analyze`
 * gives them), the fast path for reading every message of a conversation.
 */
export function findProvinceInWords(words: readonly string[]): ProvinceMatch | undefined {
  for (let i = 0; i < words.length; i++) {
    if (!FIRST_WORDS.has(words[i])) continue;
    for (let len = Math.min(MAX_WORDS, words.length - i); len >= 1; len--) {
      const phrase = len === 1 ? words[i] : words.slice(i, i + len).join(' ');
      // "hn", "sg" are names only where a place is expected: after "ở" or at the very end.
      if (
        len === 1 &&
        !SINGLE_WORD.has(phrase) &&
        !(CONTEXT_WORD.has(phrase) && (PLACE_BEFORE.has(words[i - 1]) || i === words.length - 1))
      )
        continue;
      const hit = FORMER.get(phrase);
      if (hit)
        return hit.former === hit.province.name
          ? { province: hit.province }
          : { province: hit.province, formerName: hit.former };
    }
  }
  return undefined;
}

/** A province found in text, with the old name the user wrote when it has been merged. */
export interface ProvinceMatch {
  province: Province;
  /** The pre-2025 name the user wrote, when it differs from today's province. */
  formerName?: string;
}

/** The province a text names exactly ("tỉnh Bắc Giang", "tp hcm", "binh duong"). */
export function findProvinceExact(text: string): ProvinceMatch | undefined {
  const hit = FORMER.get(keyOf(text));
  if (!hit) return undefined;
  return hit.former === hit.province.name
    ? { province: hit.province }
    : { province: hit.province, formerName: hit.former };
}

/** The first province named anywhere in a longer text ("HTX mây tre ở Bắc Giang, sđt …"). */
export function findProvinceIn(text: string): ProvinceMatch | undefined {
  const words = keyOf(text).split(' ');
  for (let i = 0; i < words.length; i++) {
    for (let len = Math.min(MAX_WORDS, words.length - i); len >= 1; len--) {
      const phrase = words.slice(i, i + len).join(' ');
      // One-word names are too easily ordinary words ("hn", "dn"), except these.
      if (len === 1 && !SINGLE_WORD.has(phrase)) continue;
      const hit = findProvinceExact(phrase);
      if (hit) return hit;
    }
  }
  return undefined;
}

/** "Bắc Giang nay thuộc tỉnh Bắc Ninh", or undefined when the name is current. */
export function mergeNote(match: ProvinceMatch): string | undefined {
  if (!match.formerName) return undefined;
  return `${match.formerName} nay thuộc ${match.province.isCity ? 'thành phố' : 'tỉnh'} ${match.province.name}`;
}

/**
 * Special zones (đặc khu) since 01/7/2025 and the province each belongs to. Phú Quốc is certain
 * (FACTS §7); the rest are "likely" (official news of the 2025 reorganisation), so the bot names
 * the province they belong to and nothing more about them.
 */
export const SPECIAL_ZONES: Readonly<Record<string, { name: string; province: string }>> = {
  'phu quoc': { name: 'Phú Quốc', province: 'An Giang' },
  'kien hai': { name: 'Kiên Hải', province: 'An Giang' },
  'tho chau': { name: 'Thổ Châu', province: 'An Giang' },
  'van don': { name: 'Vân Đồn', province: 'Quảng Ninh' },
  'co to': { name: 'Cô Tô', province: 'Quảng Ninh' },
  'cat hai': { name: 'Cát Hải', province: 'Hải Phòng' },
  'bach long vi': { name: 'Bạch Long Vĩ', province: 'Hải Phòng' },
  'con co': { name: 'Cồn Cỏ', province: 'Quảng Trị' },
  'ly son': { name: 'Lý Sơn', province: 'Quảng Ngãi' },
  'phu quy': { name: 'Phú Quý', province: 'Lâm Đồng' },
  'con dao': { name: 'Côn Đảo', province: 'TP. Hồ Chí Minh' },
};

const SPECIAL_ZONE_NAMES = new RegExp(`\\b(${Object.keys(SPECIAL_ZONES).join('|')})\\b`);

/** The special zone a folded message names ("xưởng em ở Phú Quốc"), if any. */
export function findSpecialZone(folded: string): { name: string; province: string } | undefined {
  const hit = SPECIAL_ZONE_NAMES.exec(folded);
  return hit ? SPECIAL_ZONES[hit[1]] : undefined;
}
