import { describe, expect, it } from 'vitest';
import { replyAsCard } from '../../adapters/teams/teams-cards.ts';
import { escapeMarkdown } from '../../adapters/teams/teams-markdown.ts';

describe('escapeMarkdown: user text shown literally in Teams cards and messages', () => {
  it.each([
    ['a link', '[Bấm vào đây](https://evil.example)', '\\[Bấm vào đây\\](https\\[:\\]//evil\\[.\\]example)'],
    ['an image', '![x](http://evil.example/a.png)', '!\\[x\\](http\\[:\\]//evil\\[.\\]example/a\\[.\\]png)'],
    ['an autolink', '<https://evil.example>', '\\<https\\[:\\]//evil\\[.\\]example\\>'],
    ['bold and italic', '**x** __y__ *z* _w_', '\\*\\*x\\*\\* \\_\\_y\\_\\_ \\*z\\* \\_w\\_'],
    ['code, heading, quote, table, strikethrough', '`a` # b > c | d ~~e~~', '\\`a\\` \\# b \\> c \\| d \\~\\~e\\~\\~'],
    ['list starts', '- a\n  + b\n* c\n1. d\n12) e\n===', '\\- a\n  \\+ b\n\\* c\n1\\. d\n12\\) e\n\\==='],
    ['entities and backslashes', 'a\\b &amp; &#91;', 'a\\\\b \\&amp; \\&\\#91;'],
    ['Adaptive Cards date functions', '{{DATE(2026-01-01T00:00:00Z)}}', '\\{\\{DATE(2026-01-01T00:00:00Z)\\}\\}'],
    [
      'bare addresses',
      'www.evil.vn evil.com EVIL.COM lan@gmail.com hxxp://a',
      'www\\[.\\]evil\\[.\\]vn evil\\[.\\]com EVIL\\[.\\]COM lan@gmail\\[.\\]com hxxp\\[:\\]//a',
    ],
    [
      'addresses after punctuation',
      'x..evil.com x_evil.com -evil.io www.evil.example evil。com',
      'x\\[.\\]\\[.\\]evil\\[.\\]com x\\_evil\\[.\\]com -evil\\[.\\]io www\\[.\\]evil\\[.\\]example evil\\[.\\]com',
    ],
  ])('%s', (_name, input, escaped) => {
    expect(escapeMarkdown(input)).toBe(escaped);
  });

  it('leaves ordinary Vietnamese text, amounts, abbreviations and parentheses as they are', () => {
    for (const plain of [
      '300.000.000 đồng',
      'Dạ, theo Thông tư 28/2018/TT-BTC (Điều 4), mức hỗ trợ là 300.000.000 đồng.',
      'TP.HCM, Q.1, P.Bến Nghé',
      'HTX mây tre Phúc Lâm',
      '• xã, phường, đặc khu thuộc tỉnh;',
      'Bước 3/20: số điện thoại 0912.345.678',
    ]) {
      expect(escapeMarkdown(plain)).toBe(plain);
    }
  });

  it('takes linear time on long hostile input', () => {
    const started = performance.now();
    for (const s of [
      'a-'.repeat(50_000),
      'a.'.repeat(50_000),
      'a_'.repeat(50_000),
      ':/'.repeat(50_000),
      'www.'.repeat(25_000),
      '1.'.repeat(50_000),
      `${'a'.repeat(99_990)}.com`,
    ])
      escapeMarkdown(s);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('is applied to the bot’s replies turned into cards, which may repeat what a user typed', () => {
    const reply = replyAsCard({
      type: 'message',
      text: 'Dạ, tên cơ sở: [Bấm vào đây](https://evil.example) **x**\n\nNguồn: Thông tư 28/2018/TT-BTC',
    });
    const card = reply.attachments![0].content as { body: { text: string }[] };
    expect(card.body.map((b) => b.text)).toEqual([
      'Dạ, tên cơ sở: \\[Bấm vào đây\\](https\\[:\\]//evil\\[.\\]example) \\*\\*x\\*\\*',
      'Nguồn: Thông tư 28/2018/TT-BTC',
    ]);
  });
});
