import { loadContentOrThrow } from '../../adapters/content/content-files.ts';
import { knowledgeBaseOf } from '../../adapters/content/quality.ts';
import { BUNDLED_CONTENT_DIR, type KnowledgeBase } from '../../knowledge/index.ts';

// The development set and its figures live in adapters/content/quality.ts, where the check before
// publishing uses them too; the tests and `npm run eval` read them from there.
export { evaluate, firstPick, readDevSet, type DevQuestion, type EvalReport } from '../../adapters/content/quality.ts';

/** The bundled knowledge base, built as the bot builds it. */
export function bundledKnowledgeBase(): KnowledgeBase {
  return knowledgeBaseOf(loadContentOrThrow(BUNDLED_CONTENT_DIR));
}
