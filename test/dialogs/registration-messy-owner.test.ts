import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../helpers/temp-dirs.ts';
import { say, startTestServer } from '../helpers/server.ts';

const dataDir = useTempDirs('kc-reg-messy');

/**
 * An owner who fills the whole form the way owners do: a sentence for the name, a question in
 * the middle, shorthand, "bỏ qua" where it cannot be skipped, a huyện, "tiếp tục" at a step, a
 * contact named Huy, amounts in words and slang, going back twice, a mismatch kept, an edit at
 * the end. Each step: what the owner types, what the bot's replies must say.
 */
const SCRIPT: [owner: string, bot: RegExp][] = [
  ['tôi muốn đăng ký', /kiểm tra nhanh/],
  ['dien luon', /Bước 1\/21: Tên cơ sở/],
  [
    'Xưởng cơ khí Minh Phát của tôi ở Bắc Giang, sdt 0912 345 678',
    /ghi nhận luôn: Tên cơ sở: Xưởng cơ khí Minh Phát; Tỉnh, thành phố: Bắc Ninh; Số điện thoại: 0912345678 \(Bắc Giang nay thuộc tỉnh Bắc Ninh\)\. Nếu chưa đúng[\s\S]*Bước 2\/21: Loại hình/,
  ],
  ['cho em hỏi vốn đối ứng là gì vậy ạ?', /phần tiền cơ sở thụ hưởng tự bỏ ra[\s\S]*Bước 2\/21: Loại hình/],
  ['ho kinh doanh', /Bước 3\/21: Mã số thuế/],
  ['bỏ qua', /mã số thuế cần để Sở Công Thương[\s\S]*"chưa có"[\s\S]*Bước 3\/21: Mã số thuế/],
  ['chưa có', /hộ kinh doanh chưa có mã số thuế[\s\S]*Bước 5\/21: Cơ sở ở xã, phường hay đặc khu/],
  ['huyện Việt Yên', /không còn cấp huyện[\s\S]*Bước 5\/21/],
  ['xã Tân Mỹ', /Bước 6\/21: Địa chỉ/],
  ['tiếp tục', /Bước 6\/21: Địa chỉ/],
  ['thôn Đông', /Bước 7\/21: Họ tên người liên hệ/],
  ['Huy', /Bước 9\/21: Email/],
  ['ko có', /Bước 10\/21: Đề án thuộc lĩnh vực/],
  ['may moc', /Bước 11\/21: Tên đề án/],
  ['Mua máy tiện CNC', /Bước 12\/21: Mục tiêu/],
  ['máy cũ có được hỗ trợ không?', /Bước 12\/21: Mục tiêu/],
  ['Tăng năng suất gia công', /Bước 13\/21: Nội dung chính/],
  ['Mua 1 máy tiện CNC và 1 máy phay', /Bước 14\/21: Địa điểm/],
  ['bỏ qua', /Bước 15\/21: Thời gian/],
  ['tháng 3 đến tháng 9 năm 2027', /Bước 16\/21: Tổng kinh phí/],
  ['1 tỷ 5', /tôi hiểu là 1\.500\.000\.000 đồng[\s\S]*Bước 17\/21: Số tiền đề nghị/],
  ['300tr', /Bước 18\/21: Vốn đối ứng/],
  ['chín trăm triệu', /tôi hiểu là 900\.000\.000 đồng[\s\S]*Bước 19\/21: Kinh phí từ nguồn khác/],
  ['quay lại', /Bước 18\/21: Vốn đối ứng/],
  ['quay lai', /Bước 17\/21: Số tiền đề nghị[\s\S]*Hiện đang ghi: 300\.000\.000 đồng/],
  ['300 củ', /tôi hiểu là 300\.000\.000 đồng[\s\S]*Bước 18\/21: Vốn đối ứng[\s\S]*Hiện đang ghi: 900\.000\.000 đồng/],
  ['giữ nguyên', /Bước 19\/21: Kinh phí từ nguồn khác/],
  ['ko có', /chưa khớp tổng: 300 triệu \+ 900 triệu \+ 0 = 1,2 tỷ, khác tổng 1,5 tỷ/],
  ['giữ nguyên', /giữ nguyên và ghi chú cho cán bộ[\s\S]*Bước 20\/21: Hiệu quả/],
  [
    'Thêm 5 việc làm',
    /Bước 21\/21: .*đồng ý[\s\S]*cán bộ Sở Công Thương Bắc Ninh xem được[\s\S]*chưa phải hồ sơ nộp cho cơ quan nhà nước/,
  ],
  ['sửa tên người liên hệ', /Bước 7\/21: Họ tên người liên hệ[\s\S]*Hiện đang ghi: Huy/],
  ['Nguyễn Văn Huy', /Bước 21\/21/],
  [
    'đồng ý',
    /Cơ sở: Xưởng cơ khí Minh Phát \(Hộ kinh doanh\), MST chưa có[\s\S]*Liên hệ: Nguyễn Văn Huy, 0912345678[\s\S]*Kinh phí: tổng 1,5 tỷ[\s\S]*Lưu ý: 300 triệu \+ 900 triệu \+ 0 = 1,2 tỷ, khác tổng 1,5 tỷ \(anh\/chị giữ nguyên\)[\s\S]*bấm "Xác nhận"/,
  ],
  ['xac nhan', /mã KC-2026-\d{6}[\s\S]*chưa phải hồ sơ nộp cho cơ quan nhà nước/],
  ['mã đăng ký của tôi', /mã KC-2026-\d{6}:\nCơ sở: Xưởng cơ khí Minh Phát/],
  ['xem lại bản đăng ký', /mã KC-2026-\d{6}/],
];

describe('a messy owner fills the whole form through POST /api/webchat', () => {
  it('ends with what the owner meant saved, and the code shown again on request', async () => {
    const server = await startTestServer({ dataDir: dataDir() });
    try {
      const said: string[] = [];
      for (const [owner, bot] of SCRIPT) {
        const replies = (await say(server.url, 'messy', owner, 'messy-owner')).map((r) => r.text).join('\n---\n');
        said.push(replies);
        expect(replies, `after "${owner}"`).toMatch(bot);
      }
      // One consistent account of what is saved and who sees it; no claim that the bot passes anything to the state.
      expect(said.join('\n')).not.toMatch(/chuyển cho Sở Công Thương xem xét/);
      const [saved] = await server.stores.registrations.list({ status: 'submitted' });
      expect(saved.data).toEqual({
        facilityName: 'Xưởng cơ khí Minh Phát',
        entityType: 'hkd',
        taxCode: 'chưa có',
        province: 'Bắc Ninh',
        provinceNote: 'Bắc Giang nay thuộc tỉnh Bắc Ninh',
        commune: 'xã Tân Mỹ',
        address: 'thôn Đông',
        contactPerson: 'Nguyễn Văn Huy',
        phone: '0912345678',
        email: null,
        supportArea: 'may-moc-thiet-bi',
        projectName: 'Mua máy tiện CNC',
        objective: 'Tăng năng suất gia công',
        mainContent: 'Mua 1 máy tiện CNC và 1 máy phay',
        implementationPlace: null,
        timeline: { start: '2027-03', end: '2027-09' },
        budgetTotal: 1_500_000_000,
        budgetRequested: 300_000_000,
        budgetCounterpart: 900_000_000,
        budgetOther: 0,
        budgetCheck: 'kept',
        expectedEffects: 'Thêm 5 việc làm',
        consent: true,
      });
      expect(saved.province).toBe('Bắc Ninh');
    } finally {
      await server.close();
    }
  });
});
