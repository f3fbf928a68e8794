import { describe, expect, it } from 'vitest';
import {
  parseEmail,
  parseMoneyVnd,
  parsePhone,
  parseProvince,
  parseTaxCode,
  parseTimeline,
  parseYesNo,
} from '../../dialogs/validators.ts';
import { findProvinceIn } from '../../knowledge/index.ts';

const now = new Date('2026-11-26T00:00:00Z');

describe('parseMoneyVnd', () => {
  it.each([
    ['1,2 tỷ', 1_200_000_000],
    ['1.5 tỷ', 1_500_000_000],
    ['1 tỷ 200 triệu', 1_200_000_000],
    ['2 tỷ rưỡi', 2_500_000_000],
    ['300 triệu', 300_000_000],
    ['300tr', 300_000_000],
    ['300 TRIỆU ĐỒNG', 300_000_000],
    ['1.200.000.000 đ', 1_200_000_000],
    ['1,200,000,000 vnd', 1_200_000_000],
    ['1200000000', 1_200_000_000],
    ['500k', 500_000],
    ['khoảng 450 triệu', 450_000_000],
    ['0', 0],
  ])('%s → %d', (text, value) => {
    expect(parseMoneyVnd(text)).toMatchObject({ ok: true, value });
  });
  it.each([
    ['', 'empty'],
    ['nhiều tiền lắm', 'format'],
    ['300', 'unit'],
    ['300 triệu hay 400 gì đó', 'format'],
    ['999999999 tỷ', 'too-large'],
  ])('refuses %s (%s)', (text, reason) => {
    expect(parseMoneyVnd(text)).toEqual({ ok: false, reason });
  });
});

describe('parsePhone', () => {
  it.each([
    ['0912345678', '0912345678'],
    ['0912 345 678', '0912345678'],
    ['0912.345.678', '0912345678'],
    ['+84 912 345 678', '0912345678'],
    ['84912345678', '0912345678'],
    ['sđt: 0912-345-678', '0912345678'],
    ['024 3825 1234', '02438251234'],
    ['zalo 0912345678', '0912345678'],
    ['0912 345 678 (zalo)', '0912345678'],
  ])('%s → %s', (text, value) => {
    expect(parsePhone(text)).toEqual({ ok: true, value });
  });
  it.each([
    ['', 'empty'],
    ['không có', 'letters'],
    ['091234567', 'length'],
    ['912345678', 'prefix'],
    ['0112345678', 'prefix'],
  ])('refuses %s (%s)', (text, reason) => {
    expect(parsePhone(text)).toEqual({ ok: false, reason });
  });
});

describe('parseTaxCode', () => {
  it.each([
    ['0101234567', '0101234567'],
    ['0101234567-001', '0101234567-001'],
    ['0101234567001', '0101234567-001'],
    ['MST: 0101 234 567', '0101234567'],
  ])('%s → %s', (text, value) => {
    expect(parseTaxCode(text)).toEqual({ ok: true, value });
  });
  it.each([
    ['', 'empty'],
    ['abc', 'letters'],
    ['12345', 'length'],
  ])('refuses %s (%s)', (text, reason) => {
    expect(parseTaxCode(text)).toEqual({ ok: false, reason });
  });
});

describe('parseEmail', () => {
  it('lower-cases a valid address and refuses others', () => {
    expect(parseEmail(' Lan.Nguyen@Gmail.com ')).toEqual({ ok: true, value: 'lan.nguyen@gmail.com' });
    expect(parseEmail('lan@gmail')).toEqual({ ok: false, reason: 'format' });
  });
});

describe('parseTimeline', () => {
  it.each([
    ['tháng 3/2027', { start: '2027-03', end: '2027-03' }],
    ['3/2027', { start: '2027-03', end: '2027-03' }],
    ['quý 2/2027', { start: '2027-04', end: '2027-06' }],
    ['quy 4 nam 2027', { start: '2027-10', end: '2027-12' }],
    ['từ 3 đến 10/2027', { start: '2027-03', end: '2027-10' }],
    ['tháng 3/2027 - tháng 6/2028', { start: '2027-03', end: '2028-06' }],
    ['năm 2027', { start: '2027-01', end: '2027-12' }],
    // Refused before issue 20.
    ['tháng 3 đến tháng 9 năm 2027', { start: '2027-03', end: '2027-09' }],
    ['quý 3 năm 2027', { start: '2027-07', end: '2027-09' }],
    ['quý III/2027', { start: '2027-07', end: '2027-09' }],
    ['3-9/2027', { start: '2027-03', end: '2027-09' }],
    ['tháng 3 năm 2027', { start: '2027-03', end: '2027-03' }],
    ['từ tháng 3/2027 đến tháng 6/2027', { start: '2027-03', end: '2027-06' }],
    ['T3-T9/2027', { start: '2027-03', end: '2027-09' }],
    ['2027', { start: '2027-01', end: '2027-12' }],
  ])('%s', (text, value) => {
    expect(parseTimeline(text, now)).toEqual({ ok: true, value });
  });
  it.each([
    ['đầu năm sau', { start: '2027-01', end: '2027-03' }, 'tôi hiểu là tháng 1/2027 – tháng 3/2027'],
    ['năm sau', { start: '2027-01', end: '2027-12' }, 'tôi hiểu là tháng 1/2027 – tháng 12/2027'],
    ['cuối năm 2027', { start: '2027-10', end: '2027-12' }, 'tôi hiểu là tháng 10/2027 – tháng 12/2027'],
    ['6 tháng đầu năm 2027', { start: '2027-01', end: '2027-06' }, 'tôi hiểu là tháng 1/2027 – tháng 6/2027'],
    ['tháng 12 năm nay', { start: '2026-12', end: '2026-12' }, 'tôi hiểu là tháng 12/2026'],
  ])('%s is relative or approximate: read back', (text, value, note) => {
    expect(parseTimeline(text, now)).toEqual({ ok: true, value, note });
  });
  it.each([
    ['sớm nhất có thể', 'format'],
    ['tháng 13/2027', 'format'],
    ['quý 5/2027', 'format'],
    ['từ 10 đến 3/2027', 'order'],
    ['tháng 3/2024', 'past'],
  ])('refuses %s (%s)', (text, reason) => {
    expect(parseTimeline(text, now)).toEqual({ ok: false, reason });
  });
});

describe('parseProvince', () => {
  it.each([
    ['Hà Nội', 'Hà Nội', undefined],
    ['tỉnh Bắc Giang', 'Bắc Ninh', 'Bắc Giang nay thuộc tỉnh Bắc Ninh'],
    ['binh duong', 'TP. Hồ Chí Minh', 'Bình Dương nay thuộc thành phố TP. Hồ Chí Minh'],
    ['TP HCM', 'TP. Hồ Chí Minh', undefined],
    ['Thừa Thiên Huế', 'Huế', undefined],
    ['dak nong', 'Lâm Đồng', 'Đắk Nông nay thuộc tỉnh Lâm Đồng'],
    ['Quảng Nam', 'Đà Nẵng', 'Quảng Nam nay thuộc thành phố Đà Nẵng'],
  ])('%s → %s', (text, name, note) => {
    const parsed = parseProvince(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.province.name).toBe(name);
    expect(parsed.note).toBe(note);
  });
  it('refuses what is not a province', () => {
    expect(parseProvince('Paris')).toEqual({ ok: false, reason: 'unknown' });
  });
  it('finds a province inside a sentence', () => {
    expect(findProvinceIn('HTX mây tre Phúc Lâm ở Bắc Giang, sđt 0912 345 678')?.province.name).toBe('Bắc Ninh');
  });
});

describe('parseYesNo', () => {
  it.each([
    ['Có', true],
    ['đồng ý', true],
    ['ok', true],
    ['u', true],
    ['Không', false],
    ['ko', false],
    ['chưa', false],
  ])('%s → %s', (text, value) => {
    expect(parseYesNo(text)).toEqual({ ok: true, value });
  });
  it('says when it cannot tell', () => {
    expect(parseYesNo('để tôi nghĩ')).toEqual({ ok: false, reason: 'unclear' });
  });
});
