import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { parse } from 'yaml';
import { createLogger } from '../../bot/logger.ts';
import { TURN_AUDIENCE } from '../../bot/request-context.ts';
import { createRuntime } from '../../bot/runtime.ts';
import { answerMetaOf } from '../../dialogs/index.ts';
import {
  createKnowledgeBase,
  foldDiacritics,
  normalizeText,
  QUESTION_SETS_DIR,
  type KnowledgeAnswer,
  type KnowledgeBase,
  type KnowledgeContent,
} from '../../knowledge/index.ts';
import { InProcessAdapter } from '../local/in-process-adapter.ts';

// The development question sets (knowledge/question-sets) and the figures `npm run eval` prints,
// the quality test asserts and a curator's draft must keep before it is published.

/** The moment the sets are answered at: deadlines in them are written against it. */
export const EVAL_NOW = new Date('2026-11-26T09:00:00+07:00');

/** One development question. */
export interface DevQuestion {
  expected: string | null;
  category: 'accented' | 'plain' | 'short' | 'oos';
  question: string;
  line: number;
}

/** A question set's lines with their numbers, blank lines and "#" comments left out. */
function tsvRows(path: URL): { raw: string; line: number }[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((raw, i) => ({ raw, line: i + 1 }))
    .filter(({ raw }) => raw.trim() !== '' && !raw.startsWith('#'));
}

/** Reads the development set (TSV: expected id or "none", category, question). */
export function readDevSet(path = new URL('dev-questions.tsv', QUESTION_SETS_DIR)): DevQuestion[] {
  return tsvRows(path).map(({ raw, line }) => {
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
  /** Each question's first pick (entry id or null), in the set's order. */
  picks: (string | null)[];
}

const pct = (t: Tally) => (t.n === 0 ? 1 : t.correct / t.n);

/** Runs the development set against a knowledge base. */
export function evaluate(kb: KnowledgeBase, questions: DevQuestion[], now = EVAL_NOW): EvalReport {
  const byCategory = new Map<string, Tally>();
  const inScope: Tally = { n: 0, correct: 0 };
  const direct: Tally = { n: 0, correct: 0 };
  const oos: Tally = { n: 0, correct: 0 };
  const twinA: Tally = { n: 0, correct: 0 };
  const twinU: Tally = { n: 0, correct: 0 };
  let clarified = 0;
  const failures: EvalReport['failures'] = [];
  const picks: (string | null)[] = [];
  const known = new Set(kb.entries.flatMap((e) => e.questions.map((q) => normalizeText(q))));
  const copied = questions.filter((q) => known.has(normalizeText(q.question))).map((q) => q.question);

  for (const q of questions) {
    const answer = kb.answer(q.question, { now });
    const got = firstPick(answer);
    picks.push(got);
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
    picks,
  };
}

/** One owner-style message and what its reply must and must not contain. */
export interface OwnerMessage {
  category: 'situation' | 'ineligible' | 'multipart' | 'plain' | 'other';
  must: RegExp[];
  mustNot: RegExp[];
  text: string;
  line: number;
}

/** One turn of a conversation. */
export interface ConversationTurn {
  say: string;
  must: RegExp[];
  mustNot: RegExp[];
}

/** A multi-turn conversation. */
export interface Conversation {
  name: string;
  turns: ConversationTurn[];
}

const regexes = (column: string | undefined): RegExp[] =>
  !column || column === '-' ? [] : column.split(' && ').map((r) => new RegExp(r, 'i'));

/** Reads the owner-style messages (TSV: category, must, mustNot, message). */
export function readOwnerMessages(path = new URL('owner-messages.tsv', QUESTION_SETS_DIR)): OwnerMessage[] {
  return tsvRows(path).map(({ raw, line }) => {
    const [category, must, mustNot, text] = raw.split('\t');
    if (!category || !must || !mustNot || !text)
      throw new Error(`owner-messages.tsv:${line}: expected four tab-separated fields`);
    return {
      category: category as OwnerMessage['category'],
      must: regexes(must),
      mustNot: regexes(mustNot),
      text,
      line,
    };
  });
}

/** Reads the multi-turn conversations. */
export function readConversations(path = new URL('conversations.yaml', QUESTION_SETS_DIR)): Conversation[] {
  const data = parse(readFileSync(path, 'utf8')) as {
    conversations: { name: string; turns: { say: string; must?: string[]; mustNot?: string[] }[] }[];
  };
  return data.conversations.map((c) => ({
    name: c.name,
    turns: c.turns.map((t) => ({
      say: t.say,
      must: (t.must ?? []).map((r) => new RegExp(r, 'i')),
      mustNot: (t.mustNot ?? []).map((r) => new RegExp(r, 'i')),
    })),
  }));
}

/** A whole bot in this process (memory state, no records), answering `content` as the channels do. */
export function inProcessBot(content: KnowledgeContent, now = EVAL_NOW, options: { officer?: boolean } = {}) {
  const logger = createLogger('warn', new Writable({ write: (_c, _e, done) => done() }));
  const runtime = createRuntime({ config: { TZ: 'Asia/Ho_Chi_Minh' }, logger, content, clock: () => now });
  // With `officer`, as Teams does: the channel is "msteams" and the turn says an officer asks.
  const adapter = new InProcessAdapter(options.officer ? 'msteams' : 'webchat');
  runtime.attach(adapter);
  const turn = async (conversationId: string, text: string) => {
    const replies = await adapter.send({ conversationId, userId: `u-${conversationId}`, text }, (context) => {
      if (options.officer) context.turnState.set(TURN_AUDIENCE, 'officer');
      return runtime.bot.run(context);
    });
    return {
      text: replies.map((r) => r.text ?? '').join('\n---\n'),
      topic: replies.map((r) => answerMetaOf(r)?.topic).find((t) => t !== undefined) ?? null,
    };
  };
  return {
    /** Sends one message in a conversation and returns the text of the bot's replies, joined. */
    say: async (conversationId: string, text: string): Promise<string> => (await turn(conversationId, text)).text,
    /** The same, with the entry the reply answered from (or null). */
    turn,
  };
}

/** Why a reply is wrong, or undefined when it is right. */
export function judge(reply: string, must: RegExp[], mustNot: RegExp[]): string | undefined {
  const missing = must.filter((r) => !r.test(reply));
  const present = mustNot.filter((r) => r.test(reply));
  if (missing.length === 0 && present.length === 0) return undefined;
  return [...missing.map((r) => `missing /${r.source}/`), ...present.map((r) => `has /${r.source}/`)].join(', ');
}

/** The owner-style figures `npm run eval` prints and the quality test asserts. */
export interface OwnerReport {
  byCategory: Record<string, { n: number; correct: number }>;
  /** Situation, ineligible, multipart and plain messages together. */
  inScope: number;
  /** Neighbouring programmes and matters that are not khuyến công, recognised as such. */
  otherRecognised: number;
  messages: number;
  conversations: number;
  turns: number;
  turnsRight: number;
  failures: { where: string; text: string; why: string; reply: string }[];
  /** Each message's, then each conversation turn's, entry answered from (or null) and whether it was right. */
  outcomes: { where: string; text: string; topic: string | null; right: boolean }[];
}

/** Runs the owner-style messages (each in a fresh conversation) and the conversations on `content`. */
export async function evaluateOwners(
  content: KnowledgeContent,
  messages = readOwnerMessages(),
  conversations = readConversations(),
): Promise<OwnerReport> {
  const bot = inProcessBot(content);
  const byCategory: OwnerReport['byCategory'] = {};
  const failures: OwnerReport['failures'] = [];
  const outcomes: OwnerReport['outcomes'] = [];
  // A check runs in a server that keeps answering: the event loop gets its turn every few messages.
  const breathe = async (i: number) => {
    if (i % 8 === 7) await new Promise(setImmediate);
  };
  for (const [i, m] of messages.entries()) {
    await breathe(i);
    const reply = await bot.turn(randomUUID(), m.text);
    const why = judge(reply.text, m.must, m.mustNot);
    const tally = (byCategory[m.category] ??= { n: 0, correct: 0 });
    tally.n += 1;
    const where = `owner-messages.tsv:${m.line} ${m.category}`;
    outcomes.push({ where, text: m.text, topic: reply.topic, right: !why });
    if (why) failures.push({ where, text: m.text, why, reply: reply.text });
    else tally.correct += 1;
  }
  let turns = 0;
  let turnsRight = 0;
  for (const [i, c] of conversations.entries()) {
    await breathe(i);
    const id = randomUUID();
    for (const [i, t] of c.turns.entries()) {
      const reply = await bot.turn(id, t.say);
      const why = judge(reply.text, t.must, t.mustNot);
      turns += 1;
      const where = `conversation "${c.name}" turn ${i + 1}`;
      outcomes.push({ where, text: t.say, topic: reply.topic, right: !why });
      if (why) failures.push({ where, text: t.say, why, reply: reply.text });
      else turnsRight += 1;
    }
  }
  const share = (cats: string[]) => {
    const n = cats.reduce((a, c) => a + (byCategory[c]?.n ?? 0), 0);
    return n === 0 ? 1 : cats.reduce((a, c) => a + (byCategory[c]?.correct ?? 0), 0) / n;
  };
  return {
    byCategory,
    inScope: share(['situation', 'ineligible', 'multipart', 'plain']),
    otherRecognised: share(['other']),
    messages: messages.length,
    conversations: conversations.length,
    turns,
    turnsRight: turns === 0 ? 1 : turnsRight / turns,
    failures,
    outcomes,
  };
}

/** A knowledge base built from `content` as the bot builds it. */
export function knowledgeBaseOf(content: KnowledgeContent): KnowledgeBase {
  return createKnowledgeBase(content, { timeZone: 'Asia/Ho_Chi_Minh' });
}
