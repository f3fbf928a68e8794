import { z } from 'zod';
import { PROVINCES } from './provinces.ts';

/** The six support areas for facilities, plus the seventh paragraph (capacity of khuyến công staff). */
export const SUPPORT_AREAS = [
  'mo-hinh-trinh-dien',
  'may-moc-thiet-bi',
  'moi-truong-ccn',
  'san-pham-tieu-bieu',
  'nguon-nhan-luc',
  'tu-van-thong-tin',
  'nang-luc-can-bo',
] as const;

const isoDate = z.iso.date();

/** Where a fact comes from, and how sure we are of it. */
export const SourceSchema = z.strictObject({
  document: z.string().min(3),
  date: isoDate.optional(),
  part: z.string().min(1).optional(),
  confidence: z.enum(['certain', 'likely']),
  via: z.string().min(3),
});

/** The period a fact applies to. */
export const ValiditySchema = z
  .strictObject({
    planYear: z.number().int().min(2000).max(2100).optional(),
    period: z.string().min(3).optional(),
    inForceFrom: isoDate.optional(),
    supersededBy: z.string().min(3).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, {
    message: 'Vui lòng ghi rõ giai đoạn hoặc năm kế hoạch mà thông tin áp dụng.',
  });

/** A dated milestone whose status ("còn X ngày" / "đã hết hạn") is computed at answer time. */
export const DeadlineSchema = z.strictObject({
  label: z.string().min(3),
  date: isoDate,
  planYear: z.number().int(),
});

/** What an id may be, in the words curators read (the form's label says the same). */
const ID_MESSAGE = 'Mã chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang "-" (ví dụ: lien-he-bac-ninh).';

/** One curated knowledge entry. */
export const EntrySchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, ID_MESSAGE),
    kind: z.enum(['fact', 'smalltalk']).default('fact'),
    title: z.string().min(3).max(80),
    /** The title on a button: Zalo shows at most 20 characters of it. */
    short: z.string().min(2).max(20),
    answer: z.string().min(20).max(1500),
    questions: z.array(z.string().min(2).max(200)).min(6),
    tags: z.strictObject({
      areas: z.array(z.enum(SUPPORT_AREAS)).default([]),
      audience: z.array(z.enum(['facility', 'officer'])).min(1),
      topic: z.string().min(2),
    }),
    source: z.array(SourceSchema).default([]),
    validity: ValiditySchema.optional(),
    deadlines: z.array(DeadlineSchema).default([]),
    followUps: z.array(z.string()).max(3).default([]),
    /**
     * The province the entry applies in (its Sở's and Trung tâm Khuyến công's contacts, its own
     * plan's dates and levels), by its name as registrations store it; absent: the whole country.
     * Its province's curators edit it; national entries are the administrators'.
     */
    province: z
      .string()
      .refine((p) => PROVINCES.some((known) => known.name === p), {
        message:
          'Tỉnh phải là một trong 34 tỉnh, thành phố, viết đúng như trong danh sách (ví dụ: "Bắc Ninh", "Cần Thơ").',
      })
      .optional(),
    /** The national entry this province entry stands in for, for users of its province. */
    localizes: z.string().optional(),
  })
  .superRefine((entry, ctx) => {
    if (entry.localizes && !entry.province)
      ctx.addIssue({
        code: 'custom',
        path: ['localizes'],
        message: 'Chỉ mục riêng của một tỉnh mới có thể thay cho một mục toàn quốc: vui lòng chọn tỉnh trước.',
      });
    if (entry.kind === 'fact' && entry.source.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['source'], message: 'Mục thông tin cần có ít nhất một nguồn.' });
    }
    if (entry.kind === 'fact' && !entry.validity) {
      ctx.addIssue({ code: 'custom', path: ['validity'], message: 'Mục thông tin cần ghi rõ giai đoạn áp dụng.' });
    }
  });

/** Examples of questions the bot does not cover, to teach the classifier what is out of scope. */
export const OutOfScopeSchema = z.strictObject({
  outOfScope: z.array(z.string().min(2)).min(10),
});

/**
 * A programme or matter that is not khuyến công (FACTS §8): recognised by its triggers (regular
 * expressions over the folded text, no diacritics, shorthand expanded), answered by saying so.
 */
export const OtherProgrammeSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, ID_MESSAGE),
    name: z.string().min(2).max(80),
    /** A programme with a body in charge, or a matter the bot does not answer at all. */
    kind: z.enum(['programme', 'not-khuyen-cong']),
    triggers: z.array(z.string().min(2)).min(1),
    /** Triggers that, when also present, mean the message is not about this programme. */
    unless: z.array(z.string().min(2)).default([]),
    answer: z.string().min(20).max(700),
    source: z.array(SourceSchema).default([]),
  })
  .superRefine((p, ctx) => {
    for (const [key, list] of [
      ['triggers', p.triggers],
      ['unless', p.unless],
    ] as const) {
      list.forEach((t, i) => {
        try {
          new RegExp(t);
        } catch {
          ctx.addIssue({
            code: 'custom',
            path: [key, i],
            message: `Mẫu nhận diện này không phải là biểu thức chính quy hợp lệ: ${t}`,
          });
          return;
        }
        const unsafe = backtrackingRisk(t);
        if (unsafe)
          ctx.addIssue({
            code: 'custom',
            path: [key, i],
            message: `Mẫu nhận diện này có thể khiến trợ lý xử lý tin nhắn rất chậm. ${unsafe}: ${t}`,
          });
      });
    }
    if (p.kind === 'programme' && p.source.length === 0)
      ctx.addIssue({ code: 'custom', path: ['source'], message: 'Chương trình cần có ít nhất một nguồn.' });
  });

/**
 * Why a trigger could take V8's backtracking matcher exponential or high-polynomial time on a
 * message (it runs over every message, on the thread that answers everyone), in the words curators
 * read, or undefined. A trigger is words, classes and optional groups, with at most two unbounded
 * repeats ("\b…\b.*\b…\b"): no repeated group (the shape of every catastrophic pattern), no
 * back-reference, 300 characters at most.
 */
export function backtrackingRisk(pattern: string): string | undefined {
  if (pattern.length > 300) return 'Mỗi mẫu nhận diện dài tối đa 300 ký tự';
  // Escapes and character classes are single characters for what follows.
  const shape = pattern.replace(/\\./g, 'x').replace(/\[(?:[^\]\\]|\\.)*\]/g, 'x');
  if (/\\[1-9]/.test(pattern)) return 'Mẫu nhận diện không được dùng tham chiếu ngược (\\1, \\2…)';
  if (/\)(?:[*+]|\{\d*,)/.test(shape))
    return 'Một nhóm trong mẫu nhận diện có thể để tùy chọn (?) nhưng không được lặp lại (*, +, {n,})';
  if ((shape.match(/[*+]|\{\d*,\d*\}/g) ?? []).length > 2)
    return 'Mỗi mẫu nhận diện có tối đa hai phép lặp (*, +, {n,})';
  return undefined;
}

/** The file of programmes that are not khuyến công. */
export const OtherProgrammesFileSchema = z.strictObject({
  otherProgrammes: z.array(OtherProgrammeSchema).min(1),
});

/** A content file: a list of entries. */
export const ContentFileSchema = z.strictObject({
  entries: z.array(EntrySchema).min(1),
});

export type KnowledgeEntry = z.output<typeof EntrySchema>;
export type Source = z.output<typeof SourceSchema>;
export type OtherProgramme = z.output<typeof OtherProgrammeSchema>;
export type Deadline = z.output<typeof DeadlineSchema>;
export type SupportArea = (typeof SUPPORT_AREAS)[number];
