import { describe, expect, it } from 'vitest';
import { redactPersonalData } from '../../bot/privacy.ts';

describe('redactPersonalData', () => {
  it.each([
    ['gọi tôi 0912 345 678 nhé', 'gọi tôi [số] nhé'],
    ['sdt +84.912.345.678', 'sdt [số]'],
    ['mst 0101234567-001', 'mst [số]'],
    ['email nguyen.van.a@gmail.com', 'email [email]'],
  ])('masks %s', (input, output) => {
    expect(redactPersonalData(input)).toBe(output);
  });

  it('leaves amounts, dates and short numbers alone', () => {
    const text = 'mua máy 300 triệu, hạn 20/6/2023, 1.200.000 đồng';
    expect(redactPersonalData(text)).toBe(text);
  });
});
