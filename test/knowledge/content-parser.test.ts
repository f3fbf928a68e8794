import { describe, expect, it } from 'vitest';
import { loadContent, loadContentOrThrow } from '../../adapters/content/content-files.ts';
import { BUNDLED_CONTENT_DIR, entryProblems, parseContent } from '../../knowledge/index.ts';

const entry = (id: string, extra = '') => `
  - id: ${id}
    title: Tiêu đề ${id}
    short: Ngắn ${id}
    answer: Dạ, đây là câu trả lời đủ dài cho mục ${id}.
    questions: [câu một ${id}, câu hai ${id}, câu ba ${id}, câu bốn ${id}, câu năm ${id}, câu sáu ${id}]
    tags: { audience: [facility], topic: test }
    source:
      - { document: Công văn số 400/CTĐP-QLKC, date: 2023-05-15, confidence: certain, via: test }
    validity: { planYear: 2024 }${extra}`;

describe('the bundled knowledge base', () => {
  it('is valid, with 60 to 120 entries of at least six questions and answers that fit one Zalo message', () => {
    const result = loadContent(BUNDLED_CONTENT_DIR);
    expect(result.ok ? [] : result.errors).toEqual([]);
    if (!result.ok) return;
    const { entries } = result.content;
    expect(entries.length).toBeGreaterThanOrEqual(60);
    expect(entries.length).toBeLessThanOrEqual(120);
    for (const e of entries) {
      expect(e.short.length).toBeLessThanOrEqual(20);
      expect(e.questions.length).toBeGreaterThanOrEqual(6);
      expect(e.answer.length).toBeLessThanOrEqual(1500);
      if (e.kind === 'fact') expect(e.source.length).toBeGreaterThan(0);
    }
  });

  it('covers each of the six support areas and the staff-capacity paragraph', () => {
    const result = loadContent(BUNDLED_CONTENT_DIR);
    if (!result.ok) throw new Error('invalid content');
    const areas = new Set(result.content.entries.flatMap((e) => e.tags.areas));
    expect(areas.size).toBe(7);
  });
});

describe('parseContent', () => {
  it('accepts a valid file', () => {
    const result = parseContent([{ name: 'a.yaml', text: `entries:${entry('a')}${entry('b')}` }]);
    expect(result.ok).toBe(true);
  });

  it('names the file and line of a missing field', () => {
    const text = `entries:${entry('a')}\n  - id: b\n    title: Thiếu câu trả lời\n`;
    const result = parseContent([{ name: 'bad.yaml', text }]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const err = result.errors.find((e) => e.message.includes('answer'));
    expect(err).toMatchObject({ file: 'bad.yaml', line: 11 });
  });

  it('reports a YAML syntax error with its line', () => {
    const result = parseContent([{ name: 'broken.yaml', text: 'entries:\n  - id: a\n    title: [unclosed\n' }]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatchObject({ file: 'broken.yaml' });
  });

  it('finds duplicate ids across files and unknown follow-ups', () => {
    const result = parseContent([
      { name: 'one.yaml', text: `entries:${entry('a', '\n    followUps: [nowhere]')}` },
      { name: 'two.yaml', text: `entries:${entry('a')}` },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const messages = result.errors.map((e) => `${e.file}:${e.line}: ${e.message}`);
    expect(messages.some((m) => m.startsWith('one.yaml:11:') && m.includes('follow-up "nowhere"'))).toBe(true);
    expect(messages.some((m) => m.startsWith('two.yaml:') && m.includes('duplicate id "a"'))).toBe(true);
  });

  it('refuses a fact without a source or an answer that writes its own source line', () => {
    const noSource = `entries:\n  - id: x\n    title: Không nguồn\n    short: Không nguồn\n    answer: "Dạ, đây là một câu trả lời đủ dài. Nguồn: tự viết."\n    questions: [a1, a2, a3, a4, a5, a6]\n    tags: { audience: [facility], topic: t }\n    validity: { planYear: 2024 }\n`;
    const result = parseContent([{ name: 'x.yaml', text: noSource }]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.message).join('\n')).toMatch(/source/);
  });

  it('refuses an answer that names the Cục Công Thương địa phương without its successor', () => {
    const old = entry('a').replace('đủ dài cho mục a.', 'gửi về Cục Công Thương địa phương trước 20/6/2023.');
    const result = parseContent([{ name: 'old.yaml', text: `entries:${old}` }]);
    expect(result.ok ? [] : result.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/Cục Đổi mới sáng tạo/),
    ]);
  });

  it('reads programmes that are not khuyến công and refuses a trigger that is not a regular expression', () => {
    const programme = (trigger: string) => `otherProgrammes:
  - id: weather
    name: Thời tiết
    kind: not-khuyen-cong
    triggers: ['${trigger}']
    answer: Dạ, thời tiết không thuộc chương trình khuyến công.
`;
    const ok = parseContent([
      { name: 'a.yaml', text: `entries:${entry('a')}` },
      { name: 'o.yaml', text: programme('\\bthoi tiet\\b') },
    ]);
    expect(ok.ok && ok.content.otherProgrammes?.map((p) => p.id)).toEqual(['weather']);
    const bad = parseContent([
      { name: 'a.yaml', text: `entries:${entry('a')}` },
      { name: 'o.yaml', text: programme('(thoi tiet') },
    ]);
    expect(bad.ok ? [] : bad.errors).toEqual([
      expect.objectContaining({
        file: 'o.yaml',
        line: 5,
        message: expect.stringMatching(/not a valid regular expression/),
      }),
    ]);
  });

  it('refuses a button title longer than Zalo shows, and one that another entry uses', () => {
    const long = parseContent([
      { name: 'a.yaml', text: `entries:${entry('a').replace('Ngắn a', 'Một tiêu đề ngắn quá dài')}` },
    ]);
    expect(long.ok ? [] : long.errors.map((e) => e.message)).toEqual([expect.stringMatching(/short: .*20/)]);
    const twice = parseContent([
      { name: 'a.yaml', text: `entries:${entry('a')}${entry('b').replace('Ngắn b', 'Ngắn a')}` },
    ]);
    expect(twice.ok ? [] : twice.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/short title also used by "a"/),
    ]);
  });
});

describe("one entry checked on its own, field by field (the curators' form)", () => {
  it('names the field of each problem, in Vietnamese where the schema speaks, and the clashes with other entries', () => {
    const others = loadContentOrThrow(BUNDLED_CONTENT_DIR).entries;
    const base = others[0];
    const short = entryProblems({ ...base, id: 'new-entry', short: 'x'.repeat(25) }, others);
    expect(short.map((p) => p.field)).toEqual(['short']);
    expect(short[0].message).toMatch(/20/);
    const clash = entryProblems({ ...base, id: 'new-entry', title: 'Một tiêu đề mới', short: 'Nút mới' }, others);
    expect(clash.map((p) => p.field)).toContain('questions.0');
    expect(entryProblems({ ...base, followUps: ['khong-co'] }, others)).toEqual([
      { field: 'followUps.0', message: 'follow-up "khong-co" is not an entry id' },
    ]);
    expect(entryProblems(base, others)).toEqual([]);
  });
});
