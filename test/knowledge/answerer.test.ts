import { describe, expect, it } from 'vitest';
import { loadContentOrThrow } from '../../adapters/content/content-files.ts';
import { analyze, BUNDLED_CONTENT_DIR, createKnowledgeBase } from '../../knowledge/index.ts';
import { briefText } from '../../knowledge/owner-answer.ts';
import { firstPick, bundledKnowledgeBase } from '../eval/evaluate.ts';

const kb = bundledKnowledgeBase();
const at = (iso: string) => ({ now: new Date(iso) });

describe('deadlines are computed against the injected date', () => {
  it('says a 2024-cycle deadline is past, with its plan year, and how long ago', () => {
    const answer = kb.answer('hạn gửi báo cáo đăng ký kế hoạch khuyến công quốc gia', at('2026-11-26T10:00:00+07:00'));
    expect(answer.kind).toBe('answer');
    expect(answer.text).toContain('hạn 20/6/2023 (kế hoạch năm 2024)');
    expect(answer.text).toContain('đã hết hạn (1.255 ngày trước)');
  });

  it('counts the days left when the clock is before the deadline', () => {
    const answer = kb.answer('còn bao nhiêu ngày nữa hết hạn nộp hồ sơ đề án', at('2023-09-20T08:00:00+07:00'));
    expect(answer.text).toContain('còn 10 ngày');
  });

  it('says when today is the last day, in Vietnam time even late in the UTC day', () => {
    const answer = kb.answer('han gui ho so de an de tham dinh cap bo', at('2023-09-29T18:30:00Z'));
    expect(answer.text).toContain('hôm nay là ngày cuối');
  });
});

describe("an owner's phone-sized answer", () => {
  it('begins where its entry begins and never cuts inside a number ("1.000 triệu")', () => {
    const now = new Date('2026-11-26T10:00:00+07:00');
    for (const entry of kb.entries) {
      const text = kb.answerEntry(entry.id, { now })!.text;
      expect(text.slice(0, 30), entry.id).toBe(entry.answer.trim().slice(0, 30));
    }
    // Nor after an abbreviation ("TP. Hồ Chí Minh"), with the shorter budget of a multi-part answer.
    expect(
      briefText(
        kb.entries.find((e) => e.id === 'provinces-34')!,
        [],
        160,
      ),
    ).not.toMatch(/TP\.$/);
    const levels = kb.answer('văn bản nào quy định mức chi khuyến công', { now }).text;
    expect(levels).toMatch(/^Dạ, mức chi khuyến công quốc gia .*không quá 1\.000 triệu đồng mỗi mô hình/);
  });
});

describe('answers', () => {
  it('end with one source line and offer up to three follow-ups', () => {
    const answer = kb.answer('ho tro may moc toi da bao nhieu tien', at('2026-11-26T10:00:00+07:00'));
    if (answer.kind !== 'answer') throw new Error(`expected an answer, got ${answer.kind}`);
    expect(answer.entry.id).toBe('level-machinery');
    const lines = answer.text.trim().split('\n');
    expect(lines.at(-1)).toMatch(
      /^Nguồn: Thông tư 28\/2018\/TT-BTC \(đã được sửa đổi bởi TT 64\/2024\/TT-BTC, chưa rõ nội dung sửa\)\.$/,
    );
    expect(answer.text.match(/Nguồn:/g)).toHaveLength(1);
    // The TT 64/2024 caveat is said once, in the source line.
    expect(answer.text.match(/64\/2024/g)).toHaveLength(1);
    expect(answer.followUps.length).toBeGreaterThan(0);
    expect(answer.followUps.length).toBeLessThanOrEqual(4);
  });

  it('fits a phone: the answer first, at most about 8 lines, the rest behind "Xem chi tiết"', () => {
    const now = at('2026-11-26T10:00:00+07:00');
    const answer = kb.answer('34 tỉnh thành phía nam sau sáp nhập gồm những tỉnh nào', now);
    if (answer.kind !== 'answer') throw new Error(`expected an answer, got ${answer.kind}`);
    const full = answer.entry.answer.trim();
    expect(answer.text.length).toBeLessThan(full.length + 120);
    const typical = kb.entries.map((e) => kb.answerEntry(e.id, now)!.text.length).sort((a, b) => a - b);
    // About 8 lines of a phone: 300 characters of answer, the deadlines and the source line.
    expect(typical[typical.length >> 1]).toBeLessThanOrEqual(360);
    const ask = kb.answer('ai được hỗ trợ khuyến công', now);
    expect(ask.kind === 'answer' && ask.followUps[0]).toEqual({ title: 'Xem chi tiết', value: 'Xem chi tiết' });
    const detail = kb.answer('xem chi tiết', { ...now, ...(ask.memo ? { memo: ask.memo } : {}) });
    expect(detail.text).toContain('làng nghề được Ủy ban nhân dân cấp tỉnh công nhận');
    expect(ask.text).not.toContain('sản xuất và tiêu dùng bền vững');
  });

  it('gives every button a title Zalo shows whole', () => {
    const answer = kb.answer('ai được hỗ trợ khuyến công', at('2026-11-26T10:00:00+07:00'));
    if (answer.kind !== 'answer') throw new Error('expected an answer');
    for (const choice of answer.followUps) expect(choice.title.length).toBeLessThanOrEqual(20);
    expect(kb.answer(answer.followUps[1].value, at('2026-11-26T10:00:00+07:00')).confidence).toBe(1);
  });

  it('hedges facts that come from news rather than the legal text', () => {
    const answer = kb.answer('Những ngành nghề nào được khuyến công hỗ trợ?', at('2026-11-26T10:00:00+07:00'));
    expect(answer.text).toContain('theo tin báo chí');
  });

  it('answers an entry directly when its title is sent back by a button', () => {
    const entry = kb.entries.find((e) => e.id === 'pilot-proposal')!;
    const answer = kb.answer(entry.title.toUpperCase(), at('2026-11-26T10:00:00+07:00'));
    expect(firstPick(answer)).toBe('pilot-proposal');
    expect(answer.confidence).toBe(1);
  });

  it.each([
    'hạn nộp thuế môn bài',
    'đăng ký xe máy cho con',
    'máy giặt bị hỏng',
    'giá vàng sáng nay',
    'thời tiết Đà Nẵng',
  ])('falls back honestly on the look-alike "%s", without sending it to the Sở Công Thương', (question) => {
    const answer = kb.answer(question, at('2026-11-26T10:00:00+07:00'));
    expect(answer.kind).toBe('fallback');
    expect(answer.text).toMatch(/không thuộc chương trình khuyến công/);
    expect(answer.text).not.toContain('Sở Công Thương');
  });

  it('sends an unanswered question about khuyến công itself to the Sở Công Thương', () => {
    const answer = kb.answer('khuyến công có hỗ trợ mua xe tải chở hàng không', at('2026-11-26T10:00:00+07:00'));
    expect(answer.kind).toBe('fallback');
    expect(answer.text).toContain('Sở Công Thương');
  });

  it('asks for a question when the message has no words', () => {
    for (const text of ['', '   ', '😀😀', '?!', '\u0000\u0007']) {
      const answer = kb.answer(text, at('2026-11-26T10:00:00+07:00'));
      expect(answer.kind).toBe('fallback');
      if (answer.kind === 'fallback') expect(answer.reason).toBe('empty');
    }
  });

  it('reads only the start of a very long message and still answers it', () => {
    const question = `hộ kinh doanh có được hỗ trợ khuyến công không ${'a '.repeat(5000)}`;
    expect(firstPick(kb.answer(question, at('2026-11-26T10:00:00+07:00')))).toBe('eligibility-household');
    // What lies past the limit is not read: a question there is not answered.
    const hidden = `${'a '.repeat(600)} hộ kinh doanh có được hỗ trợ khuyến công không`;
    expect(kb.answer(hidden, at('2026-11-26T10:00:00+07:00')).kind).toBe('fallback');
  });

  it('counts an accented word the content never uses as unknown, even when its folded form is known', () => {
    // "trừ" is in the content, "trú" is not: typed with tone marks, less of the question is known.
    const { index } = createKnowledgeBase(loadContentOrThrow(BUNDLED_CONTENT_DIR), { timeZone: 'Asia/Ho_Chi_Minh' });
    const accented = index.search(analyze('đăng ký thường trú cho con')).coverage;
    const folded = index.search(analyze('dang ky thuong tru cho con')).coverage;
    expect(accented).toBeLessThan(folded);
  });

  it('understands a question that mixes Vietnamese and English', () => {
    const answer = kb.answer('deadline nop ho so de an kcqg la when', at('2026-11-26T10:00:00+07:00'));
    expect(firstPick(answer)).toBe('deadline-dossier-appraisal');
  });

  it('tolerates syllable typos', () => {
    expect(firstPick(kb.answer('khuyen cogn la gi', at('2026-11-26T10:00:00+07:00')))).toBe('what-is-khuyen-cong');
    expect(firstPick(kb.answer('hổ trợ máy mốc bao nhiu', at('2026-11-26T10:00:00+07:00')))).toBe('level-machinery');
  });
});
