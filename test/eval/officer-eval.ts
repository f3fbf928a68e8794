import { randomUUID } from 'node:crypto';
import { QUESTION_SETS_DIR } from '../../knowledge/index.ts';
import { inProcessBot, judge, readOwnerMessages, type OwnerMessage } from './owner-eval.ts';

/** Reads the officer-style set (the owners' TSV format) from knowledge/question-sets. */
export function readOfficerQuestions(): OwnerMessage[] {
  return readOwnerMessages(new URL('officer-questions.tsv', QUESTION_SETS_DIR));
}

/** The categories of the officers' set that are khuyến công questions. */
export const OFFICER_IN_SCOPE = ['terse', 'figure', 'decision', 'procedure', 'place'];

/**
 * What every reply to an officer must not do: send them to the Sở Công Thương, their own
 * department, or speak of "tỉnh mình" as to an owner.
 */
export const NOT_FOR_A_COLLEAGUE = [
  /anh\/chị[^.\n]{0,40}(liên hệ|hỏi|kiểm tra)[^.\n]{0,60}(?<!\p{L})Sở(?!\p{L})/iu,
  /(xin|vui lòng) (hỏi|liên hệ)[^.\n]{0,30}(?<!\p{L})Sở(?!\p{L})/iu,
  /tỉnh mình/i,
];
/** What an in-scope answer to an officer must have (its source) and must not be (a fallback or a "Ý anh/chị là…"). */
const SOURCED = /\n\nNguồn: /;
const NOT_AN_ANSWER = [
  /chưa có thông tin về câu hỏi này/i,
  /không có thông tin về nội dung này/i,
  /ý anh\/chị là nội dung nào/i,
];

/** The officers' figures `npm run eval` prints and the quality test asserts. */
export interface OfficerReport {
  byCategory: Record<string, { n: number; correct: number }>;
  inScope: number;
  outOfScope: number;
  messages: number;
  failures: { where: string; text: string; why: string; reply: string }[];
}

/** Runs the officer-style questions, each in a fresh Teams conversation, as an officer. */
export async function evaluateOfficers(questions = readOfficerQuestions()): Promise<OfficerReport> {
  const bot = inProcessBot(undefined, { officer: true });
  const byCategory: OfficerReport['byCategory'] = {};
  const failures: OfficerReport['failures'] = [];
  for (const q of questions) {
    const reply = await bot.say(randomUUID(), q.text);
    const inScope = OFFICER_IN_SCOPE.includes(q.category);
    const why = judge(reply, inScope ? [...q.must, SOURCED] : q.must, [
      ...q.mustNot,
      ...NOT_FOR_A_COLLEAGUE,
      ...(inScope ? NOT_AN_ANSWER : []),
    ]);
    const tally = (byCategory[q.category] ??= { n: 0, correct: 0 });
    tally.n += 1;
    if (why) failures.push({ where: `officer-questions.tsv:${q.line} ${q.category}`, text: q.text, why, reply });
    else tally.correct += 1;
  }
  const share = (cats: string[]) => {
    const n = cats.reduce((a, c) => a + (byCategory[c]?.n ?? 0), 0);
    return n === 0 ? 1 : cats.reduce((a, c) => a + (byCategory[c]?.correct ?? 0), 0) / n;
  };
  return {
    byCategory,
    inScope: share(OFFICER_IN_SCOPE),
    outOfScope: share(Object.keys(byCategory).filter((c) => !OFFICER_IN_SCOPE.includes(c))),
    messages: questions.length,
    failures,
  };
}
