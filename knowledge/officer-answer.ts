import type { AnswerContext, KnowledgeAnswer } from './answerer.ts';
import { entryMemo, mergeFacts } from './conversation.ts';
import { formatDateVi } from './deadlines.ts';
import { readOfficerCase } from './officer-cases.ts';
import { composeOfficerSituation, NATIONAL_BODY } from './officer-situation.ts';
import { basisText, BASIS_LEAD, understand, type Engine } from './owner-answer.ts';
import type { OwnerFacts } from './owner-facts.ts';
import type { KnowledgeEntry, Source } from './schema.ts';
import { analyze, type AnalyzedText } from './vietnamese-text.ts';

/** What composing for officers needs beyond the owners' understanding. */
export interface OfficerEngine extends Engine {
  /** The entry's deadlines, computed against today ("đã hết hạn", "còn X ngày"). */
  deadlineLines(entry: KnowledgeEntry, context: AnswerContext): string[];
  /** The owners' fallback text for a khuyến công question the sources do not answer. */
  readonly ownerFallbackText: string;
}

/** Said to an officer whose khuyến công question the sources do not answer. */
export const OFFICER_FALLBACK_TEXT =
  'Dạ, tôi không có thông tin về nội dung này trong các văn bản khuyến công tôi có (Nghị định 45/2012 được sửa bởi Nghị định 235/2025, Thông tư 28/2018/TT-BTC, Thông tư 36/2013/TT-BCT, Công văn 400/CTĐP-QLKC năm 2023). ' +
  `Đầu mối để hỏi tiếp: ${NATIONAL_BODY}.`;

/**
 * Answers an officer: the cases officers bring (decisions, places, dates of a later plan year)
 * first, then the owners' understanding of the message, composed for a colleague.
 */
export function answerOfficer(question: AnalyzedText, context: AnswerContext, engine: OfficerEngine): KnowledgeAnswer {
  const folded = question.folded.join(' ');
  const other = engine.programmes.find(folded);
  // "khuyến nông hỗ trợ máy sấy 400tr": the other programme's question, not a khuyến công case.
  if (other && !/\b(khuyen cong( quoc gia| dia phuong)?|cong nghiep nong thon)\b/.test(folded))
    return {
      kind: 'fallback',
      reason: 'other-programme',
      programme: other.id,
      text: otherProgrammeText(other.answer, other.source),
      suggestions: [],
      confidence: 1,
      memo: { ...context.memo, facts: context.memo?.facts ?? {} },
    };
  const special = readOfficerCase(question, folded, context, engine);
  if (special) return special;
  return forOfficer(understand(question, context, engine), question, context, engine);
}

/** The answer of one entry, composed for an officer. */
export function officerEntryAnswer(
  entry: KnowledgeEntry,
  context: AnswerContext,
  engine: OfficerEngine,
  confidence: number,
  lead?: string,
): KnowledgeAnswer & { kind: 'answer' } {
  const { text: body, cut } = colleagueText(entry.answer);
  const deadlines = engine.deadlineLines(entry, context);
  // The next address once: an answer that already names the national body needs only the document.
  const next = cut ? nextAddress(entry, body.includes(NATIONAL_BODY.split(' (')[0])) : undefined;
  const sources = entry.source.map(officerSource);
  const validity = validityOf(entry, body);
  // After a decision the rule follows in the same breath: one "Dạ" is enough.
  const rule = lead ? body.replace(/^Dạ, (.)/, (_, c: string) => c.toUpperCase()) : body;
  const parts = [lead, rule, ...deadlines, next].filter((p): p is string => !!p);
  return {
    kind: 'answer',
    entry,
    // Small talk has no source: no source line.
    text: sources.length > 0 ? `${parts.join('\n')}\n\nNguồn: ${sources.join('; ')}.${validity}` : parts.join('\n'),
    sources,
    followUps: engine.choices(entry.followUps),
    confidence,
  };
}

/** The owners' answer made a colleague's: the whole rule with its sources, no "hỏi Sở Công Thương". */
function forOfficer(
  answer: KnowledgeAnswer,
  question: AnalyzedText,
  context: AnswerContext,
  engine: OfficerEngine,
): KnowledgeAnswer {
  if (answer.kind === 'fallback') {
    if (answer.reason !== 'out-of-scope' || answer.text !== engine.ownerFallbackText)
      return { ...answer, text: colleagueText(answer.text).text };
    return { ...answer, text: OFFICER_FALLBACK_TEXT };
  }
  // A colleague gets the closest rule at once, the others as buttons, rather than "Ý anh/chị là…".
  if (answer.kind === 'clarify') {
    const [top, ...others] = answer.candidates;
    if (!top || answer.confidence < 0.3) return answer;
    const instead = withoutGloss(top, question, context, engine);
    if (instead) return instead;
    const reply = officerEntryAnswer(top, context, engine, answer.confidence);
    return {
      ...reply,
      followUps: engine.choices([...others.map((e) => e.id), ...top.followUps]),
      memo: officerMemo(top, context),
    };
  }
  if (answer.kind !== 'answer') return answer;
  const facts: OwnerFacts | undefined = answer.memo?.facts;
  if (answer.memo?.situation && facts) {
    const reply = composeOfficerSituation(facts);
    const entry = engine.entry(reply.entryId) ?? answer.entry;
    // "Căn cứ văn bản nào" after a case: the documents of the colleague's verdict.
    const text = answer.text.startsWith(BASIS_LEAD) ? basisText(reply.sources) : reply.text;
    return { ...answer, entry, text, sources: reply.sources };
  }
  // "KCQG có hỗ trợ xây nhà xưởng không": officers name the programme in every question, so an
  // abbreviation's gloss is the answer only to a question about the abbreviation.
  const instead = withoutGloss(answer.entry, question, context, engine);
  if (instead) return instead;
  // An entry's own answer (its phone-sized start) is recomposed whole; a composed one is cleaned.
  const head = answer.entry.answer.trim().slice(0, 40);
  if (answer.text.startsWith(head)) {
    const lead = yearLead(answer.entry, question);
    return { ...officerEntryAnswer(answer.entry, context, engine, answer.confidence, lead), memo: answer.memo };
  }
  return { ...answer, text: colleagueText(answer.text).text };
}

/** The answer to a question whose programme names made it match an abbreviation's gloss, read without them. */
function withoutGloss(
  entry: KnowledgeEntry,
  question: AnalyzedText,
  context: AnswerContext,
  engine: OfficerEngine,
): KnowledgeAnswer | undefined {
  if (entry.tags.topic !== 'glossary' || ASKS_MEANING.test(question.folded.join(' '))) return undefined;
  const bare = question.folded.join(' ').replace(PROGRAMME_NAMES, ' ').replace(/\s+/g, ' ').trim();
  if (bare.split(' ').length < 3) return undefined;
  const again = engine.retrieve(analyze(bare), context);
  if (again.kind === 'answer' && again.entry.tags.topic === 'glossary') return undefined;
  if (again.kind === 'clarify' && again.candidates[0]?.tags.topic === 'glossary') return undefined;
  return forOfficer({ ...again, memo: officerMemo(entry, context) }, analyze(bare), context, engine);
}

const ASKS_MEANING = /\b(la gi|nghia la|viet tat|la sao|hieu the nao|khac nhau|khac gi|phan biet|la cai gi)\b/;
const PROGRAMME_NAMES = /\b(khuyen cong quoc gia|khuyen cong dia phuong|cong nghiep nong thon)\b/g;

/**
 * "hạn KH 2027": the sources' dates belong to the 2024 plan; a later year's are set by that
 * year's orientation letter, and none newer is in the sources.
 */
function yearLead(entry: KnowledgeEntry, question: AnalyzedText): string | undefined {
  if (entry.tags.topic !== 'deadlines' && entry.id !== 'appraisal-two-levels') return undefined;
  if (!/\b(han|khi nao|bao gio|ngay nao|thoi han|moc)\b/.test(question.folded.join(' '))) return undefined;
  const year = question.folded.map(Number).find((n) => n >= 2025 && n <= 2100);
  if (!year) return undefined;
  return `Dạ, hạn của kế hoạch năm ${year} do văn bản định hướng kế hoạch khuyến công quốc gia năm ${year} quy định; nguồn của tôi không có văn bản nào mới hơn Công văn 400/CTĐP-QLKC (kế hoạch năm 2024: 20/6/2023 và 30/9/2023). Thông tư 36/2013/TT-BCT đặt mốc 20/5 (đơn vị gửi Sở) và 15/6 (Sở gửi Cục) trừ khi có hướng dẫn khác.`;
}

// A clause that sends the reader on to the Sở Công Thương (right for an owner, not for its officers),
// and the offers to pre-fill a form or check a facility.
const REFERRAL =
  /[,;:]?\s*(?:(?:vì vậy|nên|nếu chưa rõ,|xin)\s+)?(?:anh\/chị\s+)?(?:vui lòng |nên |hãy |có thể )?(?:hỏi|kiểm tra|liên hệ)(?: thêm| lại| trực tiếp)?[^.;]*(?<!\p{L})Sở(?!\p{L})[^.]*/iu;
const OWNER_OFFER = /^(Tôi có thể giúp anh\/chị|Tôi chỉ giúp anh\/chị)/;

/** Removes the referrals to the Sở and the owners' offers; says whether anything was cut. */
export function colleagueText(text: string): { text: string; cut: boolean } {
  let cut = false;
  const lines = text
    .trim()
    .split('\n')
    .map((line) => {
      // Sentences end at a stop followed by a space: "1.000 triệu" is one number.
      const sentences = line.split(/(?<=[.!?])\s+/).map((x) => `${x} `);
      return sentences
        .map((s) => {
          if (OWNER_OFFER.test(s.trim())) return '';
          const m = REFERRAL.exec(s);
          if (!m) return s;
          cut = true;
          const kept = s.slice(0, m.index).trim();
          // "Anh/chị hỏi Sở Công Thương …" alone says nothing to an officer.
          return kept.length >= 15 && !/^(anh\/chị|dạ,?)$/i.test(kept) ? `${kept.replace(/[,;:]$/, '')}. ` : '';
        })
        .join('')
        .trim();
    })
    // A numbered step that was only a referral leaves its number alone.
    .filter((line) => line !== '' && !/^\d+[.)]$/.test(line));
  // The steps left are numbered again, 1, 2, … within each list.
  let step = 0;
  const renumbered = lines.map((line) => {
    const m = /^\d+([.)]) /.exec(line);
    if (!m) {
      step = 0;
      return line;
    }
    step += 1;
    return `${step}${m[1]} ${line.slice(m[0].length)}`;
  });
  return { text: renumbered.join('\n'), cut };
}

/** Where an officer goes on from an entry whose owners' answer sent them to the Sở. */
function nextAddress(entry: KnowledgeEntry, bodyNamesIt: boolean): string | undefined {
  const body = bodyNamesIt ? undefined : NATIONAL_BODY;
  if (entry.id === 'level-local' || entry.id === 'local-plan')
    return 'Văn bản cần đọc: nghị quyết của Hội đồng nhân dân tỉnh về mức chi khuyến công địa phương.';
  const also = body ? `; đầu mối: ${body}` : '';
  if (entry.id === 'programme-2026-2030') return `Văn bản cần đọc: Quyết định 2646/QĐ-BCT${also}.`;
  if (entry.tags.topic === 'deadlines')
    return `Hạn thực tế của mỗi năm: văn bản định hướng kế hoạch của năm đó${also}.`;
  if (entry.tags.topic === 'support-levels')
    return `Cần đối chiếu mức hiện hành với Thông tư 64/2024/TT-BTC${body ? ` hoặc hỏi ${body}` : ''}.`;
  return body ? `Đầu mối để hỏi tiếp: ${body}.` : undefined;
}

/** "Thông tư 28/2018/TT-BTC, mức chi hỗ trợ … (theo tin báo chí)". */
function officerSource(source: Source): string {
  const date = source.date ? ` ngày ${formatDateVi(source.date)}` : '';
  const part = source.part ? `, ${source.part}` : '';
  const hedge = source.confidence === 'likely' ? ' (theo tin báo chí, chưa phải văn bản chính thức)' : '';
  return `${source.document}${date}${part}${hedge}`;
}

function validityOf(entry: KnowledgeEntry, body: string): string {
  const v = entry.validity;
  if (!v) return '';
  const parts: string[] = [];
  if (v.planYear) parts.push(`kế hoạch năm ${v.planYear}`);
  if (v.inForceFrom) parts.push(`từ ${formatDateVi(v.inForceFrom)}`);
  // The TT 64/2024 caveat is said once: the answer says it already.
  if (v.period && !v.planYear && !(/64\/2024/.test(v.period) && /64\/2024/.test(body))) parts.push(v.period);
  if (v.supersededBy) parts.push(`đã được thay bởi ${v.supersededBy}`);
  return parts.length > 0 ? ` Áp dụng: ${parts.join(', ')}.` : '';
}

function otherProgrammeText(answer: string, sources: readonly Source[]): string {
  const named = sources.map((s) => `${s.document}${s.confidence === 'likely' ? ' (theo tin báo chí)' : ''}`);
  const text = colleagueText(answer).text;
  return named.length > 0 ? `${text}\n\nNguồn: ${named.join('; ')}.` : text;
}

/** The memo of an officer's answer built here rather than by the owners' understanding. */
export function officerMemo(
  entry: KnowledgeEntry,
  context: AnswerContext,
  facts: OwnerFacts = {},
): NonNullable<KnowledgeAnswer['memo']> {
  return { ...entryMemo(entry), facts: mergeFacts(context.memo?.facts, facts) };
}
