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

interface Posting {
  doc: number;
  tf: number;
  /** The BM25 term-frequency part for this entry, (tf·(k1+1)) / (tf + k1·(1−b+b·len/avg)), computed once. */
  saturation: number;
}

/** A feature's naive Bayes weights: the classes it was seen in and log((count+α)/α) for each. */
interface ClassWeights {
  classes: Int32Array;
  logWeights: Float64Array;
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
  private readonly postings = new Map<string, Posting[]>();
  private readonly idf = new Map<string, number>();
  private readonly docLength: number[] = [];
  // BM25's length normalisation of each entry, computed once.
  private readonly docNorm: number[] = [];
  private avgLength = 1;
  private maxIdf = 1;
  private meanIdf = 1;
  // Naive Bayes: per feature, which classes saw it and how often; per class, total count.
  private readonly nbPostings = new Map<string, ClassWeights>();
  private readonly nbTotals: number[] = [];
  private nbVocabulary = 1;
  private readonly vocabulary = new Set<string>();
  private readonly accentVocabulary = new Set<string>();
  private readonly bigrams = new Set<string>();
  private readonly deletions = new Map<string, string[]>();
  private readonly byTitle = new Map<string, KnowledgeEntry>();
  private readonly byId = new Map<string, KnowledgeEntry>();

  private constructor(content: KnowledgeContent) {
    this.entries = content.entries;
    const docs = this.entries.map((entry) => this.entryFeatures(entry));
    this.buildBm25(docs);
    this.buildClassifier(content);
    this.buildVocabulary(content);
    for (const entry of this.entries) {
      this.byId.set(entry.id, entry);
      this.byTitle.set(analyze(entry.title).folded.join(' '), entry);
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
    const tokens = question.tokens.map((t, i) => (corrections.has(question.folded[i]!) ? folded[i]! : t));
    const features = extractFeatures(tokens, folded, question.accented);

    const lexical = new Float64Array(this.entries.length);
    let ideal = 0;
    for (const [feature, count] of features) {
      const weight = (FEATURE_WEIGHT[feature[0]!] ?? 1) * Math.min(count, 2);
      const list = this.postings.get(feature);
      // Unknown features are left to the coverage measure, so they do not count twice.
      if (!list) continue;
      const idf = this.idf.get(feature)!;
      // The best a typical entry can do on this feature: three occurrences at average length.
      ideal += weight * idf * ((3 * (K1 + 1)) / (3 + K1));
      const scale = weight * idf;
      for (const { doc, saturation } of list) lexical[doc]! += scale * saturation;
    }

    const probabilities = this.classify(features);
    const outOfScope = probabilities[this.entries.length] ?? 0;
    const candidates: Candidate[] = [];
    for (let i = 0; i < this.entries.length; i++) {
      const lex = ideal > 0 ? Math.min(1, lexical[i]! / ideal) : 0;
      const probability = probabilities[i] ?? 0;
      if (lex === 0 && probability < 0.01) continue;
      candidates.push({ entry: this.entries[i]!, lexical: lex, probability, score: 0.55 * lex + 0.45 * probability });
    }
    candidates.sort((a, b) => b.score - a.score);

    // A question that names the programme is about it, whatever product words it also has
    // ("làm nước mắm có được khuyến công hỗ trợ không"), so unknown words weigh half as much.
    const known = this.coverage(tokens, folded, question.accented);
    const coverage = namesProgramme(folded) ? 0.5 + 0.5 * known : known;
    const top = candidates[0];
    const confidence = top ? calibrate(top, coverage, outOfScope) : 0;
    return {
      candidates: candidates.slice(0, limit),
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
      const f = folded[i]!;
      const content = !STOPWORDS.has(f) && !/^\d+$/.test(f);
      if (content) {
        const inVocabulary = this.vocabulary.has(f);
        const weight = this.idf.get(`u:${f}`) ?? (inVocabulary ? this.meanIdf : this.maxIdf);
        total += weight;
        const toneKnown = !accented || tokens[i] === f || this.accentVocabulary.has(accentKey(tokens[i]!));
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

  private buildBm25(docs: Map<string, number>[]): void {
    let totalLength = 0;
    docs.forEach((features, doc) => {
      let length = 0;
      for (const [feature, tf] of features) {
        length += tf;
        const list = this.postings.get(feature) ?? [];
        list.push({ doc, tf, saturation: 0 });
        this.postings.set(feature, list);
      }
      this.docLength.push(length);
      totalLength += length;
    });
    this.avgLength = totalLength / Math.max(1, docs.length);
    for (const length of this.docLength) this.docNorm.push(K1 * (1 - B + (B * length) / this.avgLength));
    const n = docs.length;
    for (const [feature, list] of this.postings) {
      for (const posting of list) posting.saturation = (posting.tf * (K1 + 1)) / (posting.tf + this.docNorm[posting.doc]!);
      const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
      this.idf.set(feature, idf);
      if (idf > this.maxIdf) this.maxIdf = idf;
    }
    const unigramIdfs = [...this.idf].filter(([f]) => f.startsWith('u:')).map(([, v]) => v);
    this.meanIdf = unigramIdfs.reduce((a, b) => a + b, 0) / Math.max(1, unigramIdfs.length);
  }

  private buildClassifier(content: KnowledgeContent): void {
    const classes: string[][] = content.entries.map((e) => [e.title, ...e.questions]);
    classes.push(content.outOfScope);
    const vocabulary = new Set<string>();
    const counts = new Map<string, Map<number, number>>();
    classes.forEach((texts, cls) => {
      let total = 0;
      for (const text of texts) {
        const a = analyze(text);
        for (const [f, n] of extractFeatures(a.tokens, a.folded, false)) {
          const perClass = counts.get(f) ?? new Map<number, number>();
          perClass.set(cls, (perClass.get(cls) ?? 0) + n);
          counts.set(f, perClass);
          vocabulary.add(f);
          total += n;
        }
      }
      this.nbTotals.push(total);
    });
    this.nbVocabulary = vocabulary.size;
    for (const [f, perClass] of counts) {
      this.nbPostings.set(f, { classes: Int32Array.from(perClass.keys()), logWeights: Float64Array.from(perClass.values(), (c) => Math.log((c + NB_ALPHA) / NB_ALPHA)) });
    }
  }

  /** Posterior over the entries and, last, the out-of-scope class. */
  private classify(features: Map<string, number>): Float64Array {
    const classes = this.nbTotals.length;
    const logp = new Float64Array(classes);
    let n = 0;
    for (const [feature, count] of features) {
      if (feature.startsWith('a:')) continue;
      const weights = this.nbPostings.get(feature);
      if (!weights) continue;
      n += count;
      const { classes: seenIn, logWeights } = weights;
      for (let i = 0; i < seenIn.length; i++) logp[seenIn[i]!]! += count * logWeights[i]!;
    }
    if (n === 0) return new Float64Array(classes);
    let max = -Infinity;
    for (let cls = 0; cls < classes; cls++) {
      logp[cls]! += n * Math.log(NB_ALPHA / (this.nbTotals[cls]! + NB_ALPHA * this.nbVocabulary));
      if (logp[cls]! > max) max = logp[cls]!;
    }
    // A temperature that grows with the question's length keeps long questions from being overconfident.
    const temperature = 1 + n / 4;
    let sum = 0;
    for (let cls = 0; cls < classes; cls++) {
      logp[cls] = Math.exp((logp[cls]! - max) / temperature);
      sum += logp[cls]!;
    }
    for (let cls = 0; cls < classes; cls++) logp[cls]! /= sum;
    return logp;
  }

  private buildVocabulary(content: KnowledgeContent): void {
    // Concept phrases and product words are domain vocabulary, even where no entry uses them yet.
    const texts = [...content.entries.flatMap((e) => [e.title, e.answer, ...e.questions]), ...Object.values(CONCEPTS).flat(), ...DOMAIN_WORDS];
    for (const text of texts) {
      const { folded, tokens } = analyze(text);
      folded.forEach((f, i) => {
        this.vocabulary.add(f);
        this.accentVocabulary.add(accentKey(tokens[i]!));
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
        const support = (prev && this.bigrams.has(`${prev} ${c}`) ? 1 : 0) + (next && this.bigrams.has(`${c} ${next}`) ? 1 : 0);
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
  const known = Math.max(0, Math.min(1, (coverage - CALIBRATION.coverageFloor) / (CALIBRATION.coverageFull - CALIBRATION.coverageFloor)));
  const raw = top.score * known * (1 - outOfScope);
  return Math.max(0, Math.min(1, raw * CALIBRATION.scale));
}
