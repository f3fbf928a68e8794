import { describe, expect, it } from 'vitest';
import { registrationFlags } from '../../dialogs/index.ts';

/** A registration with every field answered, within the machine level (300 of 1.000 triệu). */
const FILLED_DATA: Record<string, unknown> = {
  facilityName: 'HTX mây tre Phúc Lâm',
  entityType: 'htx',
  taxCode: '0101234567',
  province: 'Bắc Ninh',
  commune: 'xã Phúc Lâm',
  address: 'thôn 3',
  contactPerson: 'Nguyễn Văn An',
  phone: '0912345678',
  email: null,
  supportArea: 'may-moc-thiet-bi',
  projectName: 'Máy đan tự động',
  objective: 'Tăng năng suất',
  mainContent: 'Mua 2 máy đan',
  implementationPlace: null,
  timeline: { start: '2027-04', end: '2027-06' },
  expectedEffects: 'thêm 10 việc làm',
  budgetTotal: 1_000_000_000,
  budgetRequested: 300_000_000,
  budgetCounterpart: 700_000_000,
  budgetOther: 0,
  consent: true,
};

describe('flags of a registration for the officers’ list', () => {
  it.each([
    ['a complete one within the machine level', {}, {}, []],
    [
      'support above the TT 28/2018 level the knowledge base computes (50% of 1 tỷ, at most 300 triệu)',
      { supportArea: 'may-moc-thiet-bi', budgetTotal: 1_000_000_000, budgetRequested: 400_000_000 },
      {},
      ['above-cap'],
    ],
    [
      'a demonstration model within 30% of its cost',
      { supportArea: 'mo-hinh-trinh-dien', budgetTotal: 2_000_000_000, budgetRequested: 600_000_000 },
      {},
      [],
    ],
    ['an area whose level the sources do not give', { supportArea: 'nguon-nhan-luc', budgetRequested: 9e9 }, {}, []],
    ['no counterpart funds', { budgetCounterpart: 0 }, {}, ['no-counterpart']],
    [
      'another registration with its tax code and phone',
      {},
      { taxCode: 1, phone: 2 },
      ['duplicate-tax-code', 'duplicate-phone'],
    ],
    ['required fields never answered', { projectName: undefined, address: '' }, {}, ['incomplete']],
  ] as const)('%s', (_name, change, duplicates, expected) => {
    const flags = registrationFlags({ ...FILLED_DATA, ...change }, duplicates);
    expect(flags.map((f) => f.id)).toEqual(expected);
  });

  it('explains each flag in Vietnamese', () => {
    const [cap] = registrationFlags({
      ...FILLED_DATA,
      supportArea: 'may-moc-thiet-bi',
      budgetTotal: 1_000_000_000,
      budgetRequested: 400_000_000,
    });
    expect(cap.detail).toBe(
      'Đề nghị 400 triệu đồng, cao hơn mức tối đa khoảng 300 triệu đồng (máy móc thiết bị tiên tiến: 300 triệu đồng mỗi cơ sở) theo Thông tư 28/2018/TT-BTC.',
    );
    const [incomplete] = registrationFlags({ ...FILLED_DATA, projectName: undefined });
    expect(incomplete.detail).toBe('Chưa có: Tên đề án.');
  });
});
