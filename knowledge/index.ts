// What other folders may use from knowledge/.
export {
  createKnowledgeBase,
  POLICY,
  ReloadableKnowledgeBase,
  type AnswerContext,
  type Audience,
  type Choice,
  type KnowledgeAnswer,
  type KnowledgeBase,
} from './answerer.ts';
export {
  entryProblems,
  parseContent,
  type ContentError,
  type FieldProblem,
  type ContentFile,
  type KnowledgeContent,
  type ParseResult,
} from './content-parser.ts';
export { contentToFiles, validateContent } from './content-versions.ts';
export { cycleStatus, localDate, staleCycles, type StaleCycle } from './deadlines.ts';
export type { KnowledgeEntry } from './schema.ts';
export type { ConversationMemo } from './conversation.ts';
export type { OwnerFacts } from './owner-facts.ts';
export { judgeEligibility, type Verdict } from './eligibility-rules.ts';
export { computeSupport, formatMoney, SUPPORT_LEVELS } from './support-levels.ts';
export { analyze, foldDiacritics, normalizeText, type AnalyzedText } from './vietnamese-text.ts';

/** Where the bundled content files live, relative to this module. */
export const BUNDLED_CONTENT_DIR = new URL('./content/', import.meta.url);
/**
 * Where the question sets live (the development set, owners' messages, conversations, officers'
 * questions): data beside the content, read by the curators' check before publishing and by the
 * quality test and `npm run eval`. Relative to this module, as the content is, so the server
 * bundle (which keeps each module's own import.meta.url) finds them too.
 */
export const QUESTION_SETS_DIR = new URL('./question-sets/', import.meta.url);
export {
  findProvinceExact,
  findProvinceIn,
  mergeNote,
  PROVINCES,
  SPECIAL_ZONES,
  type Province,
  type ProvinceMatch,
} from './provinces.ts';
