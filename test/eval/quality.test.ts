import { describe, expect, it } from 'vitest';
import { THRESHOLDS, type QualityFigures } from '../../adapters/content/content-check.ts';
import { bundledKnowledgeBase, evaluate, readDevSet } from './evaluate.ts';
import { evaluateOfficers, OFFICER_IN_SCOPE, readOfficerQuestions } from './officer-eval.ts';
import { evaluateOwners, readConversations, readOwnerMessages } from './owner-eval.ts';

/** The thresholds every published version must keep, as the check before publishing applies them. */
const min = (figure: keyof QualityFigures) => THRESHOLDS.find((t) => t.figure === figure)!.min!;
const max = (figure: keyof QualityFigures) => THRESHOLDS.find((t) => t.figure === figure)!.max!;

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
    expect(min('inScopeTop1')).toBe(0.95);
    expect(report.inScopeTop1).toBeGreaterThanOrEqual(min('inScopeTop1'));
  });

  it('falls back on at least 95% of out-of-scope questions', () => {
    expect(min('outOfScopeFallback')).toBe(0.95);
    expect(report.outOfScopeFallback).toBeGreaterThanOrEqual(min('outOfScopeFallback'));
  });

  it('does as well without diacritics as with them (within 3 points)', () => {
    expect([max('accentedGap'), max('categoryGap')]).toEqual([0.03, 0.03]);
    expect(report.accentedTwin.gap).toBeLessThanOrEqual(max('accentedGap'));
    expect(report.byCategory.accented - report.byCategory.plain).toBeLessThanOrEqual(max('categoryGap'));
  });
});

describe('answer quality on owner-style messages and conversations', async () => {
  const messages = readOwnerMessages();
  const conversations = readConversations();
  const report = await evaluateOwners(messages, conversations);
  const known = new Set(bundledKnowledgeBase().entries.flatMap((e) => e.questions.map((q) => q.toLowerCase().trim())));

  it('has at least 150 messages of every kind, and 30 conversations, none copied from the knowledge base', () => {
    expect(messages.length).toBeGreaterThanOrEqual(150);
    for (const category of ['situation', 'ineligible', 'multipart', 'plain', 'other'])
      expect(report.byCategory[category]?.n ?? 0).toBeGreaterThanOrEqual(15);
    expect(conversations.length).toBeGreaterThanOrEqual(30);
    expect(messages.filter((m) => known.has(m.text.toLowerCase().trim())).map((m) => m.text)).toEqual([]);
  });

  it('answers at least 90% of in-scope owner-style messages right', () => {
    expect(min('ownerInScope')).toBe(0.9);
    expect(report.inScope).toBeGreaterThanOrEqual(min('ownerInScope'));
  });

  it('recognises at least 90% of neighbouring programmes and other matters as such', () => {
    expect(min('otherRecognised')).toBe(0.9);
    expect(report.otherRecognised).toBeGreaterThanOrEqual(min('otherRecognised'));
  });

  it('gets at least 90% of conversation turns right', () => {
    expect(min('turnsRight')).toBe(0.9);
    expect(report.turnsRight).toBeGreaterThanOrEqual(min('turnsRight'));
  });
});

describe('answer quality on officer-style questions in Teams', async () => {
  const questions = readOfficerQuestions();
  const report = await evaluateOfficers(questions);
  const known = new Set(bundledKnowledgeBase().entries.flatMap((e) => e.questions.map((q) => q.toLowerCase().trim())));

  it('has at least 100 questions of every kind, none copied from the knowledge base', () => {
    expect(questions.length).toBeGreaterThanOrEqual(100);
    for (const category of [...OFFICER_IN_SCOPE, 'other'])
      expect(report.byCategory[category]?.n ?? 0).toBeGreaterThanOrEqual(15);
    expect(questions.filter((q) => known.has(q.text.toLowerCase().trim())).map((q) => q.text)).toEqual([]);
  });

  it('answers at least 90% of in-scope officer questions right, sourced and as to a colleague', () => {
    expect(report.inScope).toBeGreaterThanOrEqual(0.9);
  });

  it('gets at least 90% of out-of-scope officer questions right (other programmes named, no khuyến công levels)', () => {
    expect(report.outOfScope).toBeGreaterThanOrEqual(0.9);
  });
});
