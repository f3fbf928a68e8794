import { describe, expect, it } from 'vitest';
import { eligibilityVerdict } from '../../dialogs/index.ts';
import { capWarning } from '../../dialogs/registration-fields.ts';
import { useTempDirs } from '../helpers/temp-dirs.ts';
import { say, startTestServer } from '../helpers/server.ts';
import { mocHungAnswers } from '../helpers/registration-answers.ts';

const dataDir = useTempDirs('kc-reg2');
const lastText = (replies: { text: string }[]) => replies.map((r) => r.text).join('\n');

/** Answers to reach the summary quickly (after "điền luôn"). */
const ANSWERS = mocHungAnswers({ requested: '800 triệu', counterpart: '1,2 tỷ' });

describe('registration, continued', () => {
  it('survives a restart in a new server on the same data folder and continues where it stopped', async () => {
    const dir = dataDir();
    const first = await startTestServer({ dataDir: dir });
    await say(first.url, 'resume', 'tôi muốn đăng ký');
    await say(first.url, 'resume', 'điền luôn');
    await say(first.url, 'resume', 'Cơ sở Mộc Hưng');
    await first.close();

    const second = await startTestServer({ dataDir: dir });
    try {
      expect(lastText(await say(second.url, 'resume', 'Hộ kinh doanh'))).toMatch(/Bước 3\/\d+: Mã số thuế/);
      const draft = await second.stores.registrations.findDraft('webchat:u1');
      expect(draft?.data).toMatchObject({ facilityName: 'Cơ sở Mộc Hưng', entityType: 'hkd' });
    } finally {
      await second.close();
    }
  });

  it('warns when the request exceeds the cap, maps an old province, edits from the summary and saves', async () => {
    const server = await startTestServer({ dataDir: dataDir() });
    try {
      await say(server.url, 'full', 'tôi muốn đăng ký');
      await say(server.url, 'full', 'điền luôn');
      const transcript: string[] = [];
      for (const answer of ANSWERS) transcript.push(lastText(await say(server.url, 'full', answer)));
      const all = transcript.join('\n');
      expect(all).toContain('Hà Nam nay thuộc tỉnh Ninh Bình');
      // Demonstration model: 30% of 2 tỷ is 600 triệu, under the 1.000 triệu cap; 800 triệu is over it.
      expect(all).toMatch(/Lưu ý: mức đề nghị 800\.000\.000 đồng cao hơn mức tối đa theo Thông tư 28\/2018\/TT-BTC/);
      const summary = transcript.at(-1)!;
      expect(summary).toMatch(
        /Cơ sở: Cơ sở Mộc Hưng \(Hộ kinh doanh\), MST 0101234567\n• Địa chỉ: thôn 2, xã Kim Bảng, Ninh Bình\n• Liên hệ: Phạm Văn Hưng, 0987654321\nĐề án: [\s\S]*Kinh phí: tổng 2 tỷ\n• Đề nghị hỗ trợ 800 triệu; vốn đối ứng 1,2 tỷ; nguồn khác 0[\s\S]*bấm "Xác nhận"/,
      );
      // About one phone screen: grouped, not 20 numbered lines.
      const body = summary.split('\n\n')[0].split('\n');
      expect(body.length).toBeLessThanOrEqual(14);
      expect(summary.length).toBeLessThan(900);

      expect(lastText(await say(server.url, 'full', 'sửa số điện thoại'))).toMatch(/Số điện thoại/);
      expect(lastText(await say(server.url, 'full', '0912 000 111'))).toMatch(
        /Liên hệ: Phạm Văn Hưng, 0912000111[\s\S]*bấm "Xác nhận"/,
      );
      const saved = lastText(await say(server.url, 'full', 'xác nhận'));
      expect(saved).toMatch(/mã KC-2026-000001/);
      const [record] = await server.stores.registrations.list({ status: 'submitted' });
      expect(record.data).toMatchObject({
        phone: '0912000111',
        province: 'Ninh Bình',
        budgetRequested: 800_000_000,
        supportArea: 'mo-hinh-trinh-dien',
      });
    } finally {
      await server.close();
    }
  });

  it('discards a draft of an older form version with an apology instead of crashing', async () => {
    const server = await startTestServer({ dataDir: dataDir() });
    try {
      await server.stores.registrations.saveDraft(
        { userKey: 'webchat:u1', channel: 'webchat', schemaVersion: 0, data: { oldField: 'x' } },
        new Date(),
      );
      expect(lastText(await say(server.url, 'stale', 'tiếp tục'))).toMatch(/mẫu đăng ký vừa được cập nhật/);
      expect(await server.stores.registrations.findDraft('webchat:u1')).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it('"xóa dữ liệu của tôi" in the middle of the form goes to the deletion, not into a field', async () => {
    const server = await startTestServer({ dataDir: dataDir() });
    try {
      await say(server.url, 'mid-del', 'tôi muốn đăng ký');
      await say(server.url, 'mid-del', 'điền luôn');
      expect(lastText(await say(server.url, 'mid-del', 'xóa dữ liệu của tôi'))).toMatch(/xóa toàn bộ dữ liệu/);
      expect(lastText(await say(server.url, 'mid-del', 'Có, xóa hết'))).toMatch(/đã xóa/);
    } finally {
      await server.close();
    }
  });
});

describe('eligibilityVerdict', () => {
  it.each([
    [{ entityType: 'hkd', province: 'Bắc Ninh', locality: 'phuong', sector: 'agro' }, 'likely'],
    [{ entityType: 'htx', province: 'Hà Nội', locality: 'xa', sector: 'consumer' }, 'likely'],
    [{ entityType: 'htx', province: 'Hà Nội', locality: 'phuong', craftVillage: 'yes', sector: 'consumer' }, 'likely'],
    [
      { entityType: 'htx', province: 'Hà Nội', locality: 'phuong', craftVillage: 'no', sector: 'consumer' },
      'not-eligible',
    ],
    [
      { entityType: 'htx', province: 'Hà Nội', locality: 'phuong', craftVillage: 'unsure', sector: 'consumer' },
      'check',
    ],
    [{ entityType: 'khac', province: 'Bắc Ninh', locality: 'xa', sector: 'agro' }, 'not-eligible'],
    [{ entityType: 'dnnvv', province: 'Lào Cai', locality: 'xa', sector: 'mining', difficultArea: 'yes' }, 'likely'],
    [
      { entityType: 'dnnvv', province: 'Lào Cai', locality: 'xa', sector: 'mining', difficultArea: 'no' },
      'not-eligible',
    ],
    [{ entityType: 'dnnvv', province: 'Lào Cai', locality: 'xa', sector: 'mining', difficultArea: 'unsure' }, 'check'],
    [{ entityType: 'hkd', province: 'Thanh Hóa', locality: 'xa', sector: 'brick-kiln' }, 'not-eligible'],
    [{ entityType: 'hkd', province: 'Thanh Hóa', locality: 'xa', sector: 'other' }, 'check'],
  ])('%o → %s', (values, verdict) => {
    const result = eligibilityVerdict(values);
    expect(result.verdict).toBe(verdict);
    expect(result.reasons.length).toBeGreaterThan(0);
  });
});

describe('capWarning', () => {
  it.each([
    [{ supportArea: 'may-moc-thiet-bi', budgetTotal: 1_000_000_000, budgetRequested: 300_000_000 }, false],
    [{ supportArea: 'may-moc-thiet-bi', budgetTotal: 1_000_000_000, budgetRequested: 350_000_000 }, true],
    [{ supportArea: 'may-moc-thiet-bi', budgetTotal: 400_000_000, budgetRequested: 250_000_000 }, true],
    [{ supportArea: 'mo-hinh-trinh-dien', budgetTotal: 5_000_000_000, budgetRequested: 1_000_000_000 }, false],
    [{ supportArea: 'mo-hinh-trinh-dien', budgetTotal: 5_000_000_000, budgetRequested: 1_200_000_000 }, true],
    [{ supportArea: 'tu-van-thong-tin', budgetTotal: 100_000_000, budgetRequested: 100_000_000 }, false],
  ])('%o → warns: %s', (values, warns) => {
    expect(capWarning(values) !== undefined).toBe(warns);
  });
});
