import type { AnswerContext, KnowledgeAnswer } from './answerer.ts';
import type { ConversationMemo } from './conversation.ts';
import type { KnowledgeEntry } from './schema.ts';
import { analyze, type AnalyzedText } from './vietnamese-text.ts';

/** What finding a document's point needs from the knowledge base. */
export interface DocumentPointEngine {
  retrieve(question: AnalyzedText, context: AnswerContext): KnowledgeAnswer;
  answerEntry(id: string, context: AnswerContext, detail?: boolean): KnowledgeAnswer | undefined;
  readonly entries: readonly KnowledgeEntry[];
}

/** "công văn 400", "cv400", "thông tư 28", "nghị định 235/2025": a document named by its number. */
const DOCUMENT_REF =
  /\b(?:cong van|cv|van ban|nghi dinh|thong tu|quyet dinh)\s?(\d{2,4})(?:\s(?:\d{4}|ctdp|qlkc|nd|cp|tt|btc|bct|qd|ttg))*\b/;
// What is left of "công văn 400 nói gì về cụm công nghiệp" once the document is taken out, that
// asks about the document as a whole rather than a point in it.
const ABOUT = /\b(noi gi ve|noi ve|quy dinh gi ve|quy dinh ve|co noi|de cap|nhac den|phan ve|muc ve|doan ve|ve)\b/g;
const WHOLE =
  /^(noi dung|noi dung chinh|chu yeu|tom tat|tom lai|tat ca)? ?(noi gi|quy dinh gi|la gi|co gi|gom gi|gom nhung gi|noi nhung gi|the nao|ra sao|nhu the nao)?$/;
// Who signed it, when, to whom: the document itself, which its own entry answers.
const ITSELF =
  /\b(ai ky|nguoi ky|ky ngay|ky khi nao|ky luc nao|ban hanh|ngay nao|so hieu|gui ai|gui cho ai|hieu luc)\b/;
/** A point's entry is shown whole when it is this short: the point may sit past the brief. */
const WHOLE_ANSWER_CHARS = 700;

/** The number of the document an entry about one document stands for ("document-400" → "400"). */
function documentOfTopic(memo: ConversationMemo | undefined): string | undefined {
  return memo?.topic?.match(/^document-(\d+)/)?.[1];
}

/**
 * A point of a named document ("công văn 400 nói gì về cụm công nghiệp", "cv 400 có ưu tiên sản
 * phẩm đạt giải không", or "phần về cụm công nghiệp" right after the document was summarised): the
 * answer of the entry that says that point and cites the document, rather than the document's summary.
 */
export function documentPoint(
  folded: string,
  followUp: boolean,
  context: AnswerContext,
  engine: DocumentPointEngine,
): KnowledgeAnswer | undefined {
  const named = DOCUMENT_REF.exec(folded);
  const number = named?.[1] ?? (followUp ? documentOfTopic(context.memo) : undefined);
  if (!number) return undefined;
  const rest = (named ? folded.replace(named[0], ' ') : folded)
    .replace(ABOUT, ' ')
    .replace(/\b(the con|con|vay|the|thi sao|cai|a|ad|oi|nhe|vay)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  // "công văn 400 ai ký, ngày nào": the document's own entry, whole (the signer is past its brief).
  if (named && ITSELF.test(rest)) {
    const own = engine.entries.find((e) => new RegExp(`^document-${number}\\b`).test(e.id));
    const answer = own ? engine.answerEntry(own.id, context, true) : undefined;
    return answer?.kind === 'answer' ? answer : undefined;
  }
  if (rest.split(' ').length < 2 || WHOLE.test(rest)) return undefined;
  const found = engine.retrieve(analyze(rest), context);
  const cites = (e: KnowledgeEntry) =>
    !e.id.startsWith('document-') && e.source.some((s) => new RegExp(`\\b${number}\\b`).test(s.document));
  const entry =
    found.kind === 'answer'
      ? cites(found.entry)
        ? found.entry
        : undefined
      : found.kind === 'clarify'
        ? found.candidates.find(cites)
        : undefined;
  if (!entry) return undefined;
  if (found.kind === 'answer' && entry.answer.length > WHOLE_ANSWER_CHARS) return found;
  const answer = engine.answerEntry(entry.id, context, entry.answer.length <= WHOLE_ANSWER_CHARS);
  return answer?.kind === 'answer' ? answer : undefined;
}
