import { foldDiacritics, normalizeText, type ProvinceMatch } from '../knowledge/index.ts';
import { findPlace } from './places.ts';

/** A validator's verdict: the value, or why not (the reason picks the re-prompt). */
export type Parsed<T, R extends string = string> = { ok: true; value: T; note?: string } | { ok: false; reason: R };

const fold = (text: string) => foldDiacritics(normalizeText(text));

/** A Vietnamese phone number in +84 / 84 / 0 form, with spaces, dots or dashes; stored as 0xxxxxxxxx. */
export function parsePhone(text: string): Parsed<string, 'empty' | 'letters' | 'length' | 'prefix'> {
  const raw = text
    .trim()
    .replace(/^(sđt|sdt|đt|dt|số điện thoại|so dien thoai|điện thoại|dien thoai|zalo|số|so)\s*(zalo)?\s*:?\s*/iu, '')
    .replace(/\s*\(?\s*(có )?zalo\s*\)?$/iu, '');
  if (raw === '') return { ok: false, reason: 'empty' };
  if (/[a-zA-Z\u00C0-\u1EF9]/.test(raw)) return { ok: false, reason: 'letters' };
  let digits = raw.replace(/[\s.\-()]/g, '');
  if (!/^\+?\d+$/.test(digits)) return { ok: false, reason: 'letters' };
  if (digits.startsWith('+84')) digits = `0${digits.slice(3)}`;
  else if (digits.startsWith('84') && digits.length === 11) digits = `0${digits.slice(2)}`;
  if (!digits.startsWith('0')) return { ok: false, reason: 'prefix' };
  // Mobile numbers have 10 digits; landlines 02x… have 11.
  if (digits.length !== 10 && !(digits.length === 11 && digits.startsWith('02')))
    return { ok: false, reason: 'length' };
  if (!/^0[2-9]/.test(digits)) return { ok: false, reason: 'prefix' };
  return { ok: true, value: digits };
}

/** A tax code or household business code: 10 digits, or 13 written 0101234567-001 or 0101234567001. */
export function parseTaxCode(text: string): Parsed<string, 'empty' | 'letters' | 'length'> {
  const raw = text.trim().replace(/^(mst|mã số thuế|ma so thue)\s*:?\s*/i, '');
  if (raw === '') return { ok: false, reason: 'empty' };
  const compact = raw.replace(/[\s.]/g, '');
  if (!/^[\d-]+$/.test(compact)) return { ok: false, reason: 'letters' };
  const digits = compact.replace(/-/g, '');
  if (digits.length === 10) return { ok: true, value: digits };
  if (digits.length === 13) return { ok: true, value: `${digits.slice(0, 10)}-${digits.slice(10)}` };
  return { ok: false, reason: 'length' };
}

/** An e-mail address, lower-cased. */
export function parseEmail(text: string): Parsed<string, 'empty' | 'format'> {
  const raw = text.trim().toLowerCase();
  if (raw === '') return { ok: false, reason: 'empty' };
  return /^[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$/.test(raw)
    ? { ok: true, value: raw }
    : { ok: false, reason: 'format' };
}

export { formatVnd, formatVndShort, isNoAmount, parseMoneyVnd, type MoneyParsed } from './money.ts';

const ROMAN: Record<string, string> = { i: '1', ii: '2', iii: '3', iv: '4' };
/** Parts of a year owners name: "đầu năm", "giữa năm", "cuối năm", "6 tháng đầu năm". */
const PARTS_OF_YEAR: [RegExp, number, number][] = [
  [/^(?:(?:6|sau) thang dau|nua dau) nam (\d{4})$/, 1, 6],
  [/^(?:(?:6|sau) thang cuoi|nua cuoi|nua sau) nam (\d{4})$/, 7, 12],
  [/^dau nam (\d{4})$/, 1, 3],
  [/^giua nam (\d{4})$/, 6, 8],
  [/^cuoi nam (\d{4})$/, 10, 12],
];

/**
 * A planned period: "tháng 3/2027", "quý 2/2027", "quý 3 năm 2027", "từ 3 đến 10/2027", "tháng 3 đến
 * tháng 9 năm 2027", "3/2027 - 6/2028", "năm 2027", and relative ones ("năm sau", "đầu năm sau",
 * "cuối năm nay"), which carry a note that reads back the months understood.
 */
export function parseTimeline(
  text: string,
  now: Date,
): Parsed<{ start: string; end: string }, 'empty' | 'format' | 'order' | 'past'> {
  const year = now.getUTCFullYear();
  let t = fold(text)
    .replace(/[.,;!?]+$/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (t === '') return { ok: false, reason: 'empty' };
  const original = t;
  // Relative years become the year they mean: "năm sau" is next year.
  t = t
    .replace(/\b(?:nam sau|sang nam|nam toi|nam den)\b/g, `nam ${year + 1}`)
    .replace(/\bnam nay\b/g, `nam ${year}`)
    .replace(/^(?:trong |ca )/, '')
    .replace(/\bquy (i|ii|iii|iv)\b/g, (_m, r: string) => `quy ${ROMAN[r]}`)
    .replace(/\bt(\d{1,2})\b/g, 'thang $1')
    .replace(/^(\d{4})$/, 'nam $1')
    .replace(/(\d{1,2}) ?- ?(\d{1,2})\/(\d{4})/, '$1 den $2/$3');
  const relative = /\b(?:nam sau|sang nam|nam toi|nam den|nam nay)\b/.test(original);
  const ym = (y: number, m: number) => `${y}-${String(m).padStart(2, '0')}`;
  let start: [number, number] | undefined;
  let end: [number, number] | undefined;
  let m: RegExpMatchArray | null;
  const Y = '(?:\\/|-| nam | )(\\d{4})';
  if (
    (m = t.match(
      new RegExp(`^(?:tu )?(?:thang )?(\\d{1,2})(?:${Y})? ?(?:-|den|toi|–|cho den) ?(?:thang )?(\\d{1,2})${Y}$`),
    ))
  ) {
    start = [Number(m[2] ?? m[4]), Number(m[1])];
    end = [Number(m[4]), Number(m[3])];
  } else if ((m = t.match(new RegExp(`^quy (\\d)${Y}$`)))) {
    const q = Number(m[1]);
    if (q < 1 || q > 4) return { ok: false, reason: 'format' };
    start = [Number(m[2]), q * 3 - 2];
    end = [Number(m[2]), q * 3];
  } else if ((m = t.match(new RegExp(`^(?:thang )?(\\d{1,2})${Y}$`)))) {
    start = end = [Number(m[2]), Number(m[1])];
  } else if ((m = t.match(/^nam (\d{4})$/))) {
    start = [Number(m[1]), 1];
    end = [Number(m[1]), 12];
  } else {
    for (const [pattern, from, to] of PARTS_OF_YEAR) {
      const hit = t.match(pattern);
      if (hit) {
        start = [Number(hit[1]), from];
        end = [Number(hit[1]), to];
        break;
      }
    }
  }
  if (!start || !end || start[1] < 1 || start[1] > 12 || end[1] < 1 || end[1] > 12 || start[0] < 2000 || end[0] > 2100)
    return { ok: false, reason: 'format' };
  const s = ym(...start);
  const e = ym(...end);
  if (s > e) return { ok: false, reason: 'order' };
  if (e < ym(year, now.getUTCMonth() + 1)) return { ok: false, reason: 'past' };
  const value = { start: s, end: e };
  const approximate = relative || PARTS_OF_YEAR.some(([pattern]) => pattern.test(t));
  return approximate ? { ok: true, value, note: `tôi hiểu là ${formatTimeline(value)}` } : { ok: true, value };
}

/** "2027-03".."2027-10" → "tháng 3/2027 – tháng 10/2027". */
export function formatTimeline(t: { start: string; end: string }): string {
  const f = (ym: string) => {
    const [y, m] = ym.split('-');
    return `tháng ${Number(m)}/${y}`;
  };
  return t.start === t.end ? f(t.start) : `${f(t.start)} – ${f(t.end)}`;
}

/**
 * One of the 34 provinces; an old name (Hà Tây and the 63 of 2008–2025) or a special zone
 * (Phú Quốc) is accepted and mapped, with a note saying so. A district is refused: there is
 * no district level since 01/7/2025.
 */
export function parseProvince(
  text: string,
): Parsed<ProvinceMatch & { zone?: string }, 'empty' | 'unknown' | 'district'> {
  if (text.trim() === '') return { ok: false, reason: 'empty' };
  const place = findPlace(text);
  if (!place) return { ok: false, reason: 'unknown' };
  if (place.kind === 'district') return { ok: false, reason: 'district' };
  const value = place.kind === 'special-zone' ? { ...place.match, zone: place.zone } : place.match;
  return place.note ? { ok: true, value, note: place.note } : { ok: true, value };
}

/** A commune, ward or special zone; a district is refused, and "xã X, huyện Y" keeps the xã. */
export function parseCommune(text: string): Parsed<string, 'empty' | 'short' | 'long' | 'district'> {
  const value = text.trim().replace(/\s+/g, ' ');
  const parts = value.split(/\s*,\s*/);
  const isDistrict = (part: string) => /^(huyen|quan|thi xa)\b/.test(fold(part));
  if (isDistrict(parts[0])) return value === '' ? { ok: false, reason: 'empty' } : { ok: false, reason: 'district' };
  const kept = parts.filter((p) => !isDistrict(p));
  const result = parseText(kept.join(', '), 2, 120);
  if (!result.ok) return result;
  return kept.length < parts.length
    ? { ...result, note: `từ 01/7/2025 không còn cấp huyện, tôi ghi "${result.value}"` }
    : result;
}

/** Free text of a sensible length. */
export function parseText(text: string, min = 2, max = 500): Parsed<string, 'empty' | 'short' | 'long'> {
  const value = text.trim().replace(/\s+/g, ' ');
  if (value === '') return { ok: false, reason: 'empty' };
  if (value.length < min) return { ok: false, reason: 'short' };
  if (value.length > max) return { ok: false, reason: 'long' };
  return { ok: true, value };
}

/** Yes or no, with the ways people say it. */
export function parseYesNo(text: string): Parsed<boolean, 'unclear'> {
  const t = fold(text).replace(/[.!?]/g, '').trim();
  if (
    /^(co|co a|dong y|u|uh|um|vang|da|da co|ok|oke|yes|chac chan|xac nhan|dung|dung roi|dong y luu|co dong y)\b/.test(t)
  )
    return { ok: true, value: true };
  if (/^(khong|ko|k|khong dong y|no|chua|thoi|sai)\b/.test(t)) return { ok: true, value: false };
  return { ok: false, reason: 'unclear' };
}
