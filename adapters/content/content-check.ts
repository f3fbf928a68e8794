import type { KnowledgeBase, KnowledgeContent } from '../../knowledge/index.ts';
import {
  EVAL_NOW,
  evaluate,
  evaluateOwners,
  firstPick,
  knowledgeBaseOf,
  readConversations,
  readDevSet,
  readOwnerMessages,
  type Conversation,
  type DevQuestion,
  type OwnerMessage,
} from './quality.ts';

/** The figures a content version is judged by. */
export interface QualityFigures {
  /** In-scope development questions whose first pick is the right entry. */
  inScopeTop1: number;
  /** Out-of-scope development questions met with a fallback. */
  outOfScopeFallback: number;
  /** Accented questions right, less the same questions without diacritics right. */
  accentedGap: number;
  /** Accented category right, less the plain (no diacritics) category right. */
  categoryGap: number;
  /** In-scope owner-style messages answered right. */
  ownerInScope: number;
  /** Neighbouring programmes and other matters recognised as such. */
  otherRecognised: number;
  /** Conversation turns answered right. */
  turnsRight: number;
  /** Alternate questions of the entries (those curators attached included) answered by their own entry. */
  attachedRight: number;
}

/**
 * What every content version must keep: the thresholds test/eval/quality.test.ts asserts on the
 * bundled content (one definition for both), and the entries' own questions. A draft that misses
 * one is not published unless an administrator overrides with a reason.
 */
export const THRESHOLDS: readonly {
  figure: keyof QualityFigures;
  /** Said to curators. */
  label: string;
  min?: number;
  max?: number;
}[] = [
  { figure: 'inScopeTop1', label: 'Câu hỏi mẫu được trả lời đúng mục', min: 0.95 },
  { figure: 'outOfScopeFallback', label: 'Câu hỏi ngoài phạm vi được từ chối đúng', min: 0.95 },
  { figure: 'accentedGap', label: 'Chênh lệch khi gõ không dấu (câu có dấu so với cùng câu bỏ dấu)', max: 0.03 },
  { figure: 'categoryGap', label: 'Chênh lệch giữa nhóm câu có dấu và nhóm không dấu', max: 0.03 },
  { figure: 'ownerInScope', label: 'Tin nhắn kiểu chủ cơ sở được trả lời đúng', min: 0.9 },
  { figure: 'otherRecognised', label: 'Chương trình khác được nhận ra đúng', min: 0.9 },
  { figure: 'turnsRight', label: 'Lượt hội thoại được trả lời đúng', min: 0.9 },
  { figure: 'attachedRight', label: 'Câu hỏi gắn với mục được trả lời bằng chính mục đó', min: 0.95 },
];

/** The question sets a draft is checked with. */
export interface QuestionSets {
  dev: DevQuestion[];
  owner: OwnerMessage[];
  conversations: Conversation[];
}

let sets: QuestionSets | undefined;

/** Reads the development sets from knowledge/question-sets (once per process). */
export function readQuestionSets(): QuestionSets {
  sets ??= { dev: readDevSet(), owner: readOwnerMessages(), conversations: readConversations() };
  return sets;
}

/** A question whose answer changes between the live content and the draft. */
export interface AnswerChange {
  /** Which set it is from: dev-questions.tsv:12, owner-messages.tsv:40, a conversation turn, or an entry's question. */
  where: string;
  question: string;
  kind: 'moved' | 'new-fallback' | 'new-answer';
  /** Entry ids (null: the bot fell back). */
  before: string | null;
  after: string | null;
}

/** What one content gives on every set: the figures, and each question's answer. */
interface Run {
  figures: QualityFigures;
  answers: Map<string, { question: string; topic: string | null }>;
}

/** The figures that miss their threshold. */
export interface ThresholdMiss {
  figure: keyof QualityFigures;
  label: string;
  value: number;
  min?: number;
  max?: number;
  live: number;
}

/** The check of a draft against the live content. */
export interface CheckReport {
  /** True when every figure keeps its threshold. */
  passed: boolean;
  draft: QualityFigures;
  live: QualityFigures;
  misses: ThresholdMiss[];
  changes: AnswerChange[];
  /** How many questions were answered, with each content. */
  questions: number;
  /** What each figure must keep, with its label for curators. */
  thresholds: typeof THRESHOLDS;
  ms: number;
}

/** The sets answered with one content, kept for the live content (the same object until a switch). */
const setRuns = new WeakMap<
  KnowledgeContent,
  { sets: QuestionSets; kb: KnowledgeBase; answers: Run['answers']; figures: Omit<QualityFigures, 'attachedRight'> }
>();

async function runOn(content: KnowledgeContent, sets: QuestionSets, attached: Map<string, string>): Promise<Run> {
  let base = setRuns.get(content);
  if (!base || base.sets !== sets) {
    const kb = knowledgeBaseOf(content);
    const answers: Run['answers'] = new Map();
    await new Promise(setImmediate);
    const dev = evaluate(kb, sets.dev);
    await new Promise(setImmediate);
    sets.dev.forEach((q, i) =>
      answers.set(`dev-questions.tsv:${q.line}`, { question: q.question, topic: dev.picks[i] }),
    );
    const owners = await evaluateOwners(content, sets.owner, sets.conversations);
    for (const o of owners.outcomes) answers.set(o.where, { question: o.text, topic: o.topic });
    base = {
      sets,
      kb,
      answers,
      figures: {
        inScopeTop1: dev.inScopeTop1,
        outOfScopeFallback: dev.outOfScopeFallback,
        accentedGap: dev.accentedTwin.gap,
        categoryGap: (dev.byCategory.accented ?? 0) - (dev.byCategory.plain ?? 0),
        ownerInScope: owners.inScope,
        otherRecognised: owners.otherRecognised,
        turnsRight: owners.turnsRight,
      },
    };
    setRuns.set(content, base);
  }
  const answers = new Map(base.answers);
  let right = 0;
  let asked = 0;
  for (const [question, entry] of attached) {
    if (++asked % 50 === 0) await new Promise(setImmediate);
    const topic = firstPick(base.kb.answer(question, { now: EVAL_NOW }));
    answers.set(`câu hỏi của mục ${entry}: ${question}`, { question, topic });
    if (topic === entry) right += 1;
  }
  return { answers, figures: { ...base.figures, attachedRight: attached.size === 0 ? 1 : right / attached.size } };
}

/** Each entry's alternate questions, by question: the entry they must reach. */
function attachedQuestions(content: KnowledgeContent): Map<string, string> {
  const map = new Map<string, string>();
  for (const e of content.entries) for (const q of e.questions) map.set(q, e.id);
  return map;
}

/**
 * Answers every question set with the draft and with the live content, and says what changes
 * (answers that move to another entry, new fallbacks, new answers) and which thresholds the draft
 * misses. The draft's entries' questions are asked of both, so a question a curator attached shows
 * what it was answered with before.
 */
export async function checkContent(
  draft: KnowledgeContent,
  live: KnowledgeContent,
  sets: QuestionSets = readQuestionSets(),
): Promise<CheckReport> {
  const started = performance.now();
  const attached = attachedQuestions(draft);
  const before = await runOn(live, sets, attached);
  const after = await runOn(draft, sets, attached);
  const changes: AnswerChange[] = [];
  for (const [where, now] of after.answers) {
    const was = before.answers.get(where)?.topic ?? null;
    if (was === now.topic) continue;
    changes.push({
      where,
      question: now.question,
      kind: now.topic === null ? 'new-fallback' : was === null ? 'new-answer' : 'moved',
      before: was,
      after: now.topic,
    });
  }
  const misses: ThresholdMiss[] = [];
  for (const t of THRESHOLDS) {
    const value = after.figures[t.figure];
    if ((t.min !== undefined && value < t.min) || (t.max !== undefined && value > t.max))
      misses.push({ ...t, value, live: before.figures[t.figure] });
  }
  return {
    passed: misses.length === 0,
    draft: after.figures,
    live: before.figures,
    misses,
    changes,
    questions: after.answers.size,
    thresholds: THRESHOLDS,
    ms: Math.round(performance.now() - started),
  };
}
