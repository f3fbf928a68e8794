import { describe, expect, it } from 'vitest';
import type { UnansweredQuestion } from '../../bot/stores.ts';
import { officerIdentity } from '../../bot/officers.ts';
import { groupUnanswered, markScopes, marksFor } from '../../bot/unanswered-groups.ts';
import { foldDiacritics, normalizeText } from '../../knowledge/index.ts';

const day = (d: number) => new Date(Date.UTC(2026, 10, d, 3));
const asked = (text: string, d: number, extra: Partial<UnansweredQuestion> = {}): UnansweredQuestion => ({
  text,
  normalized: foldDiacritics(normalizeText(text)),
  channel: 'zalo',
  userHash: `h${d}`,
  reason: 'fallback',
  createdAt: day(d),
  ...extra,
});

describe('unanswered questions grouped for curators', () => {
  const questions = [
    asked('Trung tâm khuyến công Bắc Ninh ở đâu', 1, { province: 'Bắc Ninh' }),
    asked('trung tam khuyen cong bac ninh o dau', 3, { channel: 'webchat' }),
    asked('trung tâm khuyến công bắc ninh ở đâu vậy', 4, { reason: 'rejected-clarification' }),
    asked('giá vàng hôm nay', 2),
    asked('Trung tâm khuyến công Cần Thơ ở đâu', 5, { province: 'Cần Thơ' }),
  ];

  it('puts the same question with or without diacritics, and close wordings, in one group, most asked first', () => {
    const [first, ...rest] = groupUnanswered(questions, []);
    expect(first).toMatchObject({
      count: 3,
      first: day(1),
      last: day(4),
      channels: ['webchat', 'zalo'],
      provinces: ['Bắc Ninh'],
      reasons: { fallback: 2, 'rejected-clarification': 1 },
      status: 'open',
    });
    expect(first.texts).toHaveLength(3);
    // Another province's centre is another question, and gold prices have nothing to do with either.
    expect(rest.map((g) => g.text).sort()).toEqual(['Trung tâm khuyến công Cần Thơ ở đâu', 'giá vàng hôm nay']);
  });

  it('keeps a mark while it covers the last question, and reopens the group when the question comes again', () => {
    const groups = groupUnanswered(questions, []);
    const marks = groups[0].normalized.map((normalized) => ({
      normalized,
      scope: '',
      status: 'handled' as const,
      actor: 'aad:1',
      updatedAt: day(4),
    }));
    expect(groupUnanswered(questions, marks)[0].status).toBe('handled');
    const again = [...questions, asked('trung tam khuyen cong bac ninh o dau', 6)];
    const reopened = groupUnanswered(again, marks).find((g) => g.count === 4);
    expect(reopened).toMatchObject({ status: 'open', mark: { status: 'handled', actor: 'aad:1' } });
  });

  it('are marked per province: a curator of two provinces sees a question closed once both have marked it', () => {
    const who = { id: 'c1', tenantId: 't' };
    const two = officerIdentity(who, [
      { role: 'curator', province: 'Cần Thơ' },
      { role: 'curator', province: 'Bắc Ninh' },
      { role: 'officer', province: 'Hà Nội' },
    ]);
    expect(markScopes(two)).toEqual(['Bắc Ninh', 'Cần Thơ']);
    expect(markScopes(officerIdentity(who, [{ role: 'admin' }]))).toEqual(['']);
    const mark = (scope: string, d: number) => ({
      normalized: 'gia vang',
      scope,
      status: 'handled' as const,
      actor: `aad:${scope}`,
      updatedAt: day(d),
    });
    expect(marksFor([mark('Bắc Ninh', 2), mark('', 3)], markScopes(two))).toEqual([]);
    expect(marksFor([mark('Bắc Ninh', 4), mark('Cần Thơ', 2), mark('', 1)], markScopes(two))).toEqual([
      mark('Cần Thơ', 2),
    ]);
  });
});
