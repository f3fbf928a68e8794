import { describe, expect, it } from 'vitest';
import { findPlace, provinceAtEnd } from '../../dialogs/places.ts';
import { parseCommune, parseProvince } from '../../dialogs/validators.ts';
import { nameFrom, volunteeredFields } from '../../dialogs/volunteered.ts';

describe('parseProvince knows old names, special zones, and that districts are gone', () => {
  it.each([
    // Refused before issue 20 though the prompt says old names are fine.
    ['Hà Tây', 'Hà Nội', 'Hà Tây nay thuộc thành phố Hà Nội'],
    ['tinh ha tay', 'Hà Nội', 'Hà Tây nay thuộc thành phố Hà Nội'],
    ['Phú Quốc', 'An Giang', 'Phú Quốc là đặc khu, thuộc tỉnh An Giang'],
    ['đặc khu Phú Quốc', 'An Giang', 'Phú Quốc là đặc khu, thuộc tỉnh An Giang'],
    ['con dao', 'TP. Hồ Chí Minh', 'Côn Đảo là đặc khu, thuộc thành phố TP. Hồ Chí Minh'],
    ['Quảng Nam', 'Đà Nẵng', 'Quảng Nam nay thuộc thành phố Đà Nẵng'],
    ['Hòa Bình', 'Phú Thọ', 'Hòa Bình nay thuộc tỉnh Phú Thọ'],
    ['Nghệ An', 'Nghệ An', undefined],
    ['Hà Tây cũ', 'Hà Nội', 'Hà Tây nay thuộc thành phố Hà Nội'],
    ['tỉnh Bắc Giang cũ', 'Bắc Ninh', 'Bắc Giang nay thuộc tỉnh Bắc Ninh'],
  ])('%s → %s', (text, province, note) => {
    const parsed = parseProvince(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.province.name).toBe(province);
    expect(parsed.note).toBe(note);
  });
  it.each([['huyện Việt Yên'], ['Huyen Viet Yen'], ['quận 1'], ['thị xã Từ Sơn']])(
    '%s is a district: refused with its own reason',
    (text) => {
      expect(parseProvince(text)).toEqual({ ok: false, reason: 'district' });
    },
  );
  it('refuses what is no place', () => {
    expect(parseProvince('Paris')).toEqual({ ok: false, reason: 'unknown' });
    expect(findPlace('')).toBeUndefined();
  });
});

describe('parseCommune', () => {
  it.each([
    ['xã Tân Mỹ', { ok: true, value: 'xã Tân Mỹ' }],
    [
      'xã Tân Mỹ, huyện Việt Yên',
      { ok: true, value: 'xã Tân Mỹ', note: 'từ 01/7/2025 không còn cấp huyện, tôi ghi "xã Tân Mỹ"' },
    ],
    // Accepted as a commune before issue 20.
    ['huyện Việt Yên', { ok: false, reason: 'district' }],
    ['Huyen Viet Yen', { ok: false, reason: 'district' }],
    ['quận Ba Đình', { ok: false, reason: 'district' }],
    ['đặc khu Phú Quốc', { ok: true, value: 'đặc khu Phú Quốc' }],
  ])('%s', (text, expected) => {
    expect(parseCommune(text)).toEqual(expected);
  });
});

describe('provinceAtEnd takes a province only where a place phrase ends with it', () => {
  it.each([
    ['xã Tân Mỹ, Bắc Giang', 'Bắc Ninh'],
    ['xã Tân Mỹ Bắc Giang', 'Bắc Ninh'],
    ['thôn 2 Hà Tây', 'Hà Nội'],
    ['Phú Quốc', 'An Giang'],
    ['xã Hòa Bình', undefined],
    ['phường Hòa Bình, Thái Nguyên', 'Thái Nguyên'],
    ['xã An Bình', undefined],
  ])('%s → %s', (phrase, province) => {
    const place = provinceAtEnd(phrase);
    expect(place && place.kind !== 'district' ? place.match.province.name : undefined).toBe(province);
  });
});

describe('volunteered fields come only from clear patterns', () => {
  it.each([
    // Issue 20: the province was taken from inside facility names (6 of 30 in the wrong province).
    ['Mộc mỹ nghệ An Bình', 'facilityName', { facilityName: 'Mộc mỹ nghệ An Bình' }],
    ['Xưởng mộc Hòa Bình', 'facilityName', { facilityName: 'Xưởng mộc Hòa Bình' }],
    ['HTX mây tre Hòa Bình', 'facilityName', { facilityName: 'HTX mây tre Hòa Bình', entityType: 'htx' }],
    ['Gốm Nghệ An Phát', 'facilityName', { facilityName: 'Gốm Nghệ An Phát' }],
    // Issue 20: the whole sentence was saved as the facility name.
    [
      'Xưởng cơ khí Minh Phát của tôi ở xã Tân Mỹ, Bắc Giang, sdt 0912 345 678',
      'facilityName',
      {
        facilityName: 'Xưởng cơ khí Minh Phát',
        province: 'Bắc Ninh',
        provinceNote: 'Bắc Giang nay thuộc tỉnh Bắc Ninh',
        commune: 'xã Tân Mỹ',
        phone: '0912345678',
      },
    ],
    [
      'Xưởng mộc Hòa Bình ở Hà Tây',
      'facilityName',
      { facilityName: 'Xưởng mộc Hòa Bình', province: 'Hà Nội', provinceNote: 'Hà Tây nay thuộc thành phố Hà Nội' },
    ],
    [
      'Công ty Tài Lộc tại Phú Quốc',
      'facilityName',
      {
        facilityName: 'Công ty Tài Lộc',
        province: 'An Giang',
        provinceNote: 'Phú Quốc là đặc khu, thuộc tỉnh An Giang',
        commune: 'đặc khu Phú Quốc',
      },
    ],
    [
      'HTX mây tre Phúc Lâm ở Bắc Giang, sđt 0912 345 678',
      undefined,
      {
        facilityName: 'HTX mây tre Phúc Lâm',
        entityType: 'htx',
        province: 'Bắc Ninh',
        provinceNote: 'Bắc Giang nay thuộc tỉnh Bắc Ninh',
        phone: '0912345678',
      },
    ],
    // A first message without a facility word gives no name, and a name gives no province.
    ['cho Mộc mỹ nghệ An Bình', undefined, {}],
    ['Lê Văn Huy 0912345678', 'contactPerson', { contactPerson: 'Lê Văn Huy', phone: '0912345678' }],
    [
      'Tôi tên là Nguyễn Văn An, sđt 0912 345 678',
      'contactPerson',
      { contactPerson: 'Nguyễn Văn An', phone: '0912345678' },
    ],
    ['Cơ sở của tôi tên là Mộc Hưng', 'facilityName', { facilityName: 'Mộc Hưng' }],
    [
      'xưởng em có tên Minh Phát ở Hà Tây',
      'facilityName',
      { facilityName: 'Minh Phát', province: 'Hà Nội', provinceNote: 'Hà Tây nay thuộc thành phố Hà Nội' },
    ],
    ['Phú Quốc', 'province', { commune: 'đặc khu Phú Quốc' }],
    // A tax code is not a phone number.
    ['0312345678', 'taxCode', {}],
  ])('%s (at %s)', (text, asked, expected) => {
    expect(volunteeredFields(text, {}, asked)).toEqual(expected);
  });

  it('does not overwrite what was already answered', () => {
    expect(volunteeredFields('Xưởng cơ khí Minh Phát ở Bắc Giang', { province: 'Hà Nội' }, 'facilityName')).toEqual({
      facilityName: 'Xưởng cơ khí Minh Phát',
    });
  });

  it.each([
    ['Xưởng cơ khí Minh Phát của tôi ở Bắc Giang', 'Xưởng cơ khí Minh Phát'],
    ['Cơ sở Tài Lộc, sđt 0912345678', 'Cơ sở Tài Lộc'],
    ['Mộc mỹ nghệ An Bình', 'Mộc mỹ nghệ An Bình'],
  ])('nameFrom(%s) → %s', (text, name) => {
    expect(nameFrom(text)).toBe(name);
  });
});
