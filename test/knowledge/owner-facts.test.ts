import { describe, expect, it } from 'vitest';
import { judgeEligibility } from '../../knowledge/eligibility-rules.ts';
import { extractFacts, findAmount } from '../../knowledge/owner-facts.ts';
import { computeSupport, supportLine } from '../../knowledge/support-levels.ts';
import { analyze } from '../../knowledge/vietnamese-text.ts';

const facts = (text: string) => extractFacts(analyze(text), text);

describe('amounts as owners write them (FACTS §9)', () => {
  it.each([
    ['máy khoảng 400tr', 400e6],
    ['800 củ', 800e6],
    ['dây chuyền 2 tỷ', 2e9],
    ['1 tỷ 2', 1.2e9],
    ['1 tỷ 200', 1.2e9],
    ['2 tỷ 5', 2.5e9],
    ['1 tỷ 200 triệu', 1.2e9],
    ['1,5 ty', 1.5e9],
    ['hai trăm rưỡi triệu', 250e6],
    ['450.000.000 đồng', 450e6],
    ['1.200 triệu', 1.2e9],
    ['6 người làm, mua máy 90 trieu', 90e6],
  ])('"%s" is %d đồng', (text, expected) => {
    expect(findAmount(text)).toBe(expected);
  });

  it('reads no amount where there is none', () => {
    expect(findAmount('xưởng có 6 người làm, 5 máy dệt')).toBeUndefined();
  });
});

describe('facts about the facility', () => {
  it("does not take the business's capital or turnover for the price of what it would buy", () => {
    expect(facts('xưởng em vốn điều lệ 5 tỷ, có được hỗ trợ không').amount).toBeUndefined();
    expect(facts('doanh thu khoảng 3 tỷ 5 một năm, muốn mua máy ép 700 triệu').amount).toBe(700e6);
  });

  it('reads the entity, an old province, the commune and what is wanted', () => {
    expect(facts('htx o xa Tam Duong, Vinh Phuc mua may ep 300tr')).toMatchObject({
      entity: 'htx',
      province: 'Phú Thọ',
      formerProvince: 'Vĩnh Phúc',
      locality: 'xa',
      want: 'machine',
      amount: 300e6,
    });
  });

  it('does not take "hợp tác xã", "địa phương" or "vùng sâu vùng xa" for a commune or ward', () => {
    expect(facts('hợp tác xã mây tre').locality).toBeUndefined();
    expect(facts('khuyen cong dia phuong ho tro gi').locality).toBeUndefined();
    expect(facts('vung sau vung xa co uu tien khong').locality).toBeUndefined();
    expect(facts('phương án sản xuất').locality).toBeUndefined();
  });

  it('tells rattan, sewing and "how many" from a machine', () => {
    expect(facts('htx may tre dan o xa Phu Tuc').want).toBeUndefined();
    expect(facts('xưởng may mặc').want).toBeUndefined();
    expect(facts('mua may vot dua').want).toBe('machine');
    expect(facts('mua cả dây chuyền').want).toBe('line');
  });

  it('reads an unregistered owner, a large firm, a district and a craft village that is not one', () => {
    expect(facts('em chưa đăng ký kinh doanh').entity).toBe('unregistered');
    expect(facts('cty lớn 2000 công nhân').entity).toBe('large');
    expect(facts('xưởng ở huyện Gia Lâm').namedDistrict).toBe(true);
    expect(facts('ở phường, không phải làng nghề').craftVillage).toBe('no');
    expect(facts('trong làng nghề được công nhận').craftVillage).toBe('yes');
  });
});

describe('eligibility and support levels', () => {
  it('covers a ward of a centrally-run city only in a craft village', () => {
    expect(
      judgeEligibility({ entity: 'dnnvv', province: 'Hà Nội', provinceIsCity: true, locality: 'phuong' }).verdict,
    ).toBe('not-eligible');
    expect(
      judgeEligibility({
        entity: 'dnnvv',
        province: 'Hà Nội',
        provinceIsCity: true,
        locality: 'phuong',
        craftVillage: 'yes',
      }).verdict,
    ).toBe('likely');
    expect(
      judgeEligibility({ entity: 'dnnvv', province: 'Nghệ An', provinceIsCity: false, locality: 'phuong' }).verdict,
    ).toBe('likely');
  });

  it('does not cover an unregistered owner and names the way in', () => {
    const v = judgeEligibility({ entity: 'unregistered' });
    expect(v.verdict).toBe('not-eligible');
    expect(v.reasons.join(' ')).toMatch(/đăng ký hộ kinh doanh/);
  });

  it('asks whether a city facility is in a commune or a ward when it does not say', () => {
    const v = judgeEligibility({ entity: 'htx', province: 'Đà Nẵng', provinceIsCity: true });
    expect(v.verdict).toBe('check');
    expect(v.ask).toMatch(/xã hay phường/);
  });

  it('computes the support with its cap (TT 28/2018)', () => {
    expect(computeSupport('machine', 400e6)?.amount).toBe(200e6);
    expect(computeSupport('machine', 1e9)?.amount).toBe(300e6);
    expect(computeSupport('line', 2e9)?.amount).toBe(450e6);
    expect(computeSupport('demo', 1.2e9)?.amount).toBe(360e6);
    expect(computeSupport('demo', 5e9)?.amount).toBe(1e9);
    expect(computeSupport('training', 1e9)).toBeUndefined();
    expect(supportLine('line', 2e9)).toMatch(
      /1 tỷ, vượt mức trần 450 triệu đồng \(1,5 lần mức 300 triệu\) → được hỗ trợ tối đa khoảng 450 triệu đồng/,
    );
  });
});
