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

  it.each([
    ['a: 1\na: 2\n', 'một trường được ghi hai lần ở cùng một chỗ'],
    ['a:\n\tb: 1\n', 'thụt lề bằng phím Tab; vui lòng thụt lề bằng dấu cách'],
    ['a: "x\n', 'thiếu một dấu đóng (thường là dấu ngoặc kép)'],
    ['answer: Dạ, nguồn: tự viết\n', 'giá trị có dấu hai chấm ": "; vui lòng đặt cả giá trị trong ngoặc kép'],
  ])('says what the YAML syntax error in %j is, in Vietnamese', (text, what) => {
    const result = parseContent([{ name: 'x.yaml', text }]);
    expect(result.ok ? [] : result.errors.map((e) => e.message)).toContain(`Tệp sai cú pháp YAML: ${what}.`);
  });

  it('reports a YAML syntax error with its line', () => {
    const result = parseContent([{ name: 'broken.yaml', text: 'entries:\n  - id: a\n    title: [unclosed\n' }]);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors[0]).toMatchObject({
        file: 'broken.yaml',
        message: 'Tệp sai cú pháp YAML: thụt lề không đúng, hoặc thiếu dấu đóng ] hay }.',
      });
  });

  it('finds duplicate ids across files and unknown follow-ups', () => {
    const result = parseContent([
      { name: 'one.yaml', text: `entries:${entry('a', '\n    followUps: [nowhere]')}` },
      { name: 'two.yaml', text: `entries:${entry('a')}` },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const messages = result.errors.map((e) => `${e.file}:${e.line}: ${e.message}`);
    expect(
      messages.some(
        (m) => m.startsWith('one.yaml:11:') && m.includes('Mục gợi ý tiếp "nowhere" không phải là mã của mục nào.'),
      ),
    ).toBe(true);
    expect(
      messages.some((m) => m.startsWith('two.yaml:') && m.includes('Mã mục "a" bị trùng (đã có ở one.yaml:')),
    ).toBe(true);
  });

  it('refuses a fact without a source or an answer that writes its own source line', () => {
    const noSource = `entries:\n  - id: x\n    title: Không nguồn\n    short: Không nguồn\n    answer: "Dạ, đây là một câu trả lời đủ dài. Nguồn: tự viết."\n    questions: [a1, a2, a3, a4, a5, a6]\n    tags: { audience: [facility], topic: t }\n    validity: { planYear: 2024 }\n`;
    const result = parseContent([{ name: 'x.yaml', text: noSource }]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.message)).toContain('entries.0.source: Mục thông tin cần có ít nhất một nguồn.');
    const ownLine = entry('a').replace(
      'answer: Dạ, đây là câu trả lời đủ dài cho mục a.',
      'answer: "Dạ, đây là câu trả lời đủ dài cho mục a. Nguồn: tự viết."',
    );
    const sourced = parseContent([{ name: 'a.yaml', text: `entries:${ownLine}` }]);
    expect(sourced.ok ? [] : sourced.errors.map((e) => e.message)).toEqual([
      'Vui lòng không tự viết dòng "Nguồn:" trong câu trả lời: dòng này được thêm tự động từ phần nguồn.',
    ]);
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
        message: 'otherProgrammes.0.triggers.0: Mẫu nhận diện này không phải là biểu thức chính quy hợp lệ: (thoi tiet',
      }),
    ]);
  });

  it('refuses a button title longer than Zalo shows, and one that another entry uses', () => {
    const long = parseContent([
      { name: 'a.yaml', text: `entries:${entry('a').replace('Ngắn a', 'Một tiêu đề ngắn quá dài')}` },
    ]);
    // zod's own message, in its Vietnamese locale.
    expect(long.ok ? [] : long.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/short: Dài quá: tối đa 20 ký tự\./),
    ]);
    const twice = parseContent([
      { name: 'a.yaml', text: `entries:${entry('a')}${entry('b').replace('Ngắn b', 'Ngắn a')}` },
    ]);
    expect(twice.ok ? [] : twice.errors.map((e) => e.message)).toEqual([
      'Tiêu đề ngắn này đã được dùng cho mục "a". Vui lòng đặt tiêu đề ngắn khác.',
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
    expect(clash).toContainEqual({
      field: 'questions.0',
      message: `Câu hỏi "${base.questions[0]}" đã thuộc mục "${base.id}": mỗi câu hỏi chỉ thuộc một mục.`,
    });
    expect(entryProblems({ ...base, id: 'new-entry', short: 'Nút mới' }, others)).toContainEqual({
      field: 'title',
      message: `Tiêu đề này đã được dùng cho mục "${base.id}". Vui lòng đặt tiêu đề khác.`,
    });
    expect(entryProblems({ ...base, id: 'Mục mới' }, others)).toEqual([
      {
        field: 'id',
        message: 'Mã chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang "-" (ví dụ: lien-he-bac-ninh).',
      },
    ]);
    expect(entryProblems({ ...base, followUps: [base.id] }, others)).toEqual([
      { field: 'followUps.0', message: 'Một mục không thể gợi ý tiếp chính nó.' },
    ]);
    expect(entryProblems({ ...base, province: 'Atlantis' }, others)).toEqual([
      {
        field: 'province',
        message:
          'Tỉnh phải là một trong 34 tỉnh, thành phố, viết đúng như trong danh sách (ví dụ: "Bắc Ninh", "Cần Thơ").',
      },
    ]);
    expect(entryProblems({ ...base, localizes: 'khong-co' }, others)).toEqual([
      {
        field: 'localizes',
        message: 'Chỉ mục riêng của một tỉnh mới có thể thay cho một mục toàn quốc: vui lòng chọn tỉnh trước.',
      },
    ]);
    expect(
      entryProblems(
        {
          ...base,
          id: 'new-entry',
          title: 'Mới',
          short: 'Mới',
          questions: ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'],
          province: 'Bắc Ninh',
          localizes: 'khong-co',
        },
        others,
      ),
    ).toEqual([
      {
        field: 'localizes',
        message: '"khong-co" không phải là mã của một mục toàn quốc, nên mục này không thể thay cho nó.',
      },
    ]);
    expect(entryProblems({ ...base, followUps: ['khong-co'] }, others)).toEqual([
      { field: 'followUps.0', message: 'Mục gợi ý tiếp "khong-co" không phải là mã của mục nào.' },
    ]);
    expect(entryProblems(base, others)).toEqual([]);
  });
});

describe("the programmes' triggers", () => {
  it.each([
    ['(?:.|.)*z', 'Một nhóm trong mẫu nhận diện có thể để tùy chọn (?) nhưng không được lặp lại (*, +, {n,})'],
    ['(a)\\1', 'Mẫu nhận diện không được dùng tham chiếu ngược (\\1, \\2…)'],
    ['a.*b.*c.*d', 'Mỗi mẫu nhận diện có tối đa hai phép lặp (*, +, {n,})'],
    ['a'.repeat(301), 'Mỗi mẫu nhận diện dài tối đa 300 ký tự'],
  ])('refuses %s, saying why in Vietnamese', (trigger, why) => {
    const result = parseContent([
      {
        name: 'o.json',
        text: JSON.stringify({
          otherProgrammes: [
            {
              id: 'thu',
              name: 'Thử',
              kind: 'not-khuyen-cong',
              triggers: [trigger],
              answer: 'Dạ, đây là câu trả lời thử.',
            },
          ],
        }),
      },
    ]);
    expect(result.ok ? [] : result.errors.map((e) => e.message)).toEqual([
      `otherProgrammes.0.triggers.0: Mẫu nhận diện này có thể khiến trợ lý xử lý tin nhắn rất chậm. ${why}: ${trigger}`,
    ]);
  });
});
