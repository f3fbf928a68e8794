import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withinOneEdit } from '../../knowledge/edit-distance.ts';

// A small alphabet makes near misses (one edit, two edits, swaps) common among random pairs.
const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'n', 'g'), maxLength: 7 });
// A word and a copy with a few random edits: substitutions, insertions, deletions, swaps.
const edited = fc
  .tuple(
    word,
    fc.array(fc.tuple(fc.constantFrom('sub', 'ins', 'del', 'swap'), fc.nat(), fc.constantFrom('a', 'b', 'x')), {
      maxLength: 2,
    }),
  )
  .map(([w, edits]) => {
    let out = w;
    for (const [kind, at, ch] of edits) {
      const i = out.length === 0 ? 0 : at % out.length;
      if (kind === 'sub') out = out.slice(0, i) + ch + out.slice(i + 1);
      else if (kind === 'ins') out = out.slice(0, i) + ch + out.slice(i);
      else if (kind === 'del') out = out.slice(0, i) + out.slice(i + 1);
      else if (i + 1 < out.length) out = out.slice(0, i) + out[i + 1] + out[i] + out.slice(i + 2);
    }
    return [w, out] as const;
  });

/**
 * The textbook optimal-string-alignment distance, as the oracle (at distance 1 it equals the
 * Damerau–Levenshtein distance). natural's DamerauLevenshteinDistance, used here before, is not
 * one: it gives 1 for "ca" → "aaa", which takes two edits, and 2 the other way round.
 */
function osaDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

describe('withinOneEdit', () => {
  it('agrees with the edit distance being at most 1, either way round', () => {
    fc.assert(
      fc.property(fc.oneof(fc.tuple(word, word), edited), ([a, b]) => {
        const expected = osaDistance(a, b) <= 1;
        expect(withinOneEdit(a, b)).toBe(expected);
        expect(withinOneEdit(b, a)).toBe(expected);
      }),
      { numRuns: 20_000 },
    );
  });

  it('takes a swap of neighbours as one edit, and two swaps or a far move as more', () => {
    expect(withinOneEdit('cogn', 'cong')).toBe(true);
    expect(withinOneEdit('khuyen', 'khuyne')).toBe(true);
    expect(withinOneEdit('abcd', 'badc')).toBe(false);
    expect(withinOneEdit('abc', 'cab')).toBe(false);
    expect(withinOneEdit('', 'a')).toBe(true);
    expect(withinOneEdit('', 'ab')).toBe(false);
    expect(withinOneEdit('ca', 'aaa')).toBe(false);
  });
});
