import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseZaloEvent } from '../../adapters/zalo/zalo-events.ts';
import {
  formatVnd,
  parseEmail,
  parseMoneyVnd,
  parsePhone,
  parseProvince,
  parseTaxCode,
  parseTimeline,
} from '../../dialogs/validators.ts';
import { analyze, foldDiacritics, normalizeText } from '../../knowledge/index.ts';
import { syllables } from '../../knowledge/vietnamese-text.ts';

const RUNS = { numRuns: 2000 };
// Strings that look like what people type, and hostile ones: Vietnamese letters, combining marks, controls, emoji.
const vietnamese = fc.string({
  unit: fc.constantFrom(
    ...'aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ AĂÂĐÊÔƠƯ0123456789,.-/+?!'.split(
      '',
    ),
  ),
  maxLength: 80,
});
const hostile = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  vietnamese,
);

describe('the Vietnamese normaliser', () => {
  it('never throws, and normalising twice equals once', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const once = normalizeText(text);
        expect(normalizeText(once)).toBe(once);
        expect(foldDiacritics(foldDiacritics(once))).toBe(foldDiacritics(once));
        const a = analyze(text);
        expect(a.tokens.length).toBe(a.folded.length);
        // Folding keeps the syllable count: diacritics never split or merge words.
        expect(syllables(normalizeText(foldDiacritics(text))).length).toBe(syllables(once).length);
      }),
      RUNS,
    );
  });
});

describe('the parsers take any input without throwing', () => {
  it.each([
    ['money', (t: string) => parseMoneyVnd(t)],
    ['phone', (t: string) => parsePhone(t)],
    ['tax code', (t: string) => parseTaxCode(t)],
    ['e-mail', (t: string) => parseEmail(t)],
    ['timeline', (t: string) => parseTimeline(t, new Date('2026-11-26T00:00:00Z'))],
    ['province', (t: string) => parseProvince(t)],
  ])('%s', (_name, parse) => {
    fc.assert(
      fc.property(hostile, (text) => {
        const result = parse(text);
        expect(typeof result.ok).toBe('boolean');
      }),
      RUNS,
    );
  });
});

describe('invariants', () => {
  it('a whole amount printed in đồng, or in triệu or tỷ, parses back to the same number', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100_000, max: 99_000_000_000_000 }), (amount) => {
        expect(parseMoneyVnd(formatVnd(amount))).toEqual({ ok: true, value: amount, readBack: false });
        expect(parseMoneyVnd(String(amount))).toEqual({ ok: true, value: amount, readBack: false });
      }),
      RUNS,
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 99_999 }),
        fc.constantFrom(['triệu', 1e6], ['tr', 1e6], ['tỷ', 1e9]),
        (n, [unit, scale]) => {
          expect(parseMoneyVnd(`${n} ${unit}`)).toMatchObject({ ok: true, value: n * (scale as number) });
        },
      ),
      RUNS,
    );
  });

  it('a valid mobile number in any accepted form parses to the same 0xxxxxxxxx', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('3', '5', '7', '8', '9'),
        fc.stringMatching(/^\d{8}$/),
        fc.constantFrom('0', '+84', '84', '+84 '),
        fc.constantFrom('', ' ', '.', '-'),
        (prefix, rest, lead, sep) => {
          const digits = `${prefix}${rest}`;
          const written = `${lead}${digits.slice(0, 2)}${sep}${digits.slice(2, 5)}${sep}${digits.slice(5)}`;
          expect(parsePhone(written)).toEqual({ ok: true, value: `0${digits}` });
        },
      ),
      RUNS,
    );
  });

  it('a 10- or 13-digit tax code always comes back in its canonical form', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{10}$/), fc.option(fc.stringMatching(/^\d{3}$/)), (head, branch) => {
        const expected = branch ? `${head}-${branch}` : head;
        expect(parseTaxCode(branch ? `${head}-${branch}` : head)).toEqual({ ok: true, value: expected });
        if (branch) expect(parseTaxCode(`${head}${branch}`)).toEqual({ ok: true, value: expected });
      }),
      RUNS,
    );
  });

  it('a month range parses to the same months', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2027, max: 2040 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 11 }),
        (year, start, span) => {
          const end = Math.min(12, start + span);
          const result = parseTimeline(`từ ${start} đến ${end}/${year}`, new Date('2026-11-26T00:00:00Z'));
          expect(result).toEqual({
            ok: true,
            value: {
              start: `${year}-${String(start).padStart(2, '0')}`,
              end: `${year}-${String(end).padStart(2, '0')}`,
            },
          });
        },
      ),
      RUNS,
    );
  });
});

describe('the Zalo event parser', () => {
  it('takes any JSON value without throwing and keeps ids as strings', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const event = parseZaloEvent(value);
        if (event && 'userId' in event) expect(typeof event.userId).toBe('string');
      }),
      RUNS,
    );
    fc.assert(
      fc.property(
        fc.record(
          {
            app_id: fc.oneof(fc.string(), fc.integer()),
            event_name: fc.constantFrom(
              'user_send_text',
              'follow',
              'unfollow',
              'user_send_image',
              'user_submit_info',
              'oa_send_text',
              'x',
            ),
            timestamp: fc.oneof(fc.string(), fc.integer()),
            sender: fc.record({ id: fc.oneof(fc.string(), fc.integer()) }),
            recipient: fc.record({ id: fc.string() }),
            follower: fc.record({ id: fc.string() }),
            message: fc.record({ msg_id: fc.string(), text: fc.string() }),
            info: fc.dictionary(fc.string(), fc.string()),
          },
          { requiredKeys: ['app_id', 'event_name', 'timestamp'] },
        ),
        (body) => {
          const event = parseZaloEvent(body);
          expect(event).toBeDefined();
          expect(typeof event!.appId).toBe('string');
        },
      ),
      RUNS,
    );
  });
});
