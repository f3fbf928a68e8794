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
export { cycleStatus, localDate } from './deadlines.ts';
export type { KnowledgeEntry } from './schema.ts';
export type { ConversationMemo } from './conversation.ts';
export type { OwnerFacts } from './owner-facts.ts';
export { judgeEligibility, type Verdict } from './eligibility-rules.ts';
export { computeSupport, formatMoney, SUPPORT_LEVELS } from './support-levels.ts';
export { analyze, foldDiacritics, normalizeText, type AnalyzedText } from './vietnamese-text.ts';

/** Where the bundled content files live, relative to this module. */
export const BUNDLED_CONTENT_DIR = new URL('./content/', import.meta.url);
export {
  findProvinceExact,
  findProvinceIn,
  mergeNote,
  PROVINCES,
  SPECIAL_ZONES,
  type Province,
  type ProvinceMatch,
} from './provinces.ts';
