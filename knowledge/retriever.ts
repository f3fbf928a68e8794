import type { KnowledgeContent } from './content-parser.ts';
import { withinOneEdit } from './edit-distance.ts';
import { extractFeatures, FEATURE_WEIGHT, STOPWORDS } from './features.ts';
import type { KnowledgeEntry } from './schema.ts';
import { CONCEPTS, DOMAIN_WORDS } from './synonyms.ts';
import { accentKey, analyze, type AnalyzedText } from './vietnamese-text.ts';

/** One scored entry for a question. */
export interface Candidate {
  entry: KnowledgeEntry;
  /** BM25 score normalised by the best score the question could reach, in [0, 1]. */
  lexical: number;
  /** Posterior of the naive Bayes classifier trained on the alternate questions. */
  probability: number;
  /** The two combined, in [0, 1]: what candidates are ranked by. */
  score: number;
}

/** What retrieval found for one question. */
export interface SearchResult {
  candidates: Candidate[];
  /** Share (IDF-weighted) of the question's content words that the knowledge base knows. */
  coverage: number;
  /** Classifier posterior of the out-of-scope class. */
  outOfScope: number;
  /** Calibrated confidence in the top candidate, in [0, 1]. */
  confidence: number;
  /** Syllables corrected for typos ("cogn" → "cong"). */
  corrections: [string, string][];
}

const K1 = 1.2;
const B = 0.6;
const ANSWER_WEIGHT = 0.3;
const TITLE_WEIGHT = 1.5;
const NB_ALPHA = 0.2;

/**
 * What the index knows of one feature, as it is built: its BM25 postings (entries and their
 * term-frequency part, (tf·(k1+1)) / (tf + k1·(1−b+b·len/avg)), computed once) and its naive
 * Bayes weights (the classes it was seen in and log((count+α)/α)).
 */
interface FeatureStats {
  idf: number;
  docs: number[];
  saturations: number[];
  nbClasses: number[];
  nbLogWeights: number[];
}

/**
 * Every feature's statistics packed into a few flat arrays, feature f's postings at
 * [postingStart[f], postingStart[f + 1]) and its classifier weights at [nbStart[f], nbStart[f + 1]).
 * A question's features are found with one lookup each, and what they lead to lies together:
 * kept as one object and four small typed arrays per feature, the knowledge base took about 4 MB
 * of heap in each thread rather than about 1 MB, scattered, so that inside a turn, whose other
 * work evicts the index from the CPU's caches, a search cost up to twice what it costs repeated alone.
 */
interface PackedFeatures {
  ids: Map<string, number>;
  idf: Float64Array;
  postingStart: Int32Array;
  postingDoc: Int32Array;
  postingSaturation: Float64Array;
  nbStart: Int32Array;
  nbClass: Int32Array;
  nbLogWeight: Float64Array;
}

function packFeatures(stats: Map<string, FeatureStats>): PackedFeatures {
  const count = stats.size;
  let postings = 0;
  let weights = 0;
  for (const s of stats.values()) {
    postings += s.docs.length;
    weights += s.nbClasses.length;
  }
  const packed: PackedFeatures = {
    ids: new Map(),
    idf: new Float64Array(count),
    postingStart: new Int32Array(count + 1),
    postingDoc: new Int32Array(postings),
    postingSaturation: new Float64Array(postings),
    nbStart: new Int32Array(count + 1),
    nbClass: new Int32Array(weights),
    nbLogWeight: new Float64Array(weights),
  };
  let f = 0;
  let p = 0;
  let w = 0;
  for (const [feature, s] of stats) {
    packed.ids.set(feature, f);
    packed.idf[f] = s.idf;
    packed.postingStart[f] = p;
    packed.nbStart[f] = w;
    packed.postingDoc.set(s.docs, p);
    packed.postingSaturation.set(s.saturations, p);
    packed.nbClass.set(s.nbClasses, w);
    packed.nbLogWeight.set(s.nbLogWeights, w);
    p += s.docs.length;
    w += s.nbClasses.length;
    f += 1;
  }
  packed.postingStart[count] = p;
  packed.nbStart[count] = w;
  return packed;
}

/**
 * The search index over the knowledge base: BM25 over entries (title, alternate questions and,
 * at a lower weight, the answer), a multinomial naive Bayes classifier over the alternate
 * questions with an out-of-scope class, and a syllable vocabulary for typo correction.
 *
 * The classifier is sparse and written here because natural's classifiers build a dense vector
 * over the whole vocabulary for every question (O(classes × vocabulary) per question).
 */
export class KnowledgeIndex {
  readonly entries: KnowledgeEntry[];
  private readonly features: PackedFeatures;
  private maxIdf = 1;
  private meanIdf = 1;
  // Naive Bayes: per class, the log-probability of a feature it never saw (the smoothing term).
  private nbUnseen = new Float64Array(0);
  private readonly vocabulary = new Set<string>();
  private readonly accentVocabulary = new Set<string>();
  private readonly bigrams = new Set<string>();
  private readonly deletions = new Map<string, string[]>();
  private readonly byTitle = new Map<string, KnowledgeEntry>();
  private readonly byId = new Map<string, KnowledgeEntry>();

  private constructor(content: KnowledgeContent) {
    this.entries = content.entries;
    const stats = new Map<string, FeatureStats>();
    this.buildBm25(
      this.entries.map((entry) => this.entryFeatures(entry)),
      stats,
    );
    this.buildClassifier(content, stats);
    this.features = packFeatures(stats);
    this.buildVocabulary(content);
    for (const entry of this.entries) {
      this.byId.set(entry.id, entry);
      this.byTitle.set(analyze(entry.title).folded.join(' '), entry);
      this.byTitle.set(analyze(entry.short).folded.join(' '), entry);
    }
  }

  /** Builds the index from validated content. */
  static build(content: KnowledgeContent): KnowledgeIndex {
    return new KnowledgeIndex(content);
  }

  /** The entry with this id, if any. */
  get(id: string): KnowledgeEntry | undefined {
    return this.byId.get(id);
  }

  /** The entry whose title is exactly this text (a pressed button), ignoring case and diacritics. */
  byExactTitle(text: AnalyzedText): KnowledgeEntry | undefined {
    return this.byTitle.get(text.folded.join(' '));
  }

  /** Scores every entry against a question and returns the best few with a calibrated confidence. */
  search(question: AnalyzedText, limit = 5): SearchResult {
    const corrections = this.correctTypos(question);
    const folded = question.folded.map((f) => corrections.get(f) ?? f);
    const tokens = question.tokens.map((t, i) => (corrections.has(question.folded[i]) ? folded[i] : t));
    const features = extractFeatures(tokens, folded, question.accented);

    const n = this.entries.length;
    const lexical = new Float64Array(n);
    const logp = new Float64Array(n + 1);
    let ideal = 0;
    let nbCount = 0;
    const { ids, idf, postingStart, postingDoc, postingSaturation, nbStart, nbClass, nbLogWeight } = this.features;
    for (const [feature, count] of features) {
      // Unknown features are left to the coverage measure, so they do not count twice.
      const f = ids.get(feature);
      if (f === undefined) continue;
      const postingsEnd = postingStart[f + 1];
      if (postingStart[f] < postingsEnd) {
        const scale = (FEATURE_WEIGHT[feature[0]] ?? 1) * Math.min(count, 2) * idf[f];
        // The best a typical entry can do on this feature: three occurrences at average length.
        ideal += scale * ((3 * (K1 + 1)) / (3 + K1));
        for (let i = postingStart[f]; i < postingsEnd; i++) lexical[postingDoc[i]] += scale * postingSaturation[i];
      }
      const weightsEnd = nbStart[f + 1];
      if (nbStart[f] < weightsEnd && feature[0] !== 'a') {
        nbCount += count;
        for (let i = nbStart[f]; i < weightsEnd; i++) logp[nbClass[i]] += count * nbLogWeight[i];
      }
    }

    const probabilities = this.posterior(logp, nbCount);
    const outOfScope = probabilities[n] ?? 0;
    // The best `limit` entries by score, in order; ties keep the content's order.
    const scores = new Float64Array(n);
    const best: number[] = [];
    for (let i = 0; i < n; i++) {
      const lex = ideal > 0 ? Math.min(1, lexical[i] / ideal) : 0;
      const probability = probabilities[i] ?? 0;
      if (lex === 0 && probability < 0.01) continue;
      lexical[i] = lex;
      const score = (scores[i] = 0.55 * lex + 0.45 * probability);
      if (best.length === limit && score <= scores[best[limit - 1]]) continue;
      let at = Math.min(best.length, limit - 1);
      while (at > 0 && scores[best[at - 1]] < score) at -= 1;
      best.splice(at, 0, i);
      if (best.length > limit) best.pop();
    }
    const candidates: Candidate[] = best.map((i) => ({
      entry: this.entries[i],
      lexical: lexical[i],
      probability: probabilities[i] ?? 0,
      score: scores[i],
    }));

    // A question that names the programme is about it, whatever product words it also has
    // ("làm nước mắm có được khuyến công hỗ trợ không"), so unknown words weigh half as much.
    const known = this.coverage(tokens, folded, question.accented);
    const coverage = namesProgramme(folded) ? 0.5 + 0.5 * known : known;
    const top = candidates[0];
    const confidence = top ? calibrate(top, coverage, outOfScope) : 0;
    return {
      candidates,
      coverage,
      outOfScope,
      confidence,
      corrections: [...corrections.entries()],
    };
  }

  /**
   * How much of the question the knowledge base knows: the IDF-weighted share of its content
   * syllables (with their tone marks when the user typed them, since many different words fold
   * to one unaccented syllable) averaged with the share of its syllable pairs seen in the
   * content (most Vietnamese words are two syllables, so a pair is close to a word).
   */
  private coverage(tokens: readonly string[], folded: readonly string[], accented: boolean): number {
    let known = 0;
    let total = 0;
    const pairs = { known: 0, total: 0 };
    for (let i = 0; i < folded.length; i++) {
      const f = folded[i];
      const content = !STOPWORDS.has(f) && !/^\d+$/.test(f);
      if (content) {
        const inVocabulary = this.vocabulary.has(f);
        const id = this.features.ids.get(`u:${f}`);
        const inEntries = id !== undefined && this.features.postingStart[id] < this.features.postingStart[id + 1];
        const weight = inEntries ? this.features.idf[id] : inVocabulary ? this.meanIdf : this.maxIdf;
        total += weight;
        const toneKnown = !accented || tokens[i] === f || this.accentVocabulary.has(accentKey(tokens[i]));
        if (inVocabulary && toneKnown) known += weight;
      }
      const next = folded[i + 1];
      if (next !== undefined && (content || !STOPWORDS.has(next)) && !/^\d+$/.test(f) && !/^\d+$/.test(next)) {
        pairs.total += 1;
        if (this.bigrams.has(`${f} ${next}`)) pairs.known += 1;
      }
    }
    if (total === 0) {
      // Function words only ("bạn giúp được những gì"): judge by the words themselves; a
      // question of numbers alone ("1", "2024") says nothing the knowledge base can know.
      const words = folded.filter((f) => !/^\d+$/.test(f));
      return words.length === 0 ? 0 : words.filter((f) => this.vocabulary.has(f)).length / words.length;
    }
    const syllableShare = known / total;
    return pairs.total === 0 ? syllableShare : 0.5 * syllableShare + 0.5 * (pairs.known / pairs.total);
  }

  private entryFeatures(entry: KnowledgeEntry): Map<string, number> {
    const out = new Map<string, number>();
    const addText = (text: string, weight: number) => {
      const a = analyze(text);
      for (const [f, n] of extractFeatures(a.tokens, a.folded, true)) out.set(f, (out.get(f) ?? 0) + n * weight);
    };
    addText(entry.title, TITLE_WEIGHT);
    for (const q of entry.questions) addText(q, 1);
    addText(entry.answer, ANSWER_WEIGHT);
    return out;
  }

  private buildBm25(docs: Map<string, number>[], stats: Map<string, FeatureStats>): void {
    const postings = new Map<string, { doc: number; tf: number }[]>();
    const docLength: number[] = [];
    for (const [doc, features] of docs.entries()) {
      let length = 0;
      for (const [feature, tf] of features) {
        length += tf;
        const list = postings.get(feature) ?? [];
        list.push({ doc, tf });
        postings.set(feature, list);
      }
      docLength.push(length);
    }
    const avgLength = docLength.reduce((a, b) => a + b, 0) / Math.max(1, docs.length);
    // BM25's length normalisation of each entry.
    const docNorm = docLength.map((length) => K1 * (1 - B + (B * length) / avgLength));
    const n = docs.length;
    let unigramIdfs = 0;
    let unigrams = 0;
    for (const [feature, list] of postings) {
      const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
      stats.set(feature, {
        idf,
        docs: list.map((p) => p.doc),
        saturations: list.map((p) => (p.tf * (K1 + 1)) / (p.tf + docNorm[p.doc])),
        nbClasses: [],
        nbLogWeights: [],
      });
      if (idf > this.maxIdf) this.maxIdf = idf;
      if (feature.startsWith('u:')) {
        unigramIdfs += idf;
        unigrams += 1;
      }
    }
    this.meanIdf = unigramIdfs / Math.max(1, unigrams);
  }

  private buildClassifier(content: KnowledgeContent, stats: Map<string, FeatureStats>): void {
    const classes: string[][] = content.entries.map((e) => [e.title, ...e.questions]);
    classes.push(content.outOfScope);
    const counts = new Map<string, Map<number, number>>();
    const totals: number[] = [];
    for (const [cls, texts] of classes.entries()) {
      let total = 0;
      for (const text of texts) {
        const a = analyze(text);
        for (const [f, n] of extractFeatures(a.tokens, a.folded, false)) {
          const perClass = counts.get(f) ?? new Map<number, number>();
          perClass.set(cls, (perClass.get(cls) ?? 0) + n);
          counts.set(f, perClass);
          total += n;
        }
      }
      totals.push(total);
    }
    const vocabulary = counts.size;
    this.nbUnseen = Float64Array.from(totals, (total) => Math.log(NB_ALPHA / (total + NB_ALPHA * vocabulary)));
    for (const [f, perClass] of counts) {
      const feature = stats.get(f) ?? { idf: 0, docs: [], saturations: [], nbClasses: [], nbLogWeights: [] };
      feature.nbClasses = [...perClass.keys()];
      feature.nbLogWeights = [...perClass.values()].map((c) => Math.log((c + NB_ALPHA) / NB_ALPHA));
      stats.set(f, feature);
    }
  }

  /**
   * The classifier's posterior over the entries and, last, the out-of-scope class, from the
   * summed log-weights of the question's `count` known features (turned into the posterior in place).
   */
  private posterior(logp: Float64Array, count: number): Float64Array {
    if (count === 0) return logp.fill(0);
    const classes = logp.length;
    let max = -Infinity;
    for (let cls = 0; cls < classes; cls++) {
      logp[cls] += count * this.nbUnseen[cls];
      if (logp[cls] > max) max = logp[cls]!;
    }
    // A temperature that grows with the question's length keeps long questions from being overconfident.
    const temperature = 1 + count / 4;
    let sum = 0;
    for (let cls = 0; cls < classes; cls++) {
      logp[cls] = Math.exp((logp[cls] - max) / temperature);
      sum += logp[cls];
    }
    for (let cls = 0; cls < classes; cls++) logp[cls] /= sum;
    return logp;
  }

  private buildVocabulary(content: KnowledgeContent): void {
    // Concept phrases and product words are domain vocabulary, even where no entry uses them yet.
    const texts = [
      ...content.entries.flatMap((e) => [e.title, e.answer, ...e.questions]),
      ...Object.values(CONCEPTS).flat(),
      ...DOMAIN_WORDS,
    ];
    for (const text of texts) {
      const { folded, tokens } = analyze(text);
      folded.forEach((f, i) => {
        this.vocabulary.add(f);
        this.accentVocabulary.add(accentKey(tokens[i]));
        if (i + 1 < folded.length) this.bigrams.add(`${f} ${folded[i + 1]}`);
      });
    }
    for (const word of this.vocabulary) {
      if (word.length < 3 || /\d/.test(word)) continue;
      for (const variant of deletionVariants(word)) {
        const list = this.deletions.get(variant) ?? [];
        list.push(word);
        this.deletions.set(variant, list);
      }
    }
  }

  /**
   * Maps unknown syllables to a known one at edit distance 1. A correction is taken only when it
   * forms a known pair with a neighbour, or the syllable is long enough to be unambiguous, so
   * "khuyen cogn" becomes "khuyen cong" but an unrelated word is not forced into the domain.
   */
  private correctTypos(question: AnalyzedText): Map<string, string> {
    const corrections = new Map<string, string>();
    const { folded } = question;
    folded.forEach((word, i) => {
      if (word.length < 3 || this.vocabulary.has(word) || /\d/.test(word) || corrections.has(word)) return;
      const candidates = new Set<string>();
      for (const variant of [word, ...deletionVariants(word)]) {
        for (const c of this.deletions.get(variant) ?? []) candidates.add(c);
        if (this.vocabulary.has(variant) && variant.length >= 3) candidates.add(variant);
      }
      let best: string | undefined;
      let bestSupport = -1;
      for (const c of candidates) {
        if (!withinOneEdit(word, c)) continue;
        const prev = folded[i - 1];
        const next = folded[i + 1];
        const support =
          (prev && this.bigrams.has(`${prev} ${c}`) ? 1 : 0) + (next && this.bigrams.has(`${c} ${next}`) ? 1 : 0);
        if (support > bestSupport) {
          best = c;
          bestSupport = support;
        }
      }
      if (best && (bestSupport > 0 || word.length >= 6)) corrections.set(word, best);
    });
    return corrections;
  }
}

const PROGRAMME_NAMES = ['khuyen cong', 'cong nghiep nong thon'];

function namesProgramme(folded: readonly string[]): boolean {
  const text = ` ${folded.join(' ')} `;
  return PROGRAMME_NAMES.some((name) => text.includes(` ${name} `));
}

function deletionVariants(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

/**
 * Confidence from the top candidate's score, how much of the question the knowledge base knows,
 * and the classifier's belief that the question is out of scope.
 */
/** How coverage gates confidence: none below the floor, full above; tuned on the development set. */
export const CALIBRATION = { coverageFloor: 0.45, coverageFull: 0.9, scale: 1.6 };

function calibrate(top: Candidate, coverage: number, outOfScope: number): number {
  const known = Math.max(
    0,
    Math.min(1, (coverage - CALIBRATION.coverageFloor) / (CALIBRATION.coverageFull - CALIBRATION.coverageFloor)),
  );
  const raw = top.score * known * (1 - outOfScope);
  return Math.max(0, Math.min(1, raw * CALIBRATION.scale));
}
