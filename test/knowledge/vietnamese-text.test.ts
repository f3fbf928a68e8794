import { describe, expect, it } from 'vitest';
import { accentKey, analyze, foldDiacritics, normalizeText, syllables } from '../../knowledge/vietnamese-text.ts';

describe('normalizeText', () => {
  it('composes NFD input, lower-cases and collapses spaces', () => {
    expect(normalizeText('  HỖ   TRỢ\tmáy '.normalize('NFD'))).toBe('hỗ trợ máy');
  });
  it('removes control and zero-width characters', () => {
    expect(normalizeText('khuyến\u0000công\u200b\u0007 ')).toBe('khuyến công');
  });
});

describe('foldDiacritics', () => {
  it.each([
    ['Đăng ký đề án', 'Dang ky de an'],
    ['hỗ trợ máy móc', 'ho tro may moc'],
    ['Ưu tiên ở Quảng Ngãi', 'Uu tien o Quang Ngai'],
  ])('%s → %s', (input, folded) => {
    expect(foldDiacritics(input)).toBe(folded);
  });
});

describe('accentKey', () => {
  it('gives old and new tone placement the same key', () => {
    expect(accentKey('hoà')).toBe(accentKey('hòa'));
    expect(accentKey('thuỷ')).toBe(accentKey('thủy'));
  });
  it('keeps words that differ only in tone apart', () => {
    expect(accentKey('hạn')).not.toBe(accentKey('hàn'));
    expect(accentKey('máy')).not.toBe(accentKey('mấy'));
  });
});

describe('analyze', () => {
  it('splits numbers from units: "300tr" → 300 triệu', () => {
    expect(analyze('300tr').tokens).toEqual(['300', 'triệu']);
    expect(syllables('1,5tỷ')).toEqual(['1', '5', 'tỷ']);
  });
  it.each([
    ['ko dc ho tro', ['không', 'được', 'ho', 'tro']],
    ['kcqg la j', ['khuyến', 'công', 'quốc', 'gia', 'la', 'gì']],
    ['đk hs', ['đăng', 'ký', 'điều', 'kiện', 'hồ', 'sơ']],
    ['htx cnnt', ['hợp', 'tác', 'xã', 'công', 'nghiệp', 'nông', 'thôn']],
  ])('expands shorthand in %s', (input, tokens) => {
    expect(analyze(input).tokens).toEqual(tokens);
  });
  it('does not mistake an accented word for shorthand', () => {
    expect(analyze('hoa hồng').tokens).toEqual(['hoa', 'hồng']);
  });
  it('says whether the user typed diacritics', () => {
    expect(analyze('hỗ trợ').accented).toBe(true);
    expect(analyze('ho tro').accented).toBe(false);
  });
  it('returns no tokens for emoji and punctuation only', () => {
    expect(analyze('😀🙏 ?!...').tokens).toEqual([]);
  });
});
