import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { registrationDocx } from '../../adapters/console/registration-docx.ts';
import type { RegistrationRecord } from '../../bot/stores.ts';

async function textOf(data: Record<string, unknown>): Promise<string> {
  const at = new Date('2026-11-26T03:00:00Z');
  const record = {
    id: '1',
    code: 'KC-2026-000007',
    userKey: 'webchat:u',
    channel: 'webchat',
    status: 'submitted',
    schemaVersion: 1,
    province: 'Bắc Ninh',
    supportArea: 'may-moc-thiet-bi',
    data,
    createdAt: at,
    updatedAt: at,
    submittedAt: at,
  } as RegistrationRecord;
  const zip = await JSZip.loadAsync(await registrationDocx(record));
  return (await zip.file('word/document.xml')!.async('string')).replace(/<\/w:p>/g, '\n').replace(/<[^>]+>/g, '');
}

describe('the DOCX follows the đề án outline of Thông tư 36/2013/TT-BCT', () => {
  it('has every heading of the outline, with a guidance line where the owner gave nothing', async () => {
    const text = await textOf({
      facilityName: 'Xưởng cơ khí Minh Phát',
      supportArea: 'may-moc-thiet-bi',
      budgetTotal: 1_500_000_000,
    });
    for (const heading of [
      '1. Tên đề án',
      '2. Đơn vị thực hiện, đơn vị phối hợp, đơn vị thụ hưởng và địa điểm',
      '3. Sự cần thiết và căn cứ pháp lý',
      '4. Mục tiêu',
      '5. Quy mô và điểm mới',
      '6. Nội dung và tiến độ thực hiện',
      '7. Kinh phí',
      '8. Tổ chức thực hiện',
      '9. Hiệu quả dự kiến',
    ]) {
      expect(text).toContain(heading);
    }
    expect(text).toContain('[Cần bổ sung] Tên đề án: cơ sở chưa điền.');
    expect(text).toContain('[Cần bổ sung] Mục tiêu: cơ sở chưa điền.');
    expect(text).toContain('[Cần bổ sung] Đơn vị thực hiện (chủ trì) đề án.');
    expect(text).toContain('Tên cơ sở: Xưởng cơ khí Minh Phát');
    expect(text).toContain('Lĩnh vực hỗ trợ: Ứng dụng máy móc thiết bị tiên tiến');
    expect(text).toContain('1.500.000.000 đồng');
    expect(text).toContain('chưa phải hồ sơ nộp cho cơ quan nhà nước');
  });

  it('records an amount mismatch the owner chose to keep', async () => {
    const text = await textOf({
      budgetTotal: 1_500_000_000,
      budgetRequested: 300_000_000,
      budgetCounterpart: 900_000_000,
      budgetOther: 0,
      budgetCheck: 'kept',
      objective: 'Tăng năng suất',
    });
    expect(text).toContain(
      'Lưu ý: các phần kinh phí không khớp tổng (300 triệu + 900 triệu + 0 = 1,2 tỷ, khác tổng 1,5 tỷ); cơ sở đã chọn giữ nguyên khi điền.',
    );
    expect(text).toContain('Mục tiêu: Tăng năng suất');
    expect(text).not.toContain('[Cần bổ sung] Mục tiêu');
  });

  it('says nothing of a mismatch when the parts add up', async () => {
    const text = await textOf({
      budgetTotal: 1_200_000_000,
      budgetRequested: 300_000_000,
      budgetCounterpart: 900_000_000,
      budgetOther: 0,
    });
    expect(text).not.toContain('không khớp tổng');
  });
});
