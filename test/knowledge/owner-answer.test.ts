import { describe, expect, it } from 'vitest';
import type { ConversationMemo, KnowledgeAnswer } from '../../knowledge/index.ts';
import { bundledKnowledgeBase } from '../eval/evaluate.ts';

const kb = bundledKnowledgeBase();
const now = new Date('2026-11-26T10:00:00+07:00');
const ask = (text: string, memo?: ConversationMemo) => kb.answer(text, { now, ...(memo ? { memo } : {}) });
/** Asks the questions in turn, each with what the one before left in memory; returns the last answer. */
const conversation = (...texts: string[]): KnowledgeAnswer => {
  let memo: ConversationMemo | undefined;
  let answer: KnowledgeAnswer | undefined;
  for (const t of texts) {
    answer = ask(t, memo);
    memo = answer.memo ?? memo;
  }
  return answer!;
};

describe("an owner's own case, in one reply", () => {
  it('gives the verdict, the amount for their numbers, the next step and the sources', () => {
    const a = ask(
      'nhà em là hộ kinh doanh làm đũa tre ở xã Mường Khương, Lào Cai, muốn mua máy vót đũa khoảng 400tr thì được bao nhiêu',
    );
    expect(a.kind).toBe('answer');
    expect(a.text).toMatch(/khả năng thuộc diện/);
    expect(a.text).toMatch(/khoảng 200 triệu đồng/);
    expect(a.text).toMatch(/Sở Công Thương.*tỉnh Lào Cai/);
    expect(a.text).toMatch(/Nguồn: Nghị định 235\/2025.*Thông tư 28\/2018/);
    expect(a.memo?.situation).toBe(true);
  });

  it('caps a technology line at 1,5 times 300 triệu', () => {
    expect(ask('htx o xa Phu Tuc Ha Noi dau tu day chuyen 2 ty duoc bao nhieu').text).toMatch(/450 triệu đồng/);
  });

  it('says a small firm in a ward of a centrally-run city is not covered unless in a craft village, naming the new province', () => {
    const a = ask('cty tnhh em o phuong Di An, Binh Duong mua may cnc 1 ty 2 co dc ho tro ko');
    expect(a.text).not.toMatch(/^Dạ, có/);
    expect(a.text).toMatch(/không thuộc diện/);
    expect(a.text).toMatch(/làng nghề/);
    expect(a.text).toMatch(/Bình Dương nay thuộc TP\. Hồ Chí Minh/);
  });

  it('judges who they are or what they make when that is all they say, instead of falling back', () => {
    for (const text of ['tổ hợp tác làm gốm có được không', 'xưởng nhà em sấy cà phê có được hỗ trợ không ạ']) {
      const a = ask(text);
      expect(a.kind).toBe('answer');
      expect(a.text).toMatch(/khả năng thuộc diện|thuộc đối tượng/);
    }
  });

  it('reads "phường thuộc thành phố trực thuộc trung ương" without the city named as such a ward', () => {
    const a = ask('hộ kinh doanh ở phường thuộc TP trực thuộc TW thì có được hỗ trợ không');
    expect(a.text).toMatch(/không thuộc diện/);
    expect(a.text).toMatch(/làng nghề/);
  });

  it('tells an unregistered owner to register a hộ kinh doanh', () => {
    const a = ask('em chưa đăng ký kinh doanh, làm mộc ở nhà, xin hỗ trợ máy 200 triệu được không');
    expect(a.text).toMatch(/không thuộc diện/);
    expect(a.text).toMatch(/đăng ký hộ kinh doanh/);
    expect(a.text).not.toMatch(/100 triệu/);
  });

  it('judges a facility in a special zone named without the word "đặc khu"', () => {
    const a = ask('cơ sở của tôi ở Phú Quốc, có thuộc diện khuyến công không ạ');
    expect(a.kind).toBe('answer');
    expect(a.memo?.situation).toBe(true);
    expect(a.text).toMatch(/khả năng thuộc diện/);
    expect(a.text).toMatch(/đặc khu/);
    const city = ask('xưởng nước mắm ở Côn Đảo có được hỗ trợ không');
    expect(city.text).toMatch(/khả năng thuộc diện/);
  });

  it('asks for the commune when the owner names a district', () => {
    const a = ask('xưởng gốm em ở huyện Gia Lâm, Hà Nội, mua lò nung 300tr');
    expect(a.text).toMatch(/không còn cấp huyện/);
    expect(a.text).toMatch(/tên xã, phường hoặc đặc khu/);
  });
});

describe('programmes that are not khuyến công', () => {
  it('names the body FACTS gives for khuyến nông and does not say "Dạ, có"', () => {
    const a = ask('khuyến nông có hỗ trợ giống cây không');
    expect(a.kind).toBe('fallback');
    if (a.kind === 'fallback') expect(a.reason).toBe('other-programme');
    expect(a.text).toMatch(/không phải khuyến công/);
    expect(a.text).toMatch(/Bộ Nông nghiệp và Môi trường/);
  });

  it('sends farming to khuyến nông even when the owner names khuyến công, and keeps processing in', () => {
    const farming = ask('hợp tác xã nuôi cá ở Đồng Tháp có được khuyến công hỗ trợ không');
    expect(farming.text).toMatch(/sản xuất nông nghiệp, không thuộc khuyến công/);
    expect(farming.text).toMatch(/Sở Nông nghiệp và Môi trường/);
    expect(farming.text).not.toMatch(/khả năng thuộc diện/);
    const processing = ask('hợp tác xã chế biến cá ở Đồng Tháp có được khuyến công hỗ trợ không');
    expect(processing.text).not.toMatch(/không thuộc khuyến công/);
  });

  it('tells growing mushrooms or crops from drying and packing them: the first is khuyến nông, the second processing', () => {
    for (const text of [
      'nhà em trồng nấm rơm có được khuyến công hỗ trợ không',
      'trong thanh long thi khuyen cong co ho tro k',
    ]) {
      const a = ask(text);
      expect(a.text).toMatch(/không thuộc khuyến công/);
      expect(a.text).toMatch(/Sở Nông nghiệp và Môi trường/);
    }
    for (const text of [
      'cơ sở em sấy xoài dẻo đóng túi có được hỗ trợ không',
      'xuong em say kho nam linh chi co dc ho tro ko',
    ]) {
      const a = ask(text);
      expect(a.kind).toBe('answer');
      expect(a.text).toMatch(/khả năng thuộc diện|thuộc đối tượng/);
    }
  });

  it('tells a café or a shop that services are not covered, and keeps a roasting workshop in', () => {
    expect(ask('nhà em mở quán ăn có được khuyến công hỗ trợ không').text).toMatch(/không thuộc các ngành nghề/);
    expect(ask('xưởng sấy cà phê có được hỗ trợ không').text).not.toMatch(/không thuộc các ngành nghề/);
  });

  it('hedges a body FACTS gives as likely', () => {
    expect(ask('nghị định 80/2021 hỗ trợ chuyển đổi số thế nào').text).toMatch(/Bộ Tài chính[\s\S]*theo tin báo chí/);
  });

  it.each([
    'hkd nop thue khoan the nao',
    'đóng bảo hiểm xã hội cho thợ',
    'vay ngân hàng làm xưởng',
    'trồng lúa bón phân gì',
  ])('does not send "%s" to the Sở Công Thương', (q) => {
    const a = ask(q);
    expect(a.kind).toBe('fallback');
    expect(a.text).not.toContain('Sở Công Thương');
  });

  it('answers the khuyến công half of a message that also names OCOP', () => {
    const a = ask('em có sản phẩm OCOP rồi, HTX ở xã Tân Cương, Thái Nguyên muốn xin khuyến công hỗ trợ máy 300tr');
    expect(a.text).toMatch(/OCOP[\s\S]*không phải khuyến công/);
    expect(a.text).toMatch(/150 triệu/);
  });
});

describe('follow-ups resolve against the conversation', () => {
  it('"được bao nhiêu" after the demonstration model gives its level, not the machinery one', () => {
    const a = conversation('mô hình trình diễn kỹ thuật là gì', 'được bao nhiêu');
    expect(a.text).toMatch(/30%/);
    expect(a.text).not.toMatch(/50%/);
  });

  it('"còn dây chuyền thì sao" after the machinery level gives the line level', () => {
    const a = conversation('hỗ trợ máy móc bao nhiêu', 'còn dây chuyền thì sao');
    expect(a.kind === 'answer' && a.entry.id).toBe('level-technology-line');
  });

  it('"thế HTX thì sao" after a household business keeps asking about eligibility', () => {
    const a = conversation('hộ kinh doanh có được hỗ trợ không', 'thế HTX thì sao');
    expect(a.kind === 'answer' && a.entry.id).toBe('eligibility-cooperative');
  });

  it('a new price re-computes the last case', () => {
    const a = conversation('HKD làm mộc ở xã Liên Hà, Hà Nội, mua máy 360 triệu', 'thế dây chuyền 1 tỷ thì sao');
    expect(a.text).toMatch(/450 triệu đồng/);
    expect(a.text).toMatch(/Hà Nội/);
  });

  it('"được bao nhiêu" with no subject asks which support is meant', () => {
    const a = conversation('hộ kinh doanh có được hỗ trợ không', 'được bao nhiêu');
    expect(a.kind).toBe('clarify');
    expect(a.text).toMatch(/máy móc thiết bị, dây chuyền công nghệ hay mô hình trình diễn/);
  });

  it('an unresolvable follow-up asks about the topic instead of falling back', () => {
    const a = conversation('hỗ trợ ứng dụng máy móc thiết bị tiên tiến là gì', 'thế còn cái kia');
    expect(a.kind).toBe('clarify');
    expect(a.text).toMatch(/máy móc thiết bị tiên tiến/);
  });

  it('a question of its own asked again is answered again, not taken for a follow-up', () => {
    const a = conversation('ai dc ho tro kc', 'ai dc ho tro kc');
    expect(a.kind === 'answer' && a.entry.id).toBe('eligibility-who');
  });

  it('a cost given after a level question is computed for that support, not for machinery', () => {
    const a = conversation('mức hỗ trợ mô hình trình diễn thế nào', 'nếu tổng chi phí 2 tỷ thì được bao nhiêu');
    expect(a.text).toMatch(/Mô hình trình diễn 2 tỷ/);
    expect(a.text).toMatch(/khoảng 600 triệu đồng/);
    expect(a.text).not.toMatch(/Máy móc|máy móc thiết bị 2 tỷ/);
  });

  it('"có được hỗ trợ không" right after the owner described the case gives the verdict, not a menu', () => {
    const a = conversation('xưởng nhà em làm bánh đa ở Bắc Giang', 'vậy có được hỗ trợ không ạ');
    expect(a.kind).toBe('answer');
    expect(a.text).toMatch(/khả năng thuộc diện/);
    expect(a.text).toMatch(/tỉnh Bắc Ninh/);
  });

  it('the memo is plain data that survives JSON', () => {
    const a = ask('htx o xa Yen The Bac Ninh mua may say 600 trieu');
    expect(JSON.parse(JSON.stringify(a.memo))).toEqual(a.memo);
  });
});

describe('several questions at once', () => {
  it("answers the owner's case and the other question asked with it", () => {
    const a = ask('xưởng em mua máy ép 500 triệu thì được bao nhiêu, với lại hạn nộp khi nào');
    expect(a.text).toMatch(/khoảng 250 triệu đồng/);
    expect(a.text).toMatch(/30\/9\/2023|20\/6\/2023/);
  });

  it('judges a case told over several pieces once, with every fact', () => {
    const a = ask('xưởng em ở Bắc Giang làm bánh đa, mua máy 500 triệu được bao nhiêu, hạn nộp khi nào');
    expect(a.text.match(/khả năng thuộc diện/g)).toHaveLength(1);
    expect(a.text).toMatch(/tỉnh Bắc Ninh/);
    expect(a.text).toMatch(/khoảng 250 triệu đồng/);
  });

  it('answers each part in one reply, with one source line', () => {
    const a = ask('mức hỗ trợ mô hình trình diễn với hạn nộp đề án là bao giờ');
    expect(a.text).toMatch(/30%/);
    expect(a.text).toMatch(/đã hết hạn/);
    expect(a.text.match(/Nguồn:/g)).toHaveLength(1);
  });

  it('lets a later part lean on the one before', () => {
    const a = ask('htx co dc ho tro ko, neu dc thi mua may dc bao nhieu %');
    expect(a.text).toMatch(/hợp tác xã/);
    expect(a.text).toMatch(/50%/);
  });
});

describe('a cost funded before, asked again', () => {
  it('gets the rule against funding one cost twice, for an owner as for an officer, and leaves other questions alone', () => {
    const owner = ask('cái lò sấy nhà em huyện hỗ trợ rồi, giờ xin tỉnh hỗ trợ thêm được không');
    expect(owner.kind === 'answer' && owner.entry.id).toBe('funding-conditions');
    expect(owner.text).toMatch(/^Dạ, với cùng một khoản chi .* không được nhận hỗ trợ hai lần từ ngân sách nhà nước/);
    expect(owner.text).toMatch(/\n\nĐể đề án được cấp kinh phí/);
    const officer = kb.answer('cơ sở đã được ngân sách tỉnh hỗ trợ máy rồi, KCQG hỗ trợ tiếp được không', {
      now,
      audience: 'officer',
    });
    expect(officer.text).toMatch(/^Dạ, không, với cùng khoản chi đó/);
    expect(ask('mua máy sấy 400 triệu được hỗ trợ bao nhiêu').text).not.toMatch(/hai lần/);
  });
});

describe('"căn cứ văn bản nào" after an answer', () => {
  it('names the documents of the last answer, or of the case just judged, for an owner and for an officer', () => {
    const level = conversation('máy móc thiết bị được hỗ trợ tối đa bao nhiêu', 'cái này theo văn bản nào vậy');
    expect(level.text).toMatch(/^Dạ, câu trả lời vừa rồi căn cứ vào:\n• Thông tư 28\/2018\/TT-BTC/);
    const owner = conversation('hộ kinh doanh làm nón lá ở xã Phú Vang, Huế, mua máy 300 triệu', 'căn cứ vào đâu');
    expect(owner.text).toMatch(/căn cứ vào:\n• Nghị định 235\/2025\/NĐ-CP[^\n]*\n• Thông tư 28\/2018/);
    expect(owner.memo?.situation).toBe(true);
    let memo: ConversationMemo | undefined;
    let officer: KnowledgeAnswer | undefined;
    for (const t of ['HTX ở phường thuộc tỉnh Nghệ An có thuộc đối tượng không', 'quy định nào vậy'])
      memo = (officer = kb.answer(t, { now, audience: 'officer', ...(memo ? { memo } : {}) })).memo ?? memo;
    expect(officer!.text).toMatch(/^Dạ, câu trả lời vừa rồi căn cứ vào:\n• Nghị định 235\/2025\/NĐ-CP/);
    expect(officer!.text).not.toMatch(/thuộc đối tượng cơ sở/);
    // A question of its own that names a document is not about the last answer.
    expect(conversation('hạn nộp hồ sơ đề án', 'văn bản nào quy định mức hỗ trợ').text).not.toMatch(/vừa rồi/);
  });
});

describe('old names in dated answers', () => {
  it('an answer about the 2024 cycle naming the Cục Công Thương địa phương names its successor', () => {
    const a = ask('hạn gửi báo cáo đăng ký kế hoạch khuyến công quốc gia');
    expect(a.text).toMatch(/Cục Công Thương địa phương/);
    expect(a.text).toMatch(/Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công/);
  });
});

describe('a deadline asked by its date', () => {
  it('answers the deadline that falls on the date named, alone or as a follow-up', () => {
    const report = ask('ngày 20 tháng 6 là hạn nộp cái gì vậy ad');
    expect(report.kind === 'answer' && report.entry.id).toBe('deadline-registration-report');
    expect(report.text).toMatch(/20\/6\/2023/);
    const after = conversation('hạn gửi hồ sơ thẩm định là khi nào', 'còn 20-6 thì sao');
    expect(after.kind === 'answer' && after.entry.id).toBe('deadline-registration-report');
    const appraisal = conversation('hạn đăng ký kế hoạch là bao giờ', 'vay con 30/9');
    expect(appraisal.kind === 'answer' && appraisal.entry.id).toBe('deadline-dossier-appraisal');
  });

  it('does not take a date the owner gives about themselves for a deadline', () => {
    const a = ask('hộ kinh doanh em đăng ký từ 30/9/2021, làm bún ở xã Yên Mỹ, Hưng Yên thì có được hỗ trợ không');
    expect(a.kind === 'answer' && a.entry.id).not.toBe('deadline-dossier-appraisal');
  });
});

describe('a point of a named document', () => {
  it('answers the point the owner asks about, not the summary of the document', () => {
    const training = ask('văn bản 400 năm 2023 có nhắc đến đào tạo nghề không ạ');
    expect(training.kind === 'answer' && training.entry.id).toBe('area-human-resources');
    const cluster = ask('cv400 đề cập gì tới cụm công nghiệp');
    expect(cluster.text).toMatch(/quy hoạch chi tiết cụm công nghiệp/);
    const prize = ask('công văn 400 có ưu tiên sản phẩm được giải không');
    expect(prize.text).toMatch(/giấy chứng nhận còn hiệu lực/);
  });

  it('answers who signed it and when from the document itself, and a point asked right after its summary', () => {
    expect(ask('cv 400 do ai ký').text).toMatch(/Ngô Quang Trung/);
    const after = conversation('công văn 400 nội dung là gì', 'thế đoạn về cụm công nghiệp thì sao');
    expect(after.text).toMatch(/quy hoạch chi tiết cụm công nghiệp/);
  });

  it('shows the sentence past the brief that says what the question names', () => {
    const a = ask('dân tộc thiểu số làm chủ doanh nghiệp thì có được ưu tiên không');
    expect(a.text).toMatch(/phụ nữ hoặc người dân tộc thiểu số làm chủ/);
  });
});

describe("follow-ups in owners' own words", () => {
  it('compares the programme just named with khuyến công when asked how they differ', () => {
    const a = conversation('chương trình mỗi xã một sản phẩm là gì vậy', 'cái đó với khuyến công khác nhau ra sao');
    expect(a.text).toMatch(/OCOP/);
    expect(a.text).toMatch(/khuyến công là chương trình/);
    const b = conversation('khuyến ngư là gì', 'thế nó khác gì so với khuyến công');
    expect(b.text).toMatch(/Sở Nông nghiệp và Môi trường|Bộ Nông nghiệp và Môi trường/);
    expect(b.text).toMatch(/khuyến công là chương trình/);
  });

  it('reads "nhà nước hỗ trợ bao nhiêu" after a machine and its price as the amount for that case', () => {
    const a = conversation('xưởng mộc nhà tôi định sắm máy bào 500 triệu', 'nhà nước hỗ trợ em bao nhiêu tiền');
    expect(a.text).toMatch(/250 triệu/);
  });

  it('keeps the verdict on a kiln when the owner asks about expanding it', () => {
    const a = conversation('tôi có lò vòng nung gạch ở Nghệ An', 'muốn mở rộng thì có được hỗ trợ không');
    expect(a.text).toMatch(/không thuộc diện/);
    expect(a.text).toMatch(/lò vòng/);
  });

  it('lists the support areas when asked what support there is, after the case was judged', () => {
    const a = conversation('hộ kinh doanh làm bánh tráng ở xã Hòa Phong, Đắk Lắk', 'vậy được hỗ trợ những gì');
    expect(a.kind === 'answer' && a.entry.id).toBe('six-support-areas');
  });

  it('gives more of the last answer to a short question on it that nothing else answers', () => {
    const a = conversation('cơ quan nào phụ trách khuyến công bây giờ', 'thế hồi trước gọi là gì');
    expect(a.text).toMatch(/Cục Công Thương địa phương/);
  });

  it('takes "còn … thì sao" with a subject of its own as a question about that subject', () => {
    const a = conversation(
      'hỗ trợ xử lý ô nhiễm môi trường gồm gì',
      'thế còn sản phẩm công nghiệp nông thôn tiêu biểu thì thế nào',
    );
    expect(a.kind === 'answer' && a.entry.id).toBe('area-typical-products');
  });
});

describe('short owner questions with nothing but an aspect', () => {
  it('reads "nộp … ở đâu" alone as how to take part, not as a deadline', () => {
    const a = ask('nộp đề án ở đâu vậy');
    expect(a.kind === 'answer' && ['register-how', 'contact-where'].includes(a.entry.id)).toBe(true);
  });

  it('answers both questions when a fragment in between only asks again ("và bao nhiêu tiền")', () => {
    const a = ask('dây chuyền hỗ trợ mấy phần trăm, và bao nhiêu tiền, khi nào hết hạn');
    expect(a.text).toMatch(/1,5 lần/);
    expect(a.text).toMatch(/hạn/);
  });

  it('says there is no level of its own for the thing "cái đó" points at, instead of asking which level', () => {
    const a = conversation('thẩm định đề án mấy cấp', 'cái đó được hỗ trợ bao nhiêu');
    expect(a.kind).toBe('answer');
    expect(a.text).toMatch(/không có mức hỗ trợ riêng/);
    expect(a.text).toMatch(/Sở Công Thương/);
  });
});
