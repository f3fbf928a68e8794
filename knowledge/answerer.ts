import type { KnowledgeContent } from './content-parser.ts';
import type { ConversationMemo } from './conversation.ts';
import { entryMemo } from './conversation.ts';
import { answerOfficer, officerEntryAnswer, type OfficerEngine } from './officer-answer.ts';
import { OtherProgrammes } from './other-programmes.ts';
import { briefText, focusedBrief, understand } from './owner-answer.ts';
import { describeDeadlines, formatDateVi, localDate } from './deadlines.ts';
import { KnowledgeIndex, type SearchResult } from './retriever.ts';
import type { KnowledgeEntry } from './schema.ts';
import { analyze, type AnalyzedText } from './vietnamese-text.ts';
import { findProvinceInWords } from './provinces.ts';

/** A button the user can press: the title shown and the text it sends. */
export interface Choice {
  title: string;
  value: string;
}

/**
 * What the knowledge base says to a question. `memo` is what the conversation should remember
 * after it (kept by the dialogs, handed back with the next question).
 */
export type KnowledgeAnswer = (
  | { kind: 'answer'; entry: KnowledgeEntry; text: string; sources: string[]; followUps: Choice[]; confidence: number }
  | { kind: 'clarify'; text: string; choices: Choice[]; candidates: KnowledgeEntry[]; confidence: number }
  | {
      kind: 'fallback';
      reason: 'empty' | 'out-of-scope' | 'other-programme';
      text: string;
      suggestions: Choice[];
      confidence: number;
      programme?: string;
    }
) & { memo?: ConversationMemo };

/**
 * Who is asking: an owner of a facility (the plain wording) or an officer of the Sở Công Thương or
 * its Trung tâm Khuyến công (a colleague: the rule with its document, the exception, the next
 * address beyond their own department). The channel decides; knowledge/ knows no channel.
 */
export type Audience = 'owner' | 'officer';

/** Per-question context: the moment "today" is computed from, what the conversation remembers, who asks. */
export interface AnswerContext {
  now: Date;
  memo?: ConversationMemo;
  /** 'owner' when absent. */
  audience?: Audience;
}

/** The knowledge base as the dialogs see it. */
export interface KnowledgeBase {
  /** Answers a free-text question, given as typed or already analysed (its first `POLICY.maxQuestionChars` characters). */
  answer(question: string | AnalyzedText, context: AnswerContext): KnowledgeAnswer;
  /** Answers with one entry directly (a pressed button or a chosen clarification). */
  answerEntry(id: string, context: AnswerContext): KnowledgeAnswer | undefined;
  /** The entry a button title stands for, if the text is exactly one. */
  entryForTitle(text: string): KnowledgeEntry | undefined;
  /** Every entry, for export and statistics. */
  readonly entries: readonly KnowledgeEntry[];
  /** The newest plan year any national entry has deadlines for, and those deadlines counted down. */
  latestCycle(context: AnswerContext): { planYear: number; text: string } | undefined;
}

/**
 * A knowledge base whose content can be replaced while the bot runs (an operator's SIGHUP after
 * editing the content): everything holding it answers from the new content from the next call.
 */
export class ReloadableKnowledgeBase implements KnowledgeBase {
  constructor(private current: KnowledgeBase) {}

  replace(next: KnowledgeBase): void {
    this.current = next;
  }

  answer(question: string | AnalyzedText, context: AnswerContext): KnowledgeAnswer {
    return this.current.answer(question, context);
  }

  answerEntry(id: string, context: AnswerContext): KnowledgeAnswer | undefined {
    return this.current.answerEntry(id, context);
  }

  entryForTitle(text: string): KnowledgeEntry | undefined {
    return this.current.entryForTitle(text);
  }

  get entries(): readonly KnowledgeEntry[] {
    return this.current.entries;
  }

  latestCycle(context: AnswerContext): { planYear: number; text: string } | undefined {
    return this.current.latestCycle(context);
  }
}

/** Thresholds of the answering policy, tuned on the development question set. */
export const POLICY = {
  /** Below this confidence the bot does not answer. */
  answerMin: 0.4,
  /** A second candidate within this ratio of the top score makes the bot ask "Ý bạn là…". */
  closeRatio: 0.93,
  /** The classifier's out-of-scope belief above which the bot falls back. */
  outOfScopeMax: 0.5,
  /** Questions are read up to this many characters. */
  maxQuestionChars: 1000,
  /** An answer's text on a phone: whole lines up to this many characters, the rest behind "Xem chi tiết". */
  briefChars: 300,
} as const;

/** The button that shows the whole answer of the last entry. */
export const DETAIL_CHOICE: Choice = { title: 'Xem chi tiết', value: 'Xem chi tiết' };

/** Said to a question about khuyến công that the sources do not answer: the Sở Công Thương can. */
const FALLBACK_TEXT =
  'Dạ, tôi chưa có thông tin về câu hỏi này trong các văn bản khuyến công mà tôi được cung cấp. ' +
  'Tôi trả lời được về: 6 lĩnh vực hỗ trợ, ai được hỗ trợ, mức hỗ trợ, hạn đăng ký, cách lập đề án và liên hệ. ' +
  'Về khuyến công, anh/chị có thể hỏi Sở Công Thương hoặc Trung tâm Khuyến công của tỉnh mình.';

/** Said to a question on another matter: the Sở Công Thương is not the place to send it. */
const OFF_TOPIC_TEXT =
  'Dạ, câu hỏi này không thuộc chương trình khuyến công nên tôi không trả lời được. ' +
  'Tôi chỉ giải đáp về khuyến công: 6 lĩnh vực hỗ trợ, ai được hỗ trợ, mức hỗ trợ, hạn đăng ký, cách lập đề án và liên hệ.';

const EMPTY_TEXT =
  'Dạ, tôi chưa đọc được câu hỏi của anh/chị. Anh/chị hãy gõ câu hỏi về khuyến công, ví dụ: "Ai được hỗ trợ khuyến công?"';

/** Below this share of known words, a question is about another matter, not about khuyến công. */
const OFF_TOPIC_COVERAGE = 0.6;

const START_CHOICES = ['six-support-areas', 'eligibility-who', 'register-how'];

/** Builds the knowledge base from validated content. */
export function createKnowledgeBase(
  content: KnowledgeContent,
  options: { timeZone: string },
): KnowledgeBase & { index: KnowledgeIndex } {
  const index = KnowledgeIndex.build(content);
  // A province's own entries (its centre's contacts, its dates): the ones that stand in for a
  // national entry, by that entry's id and the province.
  const local = new Map<string, Map<string, KnowledgeEntry>>();
  for (const e of content.entries) {
    if (!e.province || !e.localizes) continue;
    const byProvince = local.get(e.localizes) ?? new Map<string, KnowledgeEntry>();
    local.set(e.localizes, byProvince.set(e.province, e));
  }
  const programmes = new OtherProgrammes(content.otherProgrammes ?? []);
  const choiceFor = (id: string): Choice | undefined => {
    const entry = index.get(id);
    return entry ? { title: entry.short, value: entry.title } : undefined;
  };
  const choices = (ids: readonly string[]) =>
    ids
      .map(choiceFor)
      .filter((c): c is Choice => c !== undefined)
      .slice(0, 3);

  // What an answer says that does not depend on the day, composed once per entry: the whole
  // answer, the part that fits a phone (the rest behind "Xem chi tiết") and a short source line.
  const fixed = new Map<
    string,
    { answer: string; brief: string; sources: string[]; sourceLine: string; followUps: Choice[] }
  >();
  const fixedParts = (entry: KnowledgeEntry) => {
    let parts = fixed.get(entry.id);
    if (!parts) {
      const sources = entry.source.map(sourceLabel);
      const answer = entry.answer.trim();
      parts = {
        answer,
        brief: briefText(entry, [], POLICY.briefChars),
        sources,
        sourceLine: sourceLineOf(entry),
        followUps: choices(entry.followUps),
      };
      fixed.set(entry.id, parts);
    }
    return parts;
  };
  const compose = (
    entry: KnowledgeEntry,
    context: AnswerContext,
    confidence: number,
    detail = false,
    focus: readonly string[] = [],
  ): KnowledgeAnswer => {
    const { answer, brief, sources, sourceLine, followUps } = fixedParts(entry);
    // "nghị định 235 có ưu tiên phụ nữ không": the sentence that says it, even past the brief.
    const shown = detail || brief === answer ? answer : focusedBrief(answer, brief, focus);
    const more = shown !== answer;
    const parts = [shown];
    if (entry.deadlines.length > 0) {
      const today = localDate(context.now, options.timeZone);
      parts.push(describeDeadlines(entry.deadlines, today).join('\n'));
    }
    // The source line stands apart (a blank line before it), as the Teams card expects.
    return {
      kind: 'answer',
      entry,
      text: `${parts.join('\n')}${sourceLine ? `\n\n${sourceLine}` : ''}`,
      sources: [...sources],
      followUps: more ? [DETAIL_CHOICE, ...followUps] : [...followUps],
      confidence,
    };
  };

  const fallback = (reason: 'empty' | 'out-of-scope', confidence: number, offTopic = false): KnowledgeAnswer => ({
    kind: 'fallback',
    reason,
    text: reason === 'empty' ? EMPTY_TEXT : offTopic ? OFF_TOPIC_TEXT : FALLBACK_TEXT,
    suggestions: choices(START_CHOICES),
    confidence,
  });

  const deadlineLines = (entry: KnowledgeEntry, context: AnswerContext): string[] =>
    describeDeadlines(entry.deadlines, localDate(context.now, options.timeZone));
  const engine: OfficerEngine = {
    retrieve: (analyzed: AnalyzedText, context: AnswerContext) => {
      const named = findProvinceInWords(analyzed.folded)?.province.name;
      return decide(index.search(analyzed), context, named, analyzed.folded);
    },
    answerEntry: (id: string, context: AnswerContext, detail = false) => {
      const entry = index.get(id);
      if (!entry) return undefined;
      return context.audience === 'officer'
        ? officerEntryAnswer(entry, context, engine, 1)
        : compose(entry, context, 1, detail);
    },
    entry: (id: string) => index.get(id),
    choices,
    programmes,
    entries: index.entries,
    deadlineLines,
    ownerFallbackText: FALLBACK_TEXT,
  };

  return {
    index,
    entries: index.entries,
    entryForTitle: (text) => index.byExactTitle(analyze(text)),
    answerEntry: (id, context) => engine.answerEntry(id, context),
    latestCycle(context) {
      const deadlines = index.entries.filter((e) => !e.province).flatMap((e) => e.deadlines);
      if (deadlines.length === 0) return undefined;
      const planYear = Math.max(...deadlines.map((d) => d.planYear));
      const today = localDate(context.now, options.timeZone);
      return {
        planYear,
        text: describeDeadlines(
          deadlines.filter((d) => d.planYear === planYear),
          today,
        ).join('\n'),
      };
    },
    answer(question, context) {
      const analyzed = typeof question === 'string' ? analyze(question.slice(0, POLICY.maxQuestionChars)) : question;
      if (analyzed.tokens.length === 0)
        return { ...fallback('empty', 0), ...(context.memo ? { memo: context.memo } : {}) };
      const byTitle = index.byExactTitle(analyzed);
      if (byTitle)
        return {
          ...(context.audience === 'officer'
            ? officerEntryAnswer(byTitle, context, engine, 1)
            : compose(byTitle, context, 1)),
          memo: { ...entryMemo(byTitle), facts: context.memo?.facts ?? {} },
        };
      return context.audience === 'officer'
        ? answerOfficer(analyzed, context, engine)
        : understand(analyzed, context, engine);
    },
  };

  /**
   * The province an answer is for: the one the question names, else the one the conversation knows.
   * Another province's entries are never answered; the national entry is, or this province's own
   * stand-in for it.
   */
  function decide(
    result: SearchResult,
    context: AnswerContext,
    named?: string,
    focus: readonly string[] = [],
  ): KnowledgeAnswer {
    const province = named ?? context.memo?.facts.province;
    const all = result.candidates;
    const eligible = all.filter((c) => !c.entry.province || c.entry.province === province);
    const [top, ...rest] = eligible;
    // The confidence was the first candidate's: another province's entry that led is not this answer.
    const confidence =
      top && all[0] && top !== all[0] ? result.confidence * (top.score / all[0].score) : result.confidence;
    if (!top || confidence < POLICY.answerMin || result.outOfScope > POLICY.outOfScopeMax) {
      return fallback('out-of-scope', confidence, result.coverage < OFF_TOPIC_COVERAGE);
    }
    const close = rest.filter((c) => c.score >= top.score * POLICY.closeRatio).slice(0, 2);
    if (close.length > 0) {
      const candidates = [top.entry, ...close.map((c) => c.entry)];
      return {
        kind: 'clarify',
        text: 'Dạ, ý anh/chị là nội dung nào dưới đây ạ?',
        choices: candidates.map((e) => ({ title: e.short, value: e.title })),
        candidates,
        confidence: result.confidence,
      };
    }
    return localized(top.entry, context, confidence, province, named, focus);
  }

  /** A national entry answered for a province: its stand-in there, or a word that there is none yet. */
  function localized(
    entry: KnowledgeEntry,
    context: AnswerContext,
    confidence: number,
    province: string | undefined,
    named: string | undefined,
    focus: readonly string[],
  ): KnowledgeAnswer {
    if (!province || entry.province) return compose(entry, context, confidence, false, focus);
    const own = local.get(entry.id)?.get(province);
    if (own) return compose(own, context, confidence, false, focus);
    const answer = compose(entry, context, confidence, false, focus);
    // Asked about a province by name, where entries of other provinces stand in for this one.
    if (named && answer.kind === 'answer' && (local.has(entry.id) || entry.tags.topic === 'contact'))
      return {
        ...answer,
        text: `Dạ, tôi chưa có thông tin riêng của ${named}; dưới đây là thông tin chung.\n${answer.text.replace(/^Dạ, (\p{L})/u, (_, c: string) => c.toUpperCase())}`,
      };
    return answer;
  }
}

function sourceLabel(source: KnowledgeEntry['source'][number]): string {
  const date = source.date ? ` ngày ${formatDateVi(source.date)}` : '';
  const hedge = source.confidence === 'likely' ? ' (theo tin báo chí, chưa phải văn bản chính thức)' : '';
  return `${source.document}${date}${hedge}`;
}

// A source line as a phone shows it: the hedge and the date said briefly.
const ABBREVIATIONS: [RegExp, string][] = [
  [/ \(theo tin báo chí, chưa phải văn bản chính thức\)/g, ' (theo tin báo chí)'],
  [/ ngày (\d+\/\d+\/\d+)/g, ' ($1)'],
];

/** "Nguồn: Thông tư 28/2018/TT-BTC (đã được sửa đổi bởi TT 64/2024/TT-BTC, chưa rõ nội dung sửa)." */
function sourceLineOf(entry: KnowledgeEntry): string {
  if (entry.source.length === 0) return '';
  let line = `Nguồn: ${entry.source.map(sourceLabel).join('; ')}.${validityLabel(entry)}`;
  for (const [from, to] of ABBREVIATIONS) line = line.replace(from, to);
  // "Nguồn: TT 28/2018/TT-BTC. Áp dụng: theo TT 28/2018/TT-BTC (…)": the document once.
  return line.replace(/^Nguồn: ([^;]+?)\. Áp dụng: theo \1 (\(.*\))\.$/, 'Nguồn: $1 $2.');
}

function validityLabel(entry: KnowledgeEntry): string {
  const v = entry.validity;
  if (!v) return '';
  const parts: string[] = [];
  if (v.planYear) parts.push(`kế hoạch năm ${v.planYear}`);
  if (v.inForceFrom) parts.push(`từ ${formatDateVi(v.inForceFrom)}`);
  if (v.period && !v.planYear) parts.push(v.period);
  return parts.length > 0 ? ` Áp dụng: ${parts.join(', ')}.` : '';
}
