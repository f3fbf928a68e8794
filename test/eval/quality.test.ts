import { describe, expect, it } from 'vitest';
import { bundledKnowledgeBase, evaluate, readDevSet } from './evaluate.ts';

describe('answer quality on the development set', () => {
  const questions = readDevSet();
  const report = evaluate(bundledKnowledgeBase(), questions);

  it('has the promised size and mix, and copies no alternate question', () => {
    expect(report.total).toBeGreaterThanOrEqual(250);
    expect(report.shareWithoutDiacritics).toBeGreaterThanOrEqual(0.4);
    expect(report.shareShorthand).toBeGreaterThanOrEqual(0.15);
    expect(report.shareOutOfScope).toBeGreaterThanOrEqual(0.15);
    expect(report.copiedFromKnowledgeBase).toEqual([]);
  });

  it('answers in-scope questions with the right entry first at least 95% of the time', () => {
    expect(report.inScopeTop1).toBeGreaterThanOrEqual(0.95);
  });

  it('falls back on at least 95% of out-of-scope questions', () => {
    expect(report.outOfScopeFallback).toBeGreaterThanOrEqual(0.95);
  });

  it('does as well without diacritics as with them (within 3 points)', () => {
    expect(report.accentedTwin.gap).toBeLessThanOrEqual(0.03);
    expect(report.byCategory.accented! - report.byCategory.plain!).toBeLessThanOrEqual(0.03);
  });
});
