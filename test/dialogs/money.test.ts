import { describe, expect, it } from 'vitest';
import { formatVndShort, isNoAmount, parseMoneyVnd } from '../../dialogs/money.ts';

describe('parseMoneyVnd reads amounts the Vietnamese way', () => {
  // [written, đồng, read back]: every case quoted in issue 20, and the ways around them.
  it.each([
    // The failures of issue 20: these were saved as 1.000.000.002 and the like, or refused.
    ['1 tỷ 2', 1_200_000_000, true],
    ['2 tỷ 5', 2_500_000_000, true],
    ['1 tỷ 200', 1_200_000_000, true],
    ['1ty2', 1_200_000_000, true],
    ['1tỷ2', 1_200_000_000, true],
    ['1 tỷ 2 trăm', 1_200_000_000, true],
    ['1ty250', 1_250_000_000, true],
    ['một tỷ hai trăm triệu', 1_200_000_000, true],
    ['hai trăm rưỡi triệu', 250_000_000, true],
    ['mot ty hai tram trieu', 1_200_000_000, true],
    ['1 tỷ 25', 1_250_000_000, true],
    ['1 triệu 5', 1_500_000, true],
    ['một tỷ hai', 1_200_000_000, true],
    ['1 tỷ lẻ 50 triệu', 1_050_000_000, true],
    ['một trăm lẻ năm triệu', 105_000_000, true],
    ['2 tỷ rưỡi', 2_500_000_000, true],
    ['1 triệu rưỡi', 1_500_000, true],
    ['800 củ', 800_000_000, true],
    ['tám trăm triệu', 800_000_000, true],
    ['5 chục triệu', 50_000_000, true],
    ['mười lăm triệu', 15_000_000, true],
    ['hai mươi lăm triệu', 25_000_000, true],
    ['500k', 500_000, true],
    ['1,200 triệu', 1_200_000, true],
    ['tỷ rưỡi', 1_500_000_000, true],
    ['1 tỏi 2', 1_200_000_000, true],
    // Literal readings: said as written, nothing to read back.
    ['1,2 tỷ', 1_200_000_000, false],
    ['1.5 tỷ', 1_500_000_000, false],
    ['1 tỷ 200 triệu', 1_200_000_000, false],
    ['1 tỷ 2 triệu', 1_002_000_000, false],
    ['300 triệu', 300_000_000, false],
    ['300tr', 300_000_000, false],
    ['300 TRIỆU ĐỒNG', 300_000_000, false],
    ['500 nghìn', 500_000, false],
    ['500 ngàn', 500_000, false],
    ['1.200.000.000 đ', 1_200_000_000, false],
    ['1,200,000,000 vnd', 1_200_000_000, false],
    ['1 200 000 000', 1_200_000_000, false],
    ['1200000000', 1_200_000_000, false],
    ['khoảng 450 triệu', 450_000_000, false],
    ['tầm 300 triệu', 300_000_000, false],
    ['500 triệu chẵn', 500_000_000, false],
    ['khoảng 1 tỷ thôi', 1_000_000_000, false],
    ['1tỷ200tr', 1_200_000_000, false],
    ['0 đồng', 0, false],
    ['0', 0, false],
  ])('%s → %d (read back: %s)', (text, value, readBack) => {
    expect(parseMoneyVnd(text)).toEqual({ ok: true, value, readBack });
  });

  it.each([
    ['', 'empty'],
    ['nhiều tiền lắm', 'format'],
    ['300', 'unit'],
    ['hai trăm', 'unit'],
    ['300 triệu hay 400 gì đó', 'format'],
    ['1 triệu 2 tỷ', 'format'],
    ['999999999 tỷ', 'too-large'],
    ['1 tỷ 2000', 'format'],
  ])('refuses %s (%s)', (text, reason) => {
    expect(parseMoneyVnd(text)).toEqual({ ok: false, reason });
  });
});

describe('formatVndShort', () => {
  it.each([
    [1_200_000_000, '1,2 tỷ'],
    [300_000_000, '300 triệu'],
    [1_500_000_000, '1,5 tỷ'],
    [0, '0'],
    [1_234_567_891, '1.234.567.891 đồng'],
  ])('%d → %s', (amount, text) => {
    expect(formatVndShort(amount)).toBe(text);
  });
});

describe('isNoAmount', () => {
  it.each([
    ['ko có', true],
    ['không có', true],
    ['0 đồng', true],
    ['Không', true],
    ['300 triệu', false],
    ['có', false],
  ])('%s → %s', (text, none) => {
    expect(isNoAmount(text)).toBe(none);
  });
});
