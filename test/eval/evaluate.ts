import { readFileSync } from 'node:fs';
import { loadContentOrThrow } from '../../adapters/content/content-files.ts';
import {
  BUNDLED_CONTENT_DIR,
  createKnowledgeBase,
  foldDiacritics,
  normalizeText,
  type KnowledgeAnswer,
  type KnowledgeBase,
} from '../../knowledge/index.ts';

/** One development question. */
export interface DevQuestion {
  expected: string | null;
  category: 'accented' | 'plain' | 'short' | 'oos';
  question: string;
  line: number;
}

/** Reads the development set (TSV: expected id or "none", category, question). */
export function readDevSet(path = new URL('./dev-questions.tsv', import.meta.url)): DevQuestion[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((raw, i) => ({ raw, line: i + 1 }))
    .filter(({ raw }) => raw.trim() !== '' && !raw.startsWith('#'))
    .map(({ raw, line }) => {
      const [expected, category, question] = raw.split('\t');
      if (!expected || !category || !question)
        throw new Error(`dev-questions.tsv:${line}: expected three tab-separated fields`);
      return {
        expected: expected === 'none' ? null : expected,
        category: category as DevQuestion['category'],
        question,
        line,
      };
    });
}

/** The bot's first pick for a question: the answered entry, the first clarification choice, or null. */
export function firstPick(answer: KnowledgeAnswer): string | null {
  if (answer.kind === 'answer') return answer.entry.id;
  if (answer.kind === 'clarify') return answer.candidates[0]?.id ?? null;
  return null;
}

interface Tally {
  n: number;
  correct: number;
}

/** The figures `npm run eval` prints and the quality test asserts. */
export interface EvalReport {
  total: number;
  inScopeTop1: number;
  inScopeAnsweredDirectly: number;
  clarifyRate: number;
  outOfScopeFallback: number;
  byCategory: Record<string, number>;
  /** Accuracy on the accented questions, and on the same questions with diacritics removed. */
  accentedTwin: { accented: number; unaccented: number; gap: number };
  shareWithoutDiacritics: number;
  shareShorthand: number;
  shareOutOfScope: number;
  copiedFromKnowledgeBase: string[];
  failures: {
    line: number;
    question: string;
    expected: string | null;
    got: string | null;
    kind: string;
    confidence: number;
  }[];
}

const pct = (t: Tally) => (t.n === 0 ? 1 : t.correct / t.n);

/** Runs the development set against a knowledge base. */
export function evaluate(
  kb: KnowledgeBase,
  questions: DevQuestion[],
  now = new Date('2026-11-26T09:00:00+07:00'),
): EvalReport {
  const byCategory = new Map<string, Tally>();
  const inScope: Tally = { n: 0, correct: 0 };
  const direct: Tally = { n: 0, correct: 0 };
  const oos: Tally = { n: 0, correct: 0 };
  const twinA: Tally = { n: 0, correct: 0 };
  const twinU: Tally = { n: 0, correct: 0 };
  let clarified = 0;
  const failures: EvalReport['failures'] = [];
  const known = new Set(kb.entries.flatMap((e) => e.questions.map((q) => normalizeText(q))));
  const copied = questions.filter((q) => known.has(normalizeText(q.question))).map((q) => q.question);

  for (const q of questions) {
    const answer = kb.answer(q.question, { now });
    const got = firstPick(answer);
    const ok = q.expected === null ? answer.kind === 'fallback' : got === q.expected;
    const cat = byCategory.get(q.category) ?? { n: 0, correct: 0 };
    cat.n += 1;
    cat.correct += ok ? 1 : 0;
    byCategory.set(q.category, cat);
    if (q.expected === null) {
      oos.n += 1;
      oos.correct += ok ? 1 : 0;
    } else {
      inScope.n += 1;
      inScope.correct += ok ? 1 : 0;
      direct.n += 1;
      direct.correct += ok && answer.kind === 'answer' ? 1 : 0;
      if (answer.kind === 'clarify') clarified += 1;
    }
    if (!ok)
      failures.push({
        line: q.line,
        question: q.question,
        expected: q.expected,
        got,
        kind: answer.kind,
        confidence: answer.confidence,
      });
    if (q.category === 'accented' && q.expected !== null) {
      twinA.n += 1;
      twinA.correct += ok ? 1 : 0;
      const folded = kb.answer(foldDiacritics(q.question), { now });
      twinU.n += 1;
      twinU.correct += firstPick(folded) === q.expected ? 1 : 0;
    }
  }
  const share = (pred: (q: DevQuestion) => boolean) => questions.filter(pred).length / questions.length;
  return {
    total: questions.length,
    inScopeTop1: pct(inScope),
    inScopeAnsweredDirectly: pct(direct),
    clarifyRate: inScope.n === 0 ? 0 : clarified / inScope.n,
    outOfScopeFallback: pct(oos),
    byCategory: Object.fromEntries([...byCategory].map(([k, t]) => [k, pct(t)])),
    accentedTwin: { accented: pct(twinA), unaccented: pct(twinU), gap: pct(twinA) - pct(twinU) },
    shareWithoutDiacritics: share((q) => foldDiacritics(q.question) === q.question),
    shareShorthand: share((q) => q.category === 'short'),
    shareOutOfScope: share((q) => q.category === 'oos'),
    copiedFromKnowledgeBase: copied,
    failures,
  };
}

/** The bundled knowledge base, built as the bot builds it. */
export function bundledKnowledgeBase(): KnowledgeBase {
  return createKnowledgeBase(loadContentOrThrow(BUNDLED_CONTENT_DIR), { timeZone: 'Asia/Ho_Chi_Minh' });
}
