import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatVnd, parseMoneyVnd } from '../../dialogs/money.ts';
import { foldDiacritics, normalizeText } from '../../knowledge/index.ts';

const RUNS = { numRuns: 3000 };
const LITERAL_UNITS: Record<string, number> = { ty: 1e9, ti: 1e9, trieu: 1e6, tr: 1e6, nghin: 1e3, ngan: 1e3 };
const CURRENCY = new Set(['dong', 'd', 'vnd']);
/** Words that carry no number ("khoảng", "tầm", "tổng cộng là", "kinh phí", "ạ"). */
const NO_NUMBER = new Set([
  'khoang',
  'tam',
  'tong',
  'cong',
  'la',
  'chung',
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

/**
 * The literal reading, written independently of the parser: each number times the unit written
 * right after it (đồng when none), numbers in Vietnamese notation (dots for thousands, a comma
 * or a dot with one or two digits for decimals before a unit). Undefined when the text holds
 * anything else (number words, slang units, "rưỡi", "lẻ") or a number that could be read two ways.
 */
function literalReading(text: string): number | undefined {
  const folded = foldDiacritics(normalizeText(text))
    .replace(/đ/g, 'd')
    .replace(/\b\d{1,3}(?: \d{3})+\b/g, (m) => m.replace(/ /g, '.'));
  const tokens = [...folded.matchAll(/(\d+(?:[.,]\d+)*)|([a-z]+)|(\S)/g)];
  let total = 0;
  for (let i = 0; i < tokens.length; i++) {
    const [, num, word] = tokens[i];
    if (word !== undefined) {
      if (CURRENCY.has(word) || NO_NUMBER.has(word)) continue;
      return undefined;
    }
    if (num === undefined) {
      if (/^[.,;:]$/.test(tokens[i][3])) continue;
      return undefined;
    }
    const unit = tokens[i + 1]?.[2];
    const scale = unit !== undefined && LITERAL_UNITS[unit] !== undefined ? LITERAL_UNITS[unit] : 1;
    let value: number;
    if (/^\d+$/.test(num)) value = Number(num);
    else if (scale > 1 && /^\d+[.,]\d{1,2}$/.test(num)) value = Number(num.replace(',', '.'));
    else if (/^\d{1,3}(\.\d{3})+$/.test(num)) value = Number(num.replace(/\./g, ''));
    else return undefined;
    total += value * scale;
    if (scale > 1) i++;
  }
  return Math.round(total);
}

const number = fc.oneof(
  fc.integer({ min: 0, max: 999 }).map(String),
  fc
    .tuple(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 0, max: 99 }), fc.constantFrom(',', '.'))
    .map(([a, b, sep]) => `${a}${sep}${b}`),
  fc.integer({ min: 100_000, max: 9_999_999_999 }).map((n) => n.toLocaleString('vi-VN')),
  fc.constantFrom('một', 'hai', 'ba', 'năm', 'mười', 'hai mươi', 'trăm', 'lẻ', 'rưỡi', 'chục', 'tám', 'tầm', 'khoảng'),
);
const unit = fc.constantFrom(
  '',
  'tỷ',
  'ty',
  'tỉ',
  'triệu',
  'trieu',
  'tr',
  'củ',
  'nghìn',
  'ngàn',
  'k',
  'đồng',
  'đ',
  'vnd',
  'trăm',
  'rưỡi',
  'lẻ',
);
const phrase = fc
  .array(fc.tuple(number, unit, fc.constantFrom('', ' ', ' ', '  ')), { minLength: 1, maxLength: 5 })
  .map((parts) =>
    parts
      .map(([n, u, sep]) => `${n}${sep}${u}`)
      .join(' ')
      .trim(),
  );

describe('parseMoneyVnd never departs from the literal reading without reading it back', () => {
  it('holds for amounts as owners write them (digits, words, units, slang, mixed)', () => {
    fc.assert(
      fc.property(phrase, (text) => {
        const result = parseMoneyVnd(text);
        if (result.ok && !result.readBack) expect(result.value, text).toBe(literalReading(text));
      }),
      RUNS,
    );
  });

  it('holds for anything at all, and never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        const result = parseMoneyVnd(text);
        if (result.ok && !result.readBack) expect(result.value, text).toBe(literalReading(text));
      }),
      RUNS,
    );
  });

  it('"N tỷ M" with a bare M is always read back, as the M tenths or hundredths of a tỷ', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 99 }),
        fc.integer({ min: 1, max: 999 }),
        fc.constantFrom(' tỷ ', 'ty', 'tỷ', ' ty '),
        (n, m, u) => {
          const result = parseMoneyVnd(`${n}${u}${m}`);
          expect(result).toEqual({ ok: true, value: n * 1e9 + Number(`0.${m}`) * 1e9, readBack: true });
        },
      ),
      RUNS,
    );
  });

  it('an amount printed in full reads back as itself, literally', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100_000, max: 99_000_000_000_000 }), (amount) => {
        expect(parseMoneyVnd(formatVnd(amount))).toEqual({ ok: true, value: amount, readBack: false });
      }),
      RUNS,
    );
  });
});
