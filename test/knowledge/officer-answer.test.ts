import { describe, expect, it } from 'vitest';
import { analyze, type AnswerContext, type KnowledgeAnswer } from '../../knowledge/index.ts';
import { colleagueText } from '../../knowledge/officer-answer.ts';
import { bundledKnowledgeBase } from '../eval/evaluate.ts';

const kb = bundledKnowledgeBase();
const now = new Date('2026-11-26T09:00:00+07:00');
const officer: AnswerContext = { now, audience: 'officer' };
const ask = (q: string, context: AnswerContext = officer): KnowledgeAnswer => kb.answer(q, context);
/** Sends an officer on to their own department. */
const TO_THE_SO = /(hỏi|liên hệ|kiểm tra[^.\n]*với) Sở Công Thương/;

describe('the officers’ vocabulary', () => {
  it.each([
    ['ĐA điểm là gì', 'đề án điểm'],
    ['hạn gửi BC đăng ký KH KCQG', 'báo cáo đăng ký kế hoạch khuyến công quốc gia'],
    ['vốn ĐƯ của cơ sở', 'vốn đối ứng'],
    ['TĐ cấp cơ sở', 'thẩm định cấp cơ sở'],
    ['MHTD 3,6 tỷ', 'mô hình trình diễn'],
    ['xã ĐBKK', 'đặc biệt khó khăn'],
    ['tt36 còn hiệu lực', 'thông tư 36'],
    ['von du la gi', 'đối ứng'],
    ['td cap co so', 'thẩm định'],
    ['da diem la gi', 'đề án'],
    ['bc dang ky kh kcqg', 'báo cáo dang ky kế hoạch'],
  ])('reads %s', (text, reading) => {
    expect(analyze(text).tokens.join(' ')).toContain(reading);
  });

  it('keeps the ordinary words those capitals stand for in small letters, and all-capital messages as they are', () => {
    expect(analyze('hỗ trợ tối đa bao nhiêu').tokens.join(' ')).toBe('hỗ trợ tối đa bao nhiêu');
    expect(analyze('kh biết').tokens.join(' ')).toBe('không biết');
    expect(analyze('toi da bao nhieu').tokens.join(' ')).toBe('toi da bao nhieu');
    expect(analyze('da co dang ky roi').tokens.join(' ')).toBe('da co dang ky roi');
    expect(analyze('DA CO DUOC KHONG KH').tokens.join(' ')).not.toMatch(/đề án|kế hoạch/);
  });
});

describe('composing for a colleague', () => {
  it('removes the referrals to the Sở and keeps the rule around them, numbers whole', () => {
    const { text, cut } = colleagueText(
      'Dạ, tối đa 1.000 triệu đồng. Thông tư đã được sửa đổi bởi Thông tư 64/2024/TT-BTC; tôi chưa có nội dung, nên anh/chị vui lòng kiểm tra với Sở Công Thương.\nTôi có thể giúp anh/chị điền trước các mục này.',
    );
    expect(cut).toBe(true);
    expect(text).toBe(
      'Dạ, tối đa 1.000 triệu đồng. Thông tư đã được sửa đổi bởi Thông tư 64/2024/TT-BTC; tôi chưa có nội dung.',
    );
  });

  it('drops a numbered step that was only a referral and numbers the steps left again', () => {
    const { text } = colleagueText(
      'Dạ, cơ sở làm như sau:\n1. Liên hệ Sở Công Thương của tỉnh nơi cơ sở sản xuất.\n2. Chuẩn bị đề án theo mẫu.\n3. Chờ thẩm định.\nGhi chú.\n1. Bước khác.',
    );
    expect(text).toBe(
      'Dạ, cơ sở làm như sau:\n1. Chuẩn bị đề án theo mẫu.\n2. Chờ thẩm định.\nGhi chú.\n1. Bước khác.',
    );
  });

  it('answers the same entry differently by audience: the owner a phone-sized part, the officer the whole rule and where to go beyond the Sở', () => {
    const owner = ask('mức hỗ trợ máy móc thiết bị', { now });
    const colleague = ask('mức hỗ trợ máy móc thiết bị');
    expect(owner.kind === 'answer' && colleague.kind === 'answer' && owner.entry.id === colleague.entry.id).toBe(true);
    expect(owner.kind === 'answer' && owner.followUps[0].title).toBe('Xem chi tiết');
    expect(owner.text).not.toMatch(/Cục Đổi mới sáng tạo/);
    expect(colleague.text).toMatch(/Phần còn lại là vốn đối ứng/);
    expect(colleague.text).not.toMatch(TO_THE_SO);
    expect(colleague.text).toMatch(/Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công/);
    expect(colleague.text).toMatch(/Nguồn: Thông tư 28\/2018\/TT-BTC, mức chi hỗ trợ ứng dụng máy móc thiết bị/);
  });

  it.each([
    [
      'MHTD tổng 3,6 tỷ thì KCQG tối đa bao nhiêu',
      ['3,6 tỷ × 30% = 1,08 tỷ', 'tối đa 1 tỷ đồng', 'phần còn lại 2,6 tỷ'],
    ],
    ['máy 420tr hỗ trợ tối đa?', ['× 50% = 210 triệu', 'tối đa 210 triệu đồng']],
    ['dây chuyền 1,5 tỷ KCQG hỗ trợ được bao nhiêu', ['= 750 triệu', 'tối đa 450 triệu đồng']],
  ])('computes %s with the circular and the TT 64/2024 caveat once', (q, parts) => {
    const answer = ask(q);
    for (const part of parts) expect(answer.text).toContain(part);
    expect(answer.text).toContain('Thông tư 28/2018/TT-BTC');
    expect(answer.text.match(/64\/2024/g)).toHaveLength(1);
  });

  it.each([
    ['HKD ở phường Ninh Kiều, TP Cần Thơ, ngoài làng nghề, có thuộc đối tượng không?', /^Dạ, không/, /làng nghề/],
    ['còn HTX ở phường thuộc tỉnh Thanh Hóa?', /^Dạ, có/, /mọi xã, phường/],
    ['DN lớn đầu tư hạ tầng CCN có được không?', /^Dạ, có thể/, /cụm công nghiệp/],
    ['cơ sở chưa có vốn đối ứng thì sao?', /^Dạ, chưa đủ điều kiện/, /cam kết/],
    ['cơ sở mới cam kết vốn đối ứng, chưa chi, có được cấp kinh phí không', /^Dạ, được xét/, /cam kết/],
    ['hạng mục đã được ngân sách tỉnh hỗ trợ, KCQG hỗ trợ tiếp được không?', /^Dạ, không/, /hai lần/],
    ['ĐA chỉ có 1 hoạt động thì có được coi là ĐA điểm không', /^Dạ, không/, /hai hoạt động/],
  ])('decides "%s" first, then gives the rule and its source', (q, decision, rule) => {
    const answer = ask(q);
    expect(answer.text).toMatch(decision);
    expect(answer.text).toMatch(rule);
    expect(answer.text).toMatch(/\n\nNguồn: .*(Nghị định 235\/2025|Thông tư 36\/2013)/);
    expect(answer.text).not.toMatch(TO_THE_SO);
  });

  it('says both sets of procedure dates and how they relate, and that a later year’s letter is not in the sources', () => {
    const both = ask('TT 36 ghi 20/5 và 15/6 mà công văn lại 20/6, 30/9, theo mốc nào');
    expect(both.text).toMatch(/20\/5[\s\S]*15\/6[\s\S]*20\/6\/2023[\s\S]*30\/9\/2023/);
    expect(both.text).toMatch(/trừ khi có hướng dẫn khác/);
    const later = ask('hạn nộp đề án KCQG năm 2028');
    expect(later.text).toMatch(/kế hoạch năm 2028 do văn bản định hướng/);
    expect(later.text).toMatch(/không có văn bản định hướng nào mới hơn/);
  });

  it('maps old province names and tells that there is no district level', () => {
    expect(ask('Hải Dương cũ giờ thuộc đâu').text).toMatch(
      /^Dạ, Hải Dương nay thuộc thành phố trực thuộc trung ương TP\. Hải Phòng/,
    );
    expect(ask('Hà Tây cũ giờ là đâu').text).toMatch(/Hà Tây đã sáp nhập vào Hà Nội từ 01\/8\/2008/);
    const district = ask('địa chỉ còn ghi huyện Gia Lâm thì sửa thế nào');
    expect(district.text).toMatch(/không còn cấp huyện/);
    expect(district.text).toMatch(/xã, phường hoặc đặc khu/);
  });

  it('gives another programme’s body, never khuyến công’s levels', () => {
    const answer = ask('khuyến nông hỗ trợ máy sấy lúa 400tr được bao nhiêu');
    expect(answer.kind === 'fallback' && answer.reason).toBe('other-programme');
    expect(answer.text).toMatch(/Bộ Nông nghiệp và Môi trường/);
    expect(answer.text).not.toMatch(/200 triệu|50%|28\/2018/);
  });

  it('answers small talk without an empty source line', () => {
    expect(ask('xin chào').text).not.toMatch(/Nguồn/);
  });

  it('falls back without sending the officer to the Sở, naming the national body', () => {
    const answer = ask('định mức chi hội nghị tập huấn cho cán bộ khuyến công là bao nhiêu');
    expect(answer.text).not.toMatch(TO_THE_SO);
  });
});

describe('results against levels', () => {
  it('answers what a year achieved from the results, and a level the sources lack as missing', () => {
    expect(ask('năm 2022 KCQG hỗ trợ được bao nhiêu gian hàng hội chợ').text).toMatch(/1\.850 gian hàng/);
    expect(ask('định mức chi hội chợ theo TT 28').text).toMatch(/không có trong nguồn/);
  });
});
