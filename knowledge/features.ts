import { CONCEPTS } from './synonyms.ts';
import { accentKey } from './vietnamese-text.ts';

/**
 * Function words (folded) that say nothing about the topic. Ambiguous folds that can carry
 * meaning ("dang" = đang / đăng, "hoi" = hỏi / hội, "khi" = khi / khí) are deliberately absent.
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'la cua va co khong duoc cho thi ma nay nao gi a oi voi cac nhung mot bi de o toi minh em anh chi ban ad admin ' +
    'xin vay roi nhe nha ha the sao nhu ve tu den trong khi neu se da cung rat lai vao len u uh vang hay hoac muon biet ' +
    'giup dum ho giup minh cho hoi vui long nhi a ak ah oke ok thoi day do kia ay nhieu it'
  ).split(' '),
);

/** Weights of the feature kinds when a question is scored. */
export const FEATURE_WEIGHT: Readonly<Record<string, number>> = { u: 1, b: 0.9, c: 0.7, a: 0.25 };

const MAX_PHRASE = Math.max(
  ...Object.values(CONCEPTS)
    .flat()
    .map((p) => p.split(' ').length),
);
const PHRASE_TO_CONCEPT = new Map<string, string[]>();
// Every leading run of words of a concept phrase, so a phrase that can no longer match stops growing.
const PHRASE_PREFIXES = new Set<string>();
for (const [concept, phrases] of Object.entries(CONCEPTS)) {
  for (const phrase of phrases) {
    const words = phrase.split(' ');
    for (let len = 1; len <= words.length; len++) PHRASE_PREFIXES.add(words.slice(0, len).join(' '));
    const list = PHRASE_TO_CONCEPT.get(phrase) ?? [];
    list.push(concept);
    PHRASE_TO_CONCEPT.set(phrase, list);
  }
}

/**
 * Turns syllables into weighted features: folded unigrams (u:), folded bigrams (b:), concepts
 * (c:) and, for syllables typed with diacritics, accented keys (a:) that let the accented reading
 * win a tie.
 */
export function extractFeatures(
  tokens: readonly string[],
  folded: readonly string[],
  accented: boolean,
): Map<string, number> {
  const out = new Map<string, number>();
  const add = (key: string, n = 1) => out.set(key, (out.get(key) ?? 0) + n);
  for (let i = 0; i < folded.length; i++) {
    const f = folded[i];
    if (!STOPWORDS.has(f)) add(`u:${f}`);
    if (i + 1 < folded.length) add(`b:${f}_${folded[i + 1]}`);
    if (accented && tokens[i] !== f) add(`a:${accentKey(tokens[i])}`);
    let phrase = '';
    for (let len = 1; len <= MAX_PHRASE && i + len <= folded.length; len++) {
      phrase = len === 1 ? f : `${phrase} ${folded[i + len - 1]}`;
      if (!PHRASE_PREFIXES.has(phrase)) break;
      const concepts = PHRASE_TO_CONCEPT.get(phrase);
      if (concepts) for (const c of concepts) out.set(`c:${c}`, 1);
    }
  }
  return out;
}
