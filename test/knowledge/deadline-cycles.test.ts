import { describe, expect, it } from 'vitest';
import { loadContentOrThrow } from '../../adapters/content/content-files.ts';
import { BUNDLED_CONTENT_DIR, createKnowledgeBase, staleCycles, validateContent } from '../../knowledge/index.ts';

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

describe('cycles whose every known deadline has passed', () => {
  const d = (date: string, planYear: number) => ({ label: `Hạn ${date}`, date, planYear });
  it('are found nationally and per province, each from its own entries, until a newer plan year is entered', () => {
    const entries = [
      { deadlines: [d('2023-06-20', 2024), d('2023-09-30', 2024)] },
      { province: 'Huế', deadlines: [d('2025-05-15', 2026)] },
      { province: 'Huế', deadlines: [] },
      { province: 'Cần Thơ', deadlines: [d('2026-11-26', 2027), d('2026-10-01', 2027)] },
      { province: 'Bắc Ninh', deadlines: [d('2025-01-01', 2025), d('2026-12-31', 2026)] },
    ];
    // Cần Thơ's last date is today (not past); Bắc Ninh's newest plan year is still to come.
    expect(staleCycles(entries, '2026-11-26')).toEqual([
      { province: null, planYear: 2024 },
      { province: 'Huế', planYear: 2026 },
    ]);
    expect(staleCycles(entries, '2026-11-27').map((c) => c.province)).toEqual([null, 'Cần Thơ', 'Huế']);
    entries[0].deadlines.push(d('2027-06-20', 2028));
    expect(staleCycles(entries, '2026-11-27').map((c) => c.province)).toEqual(['Cần Thơ', 'Huế']);
  });
});
