import { foldDiacritics, normalizeText } from '../knowledge/index.ts';

/** How an amount was read: the value in đồng, and whether it must be read back to the owner. */
export type MoneyParsed =
  { ok: true; value: number; readBack: boolean } | { ok: false; reason: 'empty' | 'format' | 'unit' | 'too-large' };

/** Scales of the units people write after a number (folded). */
const UNITS: Record<string, number> = {
  ty: 1e9,
  ti: 1e9,
  toi: 1e9,
  trieu: 1e6,
  tr: 1e6,
  cu: 1e6,
  nghin: 1e3,
  ngan: 1e3,
  k: 1e3,
};
/** Units that are literal: "300 triệu" says what it means; "800 củ" is slang, read back. */
const PLAIN_UNITS = new Set(['ty', 'ti', 'trieu', 'nghin', 'ngan', 'tr']);
const CURRENCY = new Set(['dong', 'd', 'vnd', 'vnđ']);
const DIGIT_WORDS: Record<string, number> = {
  khong: 0,
  mot: 1,
  hai: 2,
  ba: 3,
  bon: 4,
  tu: 4,
  nam: 5,
  lam: 5,
  nham: 5,
  sau: 6,
  bay: 7,
  tam: 8,
  chin: 9,
};
/** Words around an amount that carry no number ("khoảng 300 triệu", "tổng là 1 tỷ"). */
const FILLER = new Set([
  'khoang',
  'tong',
  'cong',
  'la',
  'chung',
  'tam',
  'du',
  'kien',
  'kinh',
  'phi',
  'het',
  'tien',
  'a',
  'so',
  'von',
  'thoi',
  'chan',
]);
/** Beyond any đề án: refused as a typo. */
const MAX = 1e14;

type Token = { kind: 'num'; text: string } | { kind: 'word'; text: string };

/** Splits "1ty2", "800tr", "1.200.000.000đ" into numbers and words. */
function tokens(folded: string): Token[] {
  const out: Token[] = [];
  for (const m of folded.matchAll(/(\d+(?:[.,]\d+)*)|([a-z]+)/g))
    out.push(m[1] !== undefined ? { kind: 'num', text: m[1] } : { kind: 'word', text: m[2] });
  return out;
}

/** Joins digit groups written with spaces ("1 200 000 000") into one number. */
function joinSpacedGroups(folded: string): string {
  return folded.replace(/\b\d{1,3}(?: \d{3})+\b/g, (m) => m.replace(/ /g, '.'));
}

/** The value of a written number: "1,2" with a unit is a decimal, "1.200.000" is thousands. */
function numberValue(text: string, withUnit: boolean): { value: number; decimal: boolean } | undefined {
  if (/^\d+$/.test(text)) return { value: Number(text), decimal: false };
  // With a unit, one separator followed by 1–2 digits (or 3 after a comma) is a decimal: "1,2 tỷ", "1.5 tỷ", "1,250 tỷ".
  if (withUnit && (/^\d+[.,]\d{1,2}$/.test(text) || /^\d+,\d{3}$/.test(text)))
    return { value: Number(text.replace(',', '.')), decimal: true };
  if (/^\d{1,3}(?:\.\d{3})+$/.test(text) || /^\d{1,3}(?:,\d{3})+$/.test(text))
    return { value: Number(text.replace(/[.,]/g, '')), decimal: false };
  return undefined;
}

/**
 * An amount of money in whole đồng, read the ways owners write it: "1,2 tỷ", "1 tỷ 200 triệu",
 * "1 tỷ 2" (1,2 tỷ), "1ty250", "1 tỷ 2 trăm", "2 tỷ rưỡi", "một tỷ hai trăm triệu", "hai trăm
 * rưỡi triệu", "800 củ", "300tr", "500k", "1.200.000.000 đ", "1 200 000 000". `readBack` is true
 * whenever the reading is not the literal sum of each written number times its written unit, so
 * the form says back what it understood. A bare small number is refused (is "300" triệu or đồng?).
 */
export function parseMoneyVnd(text: string): MoneyParsed {
  const folded = joinSpacedGroups(foldDiacritics(normalizeText(text.slice(0, 200))).replace(/đ/g, 'd'));
  if (folded.trim() === '') return { ok: false, reason: 'empty' };
  const list = tokens(folded);
  // Anything but letters, digits, separators and spaces is not part of an amount.
  if (/[^a-z0-9 .,:;]/.test(folded)) return { ok: false, reason: 'format' };
  let total = 0;
  let lastUnit = Number.POSITIVE_INFINITY;
  let readBack = false;
  /** The quantity since the last unit: its value, how it was written, and whether "trăm" or "lẻ" shaped it. */
  let group: { value: number; digits?: string; words: boolean; hundreds: boolean; decimal: boolean } | undefined;
  let wordPending: number | undefined;
  let odd = false;
  let sawNumber = false;

  const closeWords = () => {
    if (wordPending !== undefined) {
      group = { ...(group ?? { value: 0, words: true, hundreds: false, decimal: false }), words: true };
      group.value += wordPending;
      wordPending = undefined;
    }
  };
  const addWordValue = (add: number, hundreds = false) => {
    group = group ?? { value: 0, words: true, hundreds: false, decimal: false };
    group.value += add;
    group.words = true;
    if (hundreds) group.hundreds = true;
  };

  for (let i = 0; i < list.length; i++) {
    const tok = list[i];
    const next = list[i + 1];
    if (tok.kind === 'num') {
      closeWords();
      if (group !== undefined) return { ok: false, reason: 'format' };
      const nextIsUnit =
        next?.kind === 'word' &&
        (UNITS[next.text] !== undefined || next.text === 'tram' || next.text === 'muoi' || next.text === 'chuc');
      const parsed = numberValue(tok.text, nextIsUnit);
      if (!parsed) return { ok: false, reason: 'format' };
      group = {
        value: parsed.value,
        digits: /^\d+$/.test(tok.text) ? tok.text : undefined,
        words: false,
        hundreds: false,
        decimal: parsed.decimal,
      };
      // "1,200 triệu" is 1,2 triệu in Vietnamese but 1.200 triệu in English: say back which.
      if (/,\d{3}$/.test(tok.text) && parsed.decimal) readBack = true;
      sawNumber = true;
      continue;
    }
    const w = tok.text;
    const scale = UNITS[w];
    if (scale !== undefined) {
      closeWords();
      if (scale >= lastUnit) return { ok: false, reason: 'format' };
      if (group === undefined) {
        // "tỷ rưỡi", "triệu rưỡi": one and a half; otherwise a unit alone means nothing.
        if (!(Number.isFinite(lastUnit) === false && next?.kind === 'word' && next.text === 'ruoi'))
          return { ok: false, reason: 'format' };
        group = { value: 1, words: true, hundreds: false, decimal: false };
        sawNumber = true;
      }
      if (!PLAIN_UNITS.has(w) || group.words || odd) readBack = true;
      total += group.value * scale;
      group = undefined;
      odd = false;
      lastUnit = scale;
      if (next?.kind === 'word' && next.text === 'ruoi') {
        total += scale / 2;
        readBack = true;
        i++;
      }
      continue;
    }
    if (
      w in DIGIT_WORDS &&
      !(w === 'tam' && (next?.kind === 'num' || (next?.kind === 'word' && next.text in DIGIT_WORDS))) &&
      !(w === 'tu' && next?.kind === 'num')
    ) {
      if (wordPending !== undefined) return { ok: false, reason: 'format' };
      if (group !== undefined && !group.words) return { ok: false, reason: 'format' };
      wordPending = DIGIT_WORDS[w]!;
      // "mốt", "tư", "lăm" after "mươi" are 1, 4, 5; the folded forms already say so.
      sawNumber = true;
      continue;
    }
    if (w === 'muoi' || w === 'chuc') {
      if (group !== undefined && !group.words && group.digits !== undefined && w === 'chuc') {
        group.value *= 10;
        group.words = true;
        continue;
      }
      addWordValue(w === 'muoi' && wordPending === undefined ? 10 : (wordPending ?? 1) * 10);
      wordPending = undefined;
      sawNumber = true;
      continue;
    }
    if (w === 'tram') {
      if (group !== undefined && !group.words && wordPending === undefined) {
        // "2 trăm": a digit and the word.
        group.value *= 100;
        group.words = true;
        group.hundreds = true;
        continue;
      }
      addWordValue((wordPending ?? 1) * 100, true);
      wordPending = undefined;
      if (next?.kind === 'word' && next.text === 'ruoi') {
        addWordValue(50);
        i++;
      }
      sawNumber = true;
      continue;
    }
    if (w === 'le' || w === 'linh') {
      closeWords();
      if (group === undefined) odd = true;
      else group.hundreds = true;
      readBack = true;
      continue;
    }
    if (w === 'ruoi') {
      // "mười rưỡi" and the like are too rare to guess; a unit's "rưỡi" was taken above.
      return { ok: false, reason: 'format' };
    }
    if (CURRENCY.has(w)) {
      closeWords();
      if (group !== undefined) {
        if (lastUnit <= 1) return { ok: false, reason: 'format' };
        if (group.words) readBack = true;
        total += group.value;
        group = undefined;
        lastUnit = 1;
      }
      continue;
    }
    // A filler between a number and its unit ("300 khoảng triệu") leaves the reading unclear.
    if (FILLER.has(w)) {
      if (group !== undefined || wordPending !== undefined) return { ok: false, reason: 'format' };
      continue;
    }
    return { ok: false, reason: 'format' };
  }
  closeWords();
  if (!sawNumber) return { ok: false, reason: 'format' };
  if (group !== undefined) {
    if (Number.isFinite(lastUnit)) {
      if (lastUnit <= 1e3) return { ok: false, reason: 'format' };
      readBack = true;
      const lower = lastUnit / 1e3;
      if (odd || group.hundreds || group.decimal) {
        // "1 tỷ lẻ 50", "1 tỷ 2 trăm": a count of the next unit down.
        total += group.value * lower;
      } else {
        // "1 tỷ 2", "1 tỷ 25", "1 tỷ 250", "một tỷ hai": the decimals of the last unit.
        const digits = group.digits ?? String(group.value);
        if (digits.length > 3) return { ok: false, reason: 'format' };
        total += Number(`0.${digits}`) * lastUnit;
      }
    } else {
      if (group.words) readBack = true;
      total += group.value;
      if (group.words && group.value > 0 && group.value < 1000) return { ok: false, reason: 'unit' };
    }
  }
  if (!Number.isFinite(total)) return { ok: false, reason: 'format' };
  total = Math.round(total);
  if (total > 0 && total < 100_000) return { ok: false, reason: 'unit' };
  if (total > MAX) return { ok: false, reason: 'too-large' };
  return { ok: true, value: total, readBack };
}

/** 1200000000 → "1.200.000.000 đồng". */
export function formatVnd(amount: number): string {
  return `${amount.toLocaleString('vi-VN')} đồng`;
}

/** A short form for sums on a phone: "1,2 tỷ", "300 triệu", "500 nghìn", "0"; in full where a short form would round. */
export function formatVndShort(amount: number): string {
  if (amount === 0) return '0';
  for (const [scale, unit] of [
    [1e9, 'tỷ'],
    [1e6, 'triệu'],
    [1e3, 'nghìn'],
  ] as const) {
    if (amount >= scale) {
      const units = amount / scale;
      // Exact to three decimals, or say it in full.
      if (Math.round(units * 1000) / 1000 !== units) break;
      return `${units.toLocaleString('vi-VN', { maximumFractionDigits: 3 })} ${unit}`;
    }
  }
  return formatVnd(amount);
}

/** "không có", "ko có", "không": an optional amount that is nothing. */
export function isNoAmount(text: string): boolean {
  const t = foldDiacritics(normalizeText(text)).replace(/[.!?]/g, '').trim();
  return /^(khong|ko|k|0)( co| dong| d| a| co a| co dong nao| co gi)*$/.test(t) || t === 'khong co nguon khac';
}
