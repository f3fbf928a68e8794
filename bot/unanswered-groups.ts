import type { OfficerIdentity } from './officers.ts';
import type { UnansweredMark, UnansweredQuestion } from './stores.ts';

/** Unanswered questions that say the same thing, for a curator to act on once. */
export interface UnansweredGroup {
  /** The normalised text of the group's most asked question: its id in the tab and the API. */
  key: string;
  /** The most asked wording, as stored (personal data masked). */
  text: string;
  /** Distinct wordings, most asked first, at most MAX_TEXTS. */
  texts: string[];
  /** Every normalised text in the group (what a mark applies to). */
  normalized: string[];
  count: number;
  first: Date;
  last: Date;
  channels: string[];
  /** Provinces of the askers where the conversation knew them. */
  provinces: string[];
  /** How many were fallbacks, how many a rejected "Ý bạn là…". */
  reasons: { fallback: number; 'rejected-clarification': number };
  /** Open, or the curator's mark when it covers every question of the group (a later one reopens it). */
  status: 'open' | UnansweredMark['status'];
  mark?: { status: UnansweredMark['status']; actor: string; at: Date };
}

/**
 * The scopes a curator marks for and reads marks of: an administrator's marks are the
 * administrators' (''), a province curator's are each of their provinces'. One province's curator
 * does not close a question for another province's.
 */
export function markScopes(identity: OfficerIdentity): string[] {
  if (identity.roles.includes('admin')) return [''];
  return [...new Set(identity.grants.flatMap((g) => (g.role === 'curator' && g.province ? [g.province] : [])))].sort();
}

/**
 * One mark per normalised text for a curator with these scopes: the oldest of its scopes' marks,
 * and only where every scope has marked it (a curator of two provinces sees a question closed
 * once both are).
 */
export function marksFor(marks: readonly UnansweredMark[], scopes: readonly string[]): UnansweredMark[] {
  const byText = new Map<string, UnansweredMark[]>();
  for (const m of marks)
    if (scopes.includes(m.scope)) byText.set(m.normalized, [...(byText.get(m.normalized) ?? []), m]);
  return [...byText.values()]
    .filter((list) => new Set(list.map((m) => m.scope)).size === scopes.length)
    .map((list) => list.reduce((a, b) => (a.updatedAt <= b.updatedAt ? a : b)));
}

/** Two questions whose syllables overlap at least this much (Jaccard) are grouped: "trung tâm khuyến công Bắc Ninh ở đâu" and "… Cần Thơ ở đâu" share 0.6, and are two questions. */
export const SIMILARITY = 0.7;
const MAX_TEXTS = 10;

function syllables(normalized: string): Set<string> {
  return new Set(normalized.split(/\s+/).filter((w) => w.length > 0));
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const w of a) if (b.has(w)) shared += 1;
  const union = a.size + b.size - shared;
  return union === 0 ? 1 : shared / union;
}

/**
 * Groups unanswered questions by the normalised text the retriever computes (no diacritics,
 * shorthand expanded), then joins texts whose syllables overlap at least SIMILARITY with a more
 * asked one. Most asked groups first.
 */
export function groupUnanswered(
  questions: readonly UnansweredQuestion[],
  marks: readonly UnansweredMark[],
): UnansweredGroup[] {
  const byText = new Map<string, UnansweredQuestion[]>();
  for (const q of questions) {
    const list = byText.get(q.normalized) ?? [];
    list.push(q);
    byText.set(q.normalized, list);
  }
  const texts = [...byText.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
  const clusters: { words: Set<string>; members: [string, UnansweredQuestion[]][] }[] = [];
  for (const entry of texts) {
    const words = syllables(entry[0]);
    const home = clusters.find((c) => jaccard(c.words, words) >= SIMILARITY);
    if (home) home.members.push(entry);
    else clusters.push({ words, members: [entry] });
  }
  const marked = new Map(marks.map((m) => [m.normalized, m]));
  return clusters
    .map(({ members }) => {
      const all = members.flatMap(([, qs]) => qs);
      const times = all.map((q) => q.createdAt.getTime());
      const wordings = new Map<string, number>();
      for (const q of all) wordings.set(q.text, (wordings.get(q.text) ?? 0) + 1);
      // Most asked first; between as many, the wording with diacritics, which reads best.
      const accents = (t: string) => t.normalize('NFD').replace(/[^\u0300-\u036f]/g, '').length;
      const ranked = [...wordings].sort((a, b) => b[1] - a[1] || accents(b[0]) - accents(a[0]));
      const last = new Date(Math.max(...times));
      // The group's mark: the oldest of its texts' marks, which must cover its last question.
      const groupMarks = members.map(([n]) => marked.get(n));
      const mark = groupMarks.every((m) => m !== undefined)
        ? groupMarks.reduce((a, b) => (a.updatedAt <= b.updatedAt ? a : b))
        : undefined;
      return {
        key: members[0][0],
        text: ranked[0][0],
        texts: ranked.slice(0, MAX_TEXTS).map(([t]) => t),
        normalized: members.map(([n]) => n),
        count: all.length,
        first: new Date(Math.min(...times)),
        last,
        channels: [...new Set(all.map((q) => q.channel))].sort(),
        provinces: [...new Set(all.flatMap((q) => (q.province ? [q.province] : [])))].sort(),
        reasons: {
          fallback: all.filter((q) => q.reason === 'fallback').length,
          'rejected-clarification': all.filter((q) => q.reason === 'rejected-clarification').length,
        },
        status: mark && mark.updatedAt >= last ? mark.status : 'open',
        ...(mark ? { mark: { status: mark.status, actor: mark.actor, at: mark.updatedAt } } : {}),
      } satisfies UnansweredGroup;
    })
    .sort((a, b) => b.count - a.count || b.last.getTime() - a.last.getTime());
}
