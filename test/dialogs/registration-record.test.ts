import { describe, expect, it } from 'vitest';
import { registrationFields } from '../../dialogs/registration-fields.ts';
import {
  fieldInfo,
  formatField,
  REGISTRATION_FIELDS,
  registrationRows,
  registrationSchema,
} from '../../dialogs/registration-record.ts';

const FULL = {
  facilityName: 'Xưởng cơ khí Minh Phát',
  entityType: 'hkd',
  taxCode: 'chưa có',
  province: 'Bắc Ninh',
  commune: 'xã Tân Mỹ',
  address: 'thôn Đông',
  contactPerson: 'Nguyễn Văn Huy',
  phone: '0912345678',
  email: null,
  supportArea: 'may-moc-thiet-bi',
  projectName: 'Mua máy tiện CNC',
  objective: 'Tăng năng suất',
  mainContent: 'Mua 1 máy tiện',
  implementationPlace: null,
  timeline: { start: '2027-03', end: '2027-09' },
  budgetTotal: 1_500_000_000,
  budgetRequested: 300_000_000,
  budgetCounterpart: 900_000_000,
  budgetOther: 0,
  budgetCheck: 'kept',
  expectedEffects: 'Thêm 5 việc làm',
  consent: true,
};

describe('the registration, one definition', () => {
  it('validates what the form saves with the versioned schema', () => {
    expect(registrationSchema.safeParse(FULL).success).toBe(true);
    expect(registrationSchema.safeParse({ budgetTotal: -1 }).success).toBe(false);
    expect(registrationSchema.safeParse({ entityType: 'tap-doan' }).success).toBe(false);
  });

  it('gives the form its labels: every question of the registration is a field of the catalogue, with the same label', () => {
    for (const spec of registrationFields()) {
      expect(fieldInfo(spec.id as never), spec.id).toBeDefined();
      expect(spec.label).toBe(fieldInfo(spec.id as never).label);
    }
  });

  it('formats each field once: labels, amounts in đồng, skipped and missing values', () => {
    const rows = Object.fromEntries(registrationRows(FULL).map((r) => [r.label, r.value]));
    expect(rows).toMatchObject({
      'Loại hình cơ sở': 'Hộ kinh doanh',
      'Mã số thuế': 'chưa có',
      Email: '(không có)',
      'Lĩnh vực hỗ trợ': 'Ứng dụng máy móc thiết bị tiên tiến',
      'Địa điểm thực hiện': 'như địa chỉ cơ sở',
      'Thời gian thực hiện': 'tháng 3/2027 – tháng 9/2027',
      'Tổng kinh phí': '1.500.000.000 đồng',
      'Nguồn khác': '0 đồng',
    });
    expect(formatField('projectName', {})).toBe('(chưa điền)');
    // A stored value of an unexpected shape is shown, not hidden.
    expect(formatField('budgetTotal', { budgetTotal: 'khoảng 1 tỷ' })).toBe('khoảng 1 tỷ');
  });

  it('orders fields by group, so each group is shown once', () => {
    const groups = REGISTRATION_FIELDS.map((f) => f.group).filter((g, i, all) => g !== all[i - 1]);
    expect(groups).toEqual(['facility', 'project', 'budget', 'consent']);
  });
});
