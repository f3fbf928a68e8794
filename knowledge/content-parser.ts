import { z } from 'zod';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import {
  ContentFileSchema,
  EntrySchema,
  OtherProgrammesFileSchema,
  OutOfScopeSchema,
  type KnowledgeEntry,
  type OtherProgramme,
} from './schema.ts';
import { foldDiacritics, normalizeText } from './vietnamese-text.ts';

/**
 * Curators read every problem in Vietnamese (the tab's form, `npm run kb -- validate`): zod's own
 * messages through its Vietnamese locale, the project's checks as they are written here and in the schema.
 */
const zodVietnamese = z.locales.vi().localeError;
const VIETNAMESE = {
  // The commonest problems said as a curator would say them ("Dài quá: tối đa 20 ký tự"), the
  // rest in zod's Vietnamese, which speaks of types ("mong đợi string").
  error: (issue: Parameters<typeof zodVietnamese>[0]) => {
    if (issue.code === 'too_big' && issue.origin === 'string') return `Dài quá: tối đa ${issue.maximum} ký tự.`;
    if (issue.code === 'too_small' && issue.origin === 'string')
      return Number(issue.minimum) <= 1 ? 'Chưa điền.' : `Ngắn quá: tối thiểu ${issue.minimum} ký tự.`;
    if (issue.code === 'too_big' && issue.origin === 'array') return `Nhiều quá: tối đa ${issue.maximum} dòng.`;
    if (issue.code === 'too_small' && issue.origin === 'array') return `Cần ít nhất ${issue.minimum} dòng.`;
    if (issue.code === 'invalid_type' && issue.input === undefined) return 'Chưa điền (bắt buộc).';
    return zodVietnamese(issue);
  },
};

/** What the YAML parser's commonest errors mean, said to curators; others keep the parser's words. */
const YAML_ERRORS: Record<string, string> = {
  BAD_INDENT: 'thụt lề không đúng, hoặc thiếu dấu đóng ] hay }',
  DUPLICATE_KEY: 'một trường được ghi hai lần ở cùng một chỗ',
  TAB_AS_INDENT: 'thụt lề bằng phím Tab; vui lòng thụt lề bằng dấu cách',
  MISSING_CHAR: 'thiếu một dấu đóng (thường là dấu ngoặc kép)',
  BLOCK_AS_IMPLICIT_KEY: 'giá trị có dấu hai chấm ": "; vui lòng đặt cả giá trị trong ngoặc kép',
};

/** A content file's name and text, read by whoever has the I/O. */
export interface ContentFile {
  name: string;
  text: string;
}

/** A problem found in the content, with the file and line it comes from. */
export interface ContentError {
  file: string;
  line: number;
  message: string;
  /** Where in the entry, for the cross-entry checks (`questions.2`, `short`). */
  path?: (string | number)[];
}

/** The validated knowledge content. */
export interface KnowledgeContent {
  entries: KnowledgeEntry[];
  outOfScope: string[];
  /** Programmes that are not khuyến công, recognised before retrieval. */
  otherProgrammes?: OtherProgramme[];
}

/** Result of parsing: content when there are no errors. */
export type ParseResult = { ok: true; content: KnowledgeContent } | { ok: false; errors: ContentError[] };

interface Located {
  entry: KnowledgeEntry;
  file: string;
  line: (path: (string | number)[]) => number;
}

/** Parses and validates every content file, then checks the entries against each other. */
export function parseContent(files: ContentFile[]): ParseResult {
  const errors: ContentError[] = [];
  const located: Located[] = [];
  const outOfScope: string[] = [];
  const otherProgrammes: OtherProgramme[] = [];

  for (const file of files) {
    const lineCounter = new LineCounter();
    const doc = parseDocument(file.text, { lineCounter, prettyErrors: false, uniqueKeys: true });
    const lineOf = (path: (string | number)[]) => lineForPath(doc, lineCounter, path);
    for (const err of doc.errors) {
      errors.push({
        file: file.name,
        line: lineCounter.linePos(err.pos[0]).line,
        message: `Tệp sai cú pháp YAML: ${YAML_ERRORS[err.code] ?? `${err.code}, ${err.message.split('\n')[0] ?? ''}`}.`,
      });
    }
    if (doc.errors.length > 0) continue;
    const data: unknown = doc.toJS();
    if (data && typeof data === 'object' && 'outOfScope' in data) {
      const parsed = OutOfScopeSchema.safeParse(data, VIETNAMESE);
      if (!parsed.success) {
        for (const issue of parsed.error.issues)
          errors.push({ file: file.name, line: lineOf(issue.path as (string | number)[]), message: issue.message });
      } else {
        outOfScope.push(...parsed.data.outOfScope);
      }
      continue;
    }
    if (data && typeof data === 'object' && 'otherProgrammes' in data) {
      const parsed = OtherProgrammesFileSchema.safeParse(data, VIETNAMESE);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const path = issue.path as (string | number)[];
          errors.push({ file: file.name, line: lineOf(path), message: `${path.join('.')}: ${issue.message}` });
        }
      } else {
        otherProgrammes.push(...parsed.data.otherProgrammes);
      }
      continue;
    }
    const parsed = ContentFileSchema.safeParse(data, VIETNAMESE);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = issue.path as (string | number)[];
        errors.push({
          file: file.name,
          line: lineOf(path),
          message: `${path.join('.') || '(cả tệp)'}: ${issue.message}`,
        });
      }
      continue;
    }
    parsed.data.entries.forEach((entry, i) => {
      located.push({ entry, file: file.name, line: (path) => lineOf(['entries', i, ...path]) });
    });
  }

  errors.push(...crossCheck(located));
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, content: { entries: located.map((l) => l.entry), outOfScope, otherProgrammes } };
}

function crossCheck(located: Located[]): ContentError[] {
  const errors: ContentError[] = [];
  const ids = new Map<string, Located>();
  const titles = new Map<string, string>();
  const questions = new Map<string, string>();
  for (const item of located) {
    const { entry } = item;
    const seen = ids.get(entry.id);
    if (seen)
      errors.push({
        file: item.file,
        line: item.line(['id']),
        path: ['id'],
        message: `Mã mục "${entry.id}" bị trùng (đã có ở ${seen.file}:${seen.line(['id'])}). Vui lòng đặt mã khác.`,
      });
    ids.set(entry.id, item);
    const titleKey = foldDiacritics(normalizeText(entry.title));
    const titleOwner = titles.get(titleKey);
    if (titleOwner)
      errors.push({
        file: item.file,
        line: item.line(['title']),
        path: ['title'],
        message: `Tiêu đề này đã được dùng cho mục "${titleOwner}". Vui lòng đặt tiêu đề khác.`,
      });
    titles.set(titleKey, entry.id);
    const shortKey = foldDiacritics(normalizeText(entry.short));
    const shortOwner = titles.get(shortKey);
    if (shortOwner && shortOwner !== entry.id)
      errors.push({
        file: item.file,
        line: item.line(['short']),
        path: ['short'],
        message: `Tiêu đề ngắn này đã được dùng cho mục "${shortOwner}". Vui lòng đặt tiêu đề ngắn khác.`,
      });
    titles.set(shortKey, entry.id);
    entry.questions.forEach((q, i) => {
      const key = normalizeText(q);
      const owner = questions.get(key);
      if (owner && owner !== entry.id)
        errors.push({
          file: item.file,
          line: item.line(['questions', i]),
          path: ['questions', i],
          message: `Câu hỏi "${q}" đã thuộc mục "${owner}": mỗi câu hỏi chỉ thuộc một mục.`,
        });
      questions.set(key, entry.id);
    });
    if (
      /Cục Công Thương địa phương|Cục CTĐP/.test(entry.answer) &&
      !entry.answer.includes('Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công')
    ) {
      errors.push({
        file: item.file,
        line: item.line(['answer']),
        path: ['answer'],
        message:
          'Câu trả lời nhắc đến Cục Công Thương địa phương cần nói rõ chức năng này nay thuộc Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công.',
      });
    }
    if (/nguồn\s*:/i.test(entry.answer)) {
      errors.push({
        file: item.file,
        line: item.line(['answer']),
        path: ['answer'],
        message: 'Vui lòng không tự viết dòng "Nguồn:" trong câu trả lời: dòng này được thêm tự động từ phần nguồn.',
      });
    }
  }
  for (const item of located) {
    const stands = item.entry.localizes;
    if (stands !== undefined && (!ids.has(stands) || ids.get(stands)!.entry.province !== undefined))
      errors.push({
        file: item.file,
        line: item.line(['localizes']),
        path: ['localizes'],
        message: `"${stands}" không phải là mã của một mục toàn quốc, nên mục này không thể thay cho nó.`,
      });
    item.entry.followUps.forEach((id, i) => {
      if (!ids.has(id))
        errors.push({
          file: item.file,
          line: item.line(['followUps', i]),
          path: ['followUps', i],
          message: `Mục gợi ý tiếp "${id}" không phải là mã của mục nào.`,
        });
      if (id === item.entry.id)
        errors.push({
          file: item.file,
          line: item.line(['followUps', i]),
          path: ['followUps', i],
          message: 'Một mục không thể gợi ý tiếp chính nó.',
        });
    });
  }
  return errors;
}

function lineForPath(doc: Document, counter: LineCounter, path: (string | number)[]): number {
  // Walk up the path until a node exists: a missing key is reported at its parent.
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return 1;
}

/** A problem with one field of an entry, as the curators' form shows it next to the field. */
export interface FieldProblem {
  /** The field's path in the entry: `short`, `questions.2`, `source.0.document`. */
  field: string;
  message: string;
}

/**
 * The problems of one entry checked on its own and against `others` (the rest of the content):
 * the schema and the cross-entry checks of `npm run kb -- validate`, by field.
 */
export function entryProblems(entry: unknown, others: readonly KnowledgeEntry[]): FieldProblem[] {
  const parsed = EntrySchema.safeParse(entry, VIETNAMESE);
  if (!parsed.success)
    return parsed.error.issues.map((i) => ({ field: i.path.map(String).join('.'), message: i.message }));
  // The entry comes last, so a clash with another entry is reported on it.
  const located: Located[] = [
    ...others.filter((e) => e.id !== parsed.data.id).map((e) => ({ entry: e, file: 'others', line: () => 0 })),
    { entry: parsed.data, file: 'entry', line: () => 0 },
  ];
  return crossCheck(located)
    .filter((e) => e.file === 'entry')
    .map((e) => ({ field: (e.path ?? []).map(String).join('.'), message: e.message }));
}
