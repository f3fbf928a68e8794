import { describe, expect, it } from 'vitest';
import { loadContentOrThrow } from '../../adapters/content/content-files.ts';
import { BUNDLED_CONTENT_DIR, createKnowledgeBase, validateContent } from '../../knowledge/index.ts';

const now = new Date('2026-11-26T09:00:00+07:00');

describe("a new plan year's dates, entered by a curator", () => {
  const seed = loadContentOrThrow(BUNDLED_CONTENT_DIR);
  const ask = (content: typeof seed) =>
    createKnowledgeBase(content, { timeZone: 'Asia/Ho_Chi_Minh' }).answerEntry('deadline-registration-report', {
      now,
    })!.text;

  it('are counted down, and the 2024 cycle is shown as history', () => {
    const before = ask(seed);
    expect(before).toMatch(/⏰ .*20\/6\/2023 \(kế hoạch năm 2024\), đã hết hạn/);
    const content = structuredClone(seed);
    const entry = content.entries.find((e) => e.id === 'deadline-registration-report')!;
    entry.deadlines.push({ label: 'Gửi báo cáo đăng ký kế hoạch năm 2027', date: '2026-12-20', planYear: 2027 });
    entry.source.push({
      document: 'Văn bản định hướng kế hoạch năm 2027 (thử nghiệm)',
      date: '2026-11-01',
      confidence: 'certain',
      via: 'biên tập viên',
    });
    expect(validateContent(content).ok).toBe(true);
    const after = ask(content);
    expect(after).toMatch(
      /⏰ Gửi báo cáo đăng ký kế hoạch năm 2027: hạn 20\/12\/2026 \(kế hoạch năm 2027\), còn 24 ngày\./,
    );
    expect(after).toMatch(/🗂 Các chu kỳ trước: .*20\/6\/2023 \(kế hoạch năm 2024\)\./);
    expect(after).not.toMatch(/⏰ .*2023/);
  });
});
