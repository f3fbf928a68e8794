import {
  findProvinceExact,
  foldDiacritics,
  mergeNote,
  normalizeText,
  PROVINCES,
  SPECIAL_ZONES,
  type ProvinceMatch,
} from '../knowledge/index.ts';

/**
 * Places owners name beyond the 63 provinces of 2008–2025 (FACTS §7): provinces merged before
 * that (Hà Tây into Hà Nội on 01/8/2008), and the special zones (đặc khu) that exist since
 * 01/7/2025 (their list, SPECIAL_ZONES, is the knowledge base's).
 */
const OLDER_PROVINCES: Record<string, { former: string; province: string }> = {
  'ha tay': { former: 'Hà Tây', province: 'Hà Nội' },
};

const provinceByName = (name: string) => PROVINCES.find((p) => p.name === name)!;

const keyOf = (text: string) =>
  foldDiacritics(normalizeText(text))
    .replace(/[^a-z0-9 ]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** What a place name turned out to be. */
export type Place =
  | { kind: 'province'; match: ProvinceMatch; note?: string }
  | { kind: 'special-zone'; match: ProvinceMatch; zone: string; note: string }
  | { kind: 'district'; name: string };

/** A district-level name ("huyện Việt Yên", "quận 1", "thị xã Từ Sơn"): no such level since 01/7/2025. */
const DISTRICT = /^(?:(?:huyen|quan|thi xa)\s+\S|(?:h|q)\.\s*\S)/;

/**
 * The place a whole answer names: a province (old names included, Hà Tây too), a special zone
 * (mapped to its province), or a district, which no longer exists; undefined for anything else.
 */
export function findPlace(text: string): Place | undefined {
  // "Hà Tây cũ", "tỉnh Bắc Giang (cũ)": the old name.
  const key = keyOf(text).replace(/ cu$/, '');
  if (key === '') return undefined;
  if (DISTRICT.test(foldDiacritics(normalizeText(text)).trim())) return { kind: 'district', name: text.trim() };
  const bare = key.replace(/^(?:tinh|tp|thanh pho)\s+/, '');
  const older = OLDER_PROVINCES[bare];
  if (older) {
    const match: ProvinceMatch = { province: provinceByName(older.province), formerName: older.former };
    return { kind: 'province', match, note: mergeNote(match)! };
  }
  const zone = SPECIAL_ZONES[key.replace(/^(?:dac khu|huyen dao|dao)\s+/, '')];
  if (zone) {
    const province = provinceByName(zone.province);
    return {
      kind: 'special-zone',
      match: { province },
      zone: zone.name,
      note: `${zone.name} là đặc khu, thuộc ${province.isCity ? 'thành phố' : 'tỉnh'} ${province.name}`,
    };
  }
  const match = findProvinceExact(key);
  if (!match) return undefined;
  const note = mergeNote(match);
  return note ? { kind: 'province', match, note } : { kind: 'province', match };
}

/** Words that begin a place below the province: what follows them is never a province ("xã Hòa Bình"). */
const LOCAL_WORD =
  /^(?:xa|phuong|thi tran|thon|ap|ban|lang|to|khu|khom|so|duong|dac khu|huyen|quan|thi xa|cum|kcn|ccn)$/;

/**
 * A province named at the end of a place phrase ("xã Tân Mỹ, Bắc Giang", "thôn 2 Hà Tây"), never one
 * inside a local name ("xã Hòa Bình"): each comma-separated part, then the last words of the phrase.
 */
export function provinceAtEnd(phrase: string): Place | undefined {
  const parts = phrase
    .split(/[,;–]| - /)
    .map((p) => p.trim())
    .filter(Boolean);
  const local = (words: string[]) => LOCAL_WORD.test(words.at(-1) ?? '') || LOCAL_WORD.test(words.slice(-2).join(' '));
  for (const part of parts.reverse()) {
    const words = keyOf(part).split(' ');
    if (!LOCAL_WORD.test(words[0] ?? '') && !LOCAL_WORD.test(words.slice(0, 2).join(' '))) {
      const whole = findPlace(part);
      if (whole && whole.kind !== 'district') return whole;
    }
    for (let n = Math.min(4, words.length - 1); n >= 2; n--) {
      if (local(words.slice(0, words.length - n))) continue;
      const tail = findPlace(words.slice(words.length - n).join(' '));
      if (tail && tail.kind !== 'district') return tail;
    }
  }
  return undefined;
}
