import { describe, expect, it } from 'vitest';
import { cleanUserText } from '../../bot/turn-middleware.ts';
import { postgresTestDatabase, TEST_DATABASE_URL } from '../helpers/databases.ts';
import { say, startTestServer } from '../helpers/server.ts';
import { useTempDirs } from '../helpers/temp-dirs.ts';

const tempDir = useTempDirs('kc-hostile');

const post = (url: string, body: unknown) =>
  fetch(`${url}/api/webchat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('cleanUserText', () => {
  it.each([
    ['hạn\u0000 nộp', 'hạn nộp'],
    ['Gốm\u200b Bát\u200d Tràng\ufeff', 'Gốm Bát Tràng'],
    // "Trojan Source": an override that shows text in another order than it is read.
    ['abc\u202egnp.exe\u202c', 'abcgnp.exe'],
    ['\u2066x\u2069\u200e\u200f\u061c', 'x'],
    ['a\tb\r\nc\rd', 'a b\nc\nd'],
    ['bell\u0007 del\u007f c1\u0085', 'bell del c1'],
    ['lone \ud800 surrogate \udc00', 'lone  surrogate '],
  ])('cleans %j', (input, output) => {
    expect(cleanUserText(input)).toBe(output);
  });

  it('keeps Vietnamese intact and composes what was typed with combining marks', () => {
    expect(cleanUserText('Hộ kinh doanh ở Thừa Thiên Huế — 300 triệu ✔️ 👍🏽')).toBe(
      'Hộ kinh doanh ở Thừa Thiên Huế — 300 triệu ✔️ 👍🏽',
    );
    expect(cleanUserText('Hà Nội'.normalize('NFD'))).toBe('Hà Nội');
  });
});

const engines: [
  string,
  () => Promise<{ options: { dataDir?: string; databaseUrl?: string }; drop(): Promise<void> }>,
  boolean,
][] = [
  ['SQLite', async () => ({ options: { dataDir: tempDir() }, drop: async () => undefined }), false],
  [
    'PostgreSQL',
    async () => {
      const database = await postgresTestDatabase();
      return { options: { databaseUrl: database.location }, drop: () => database.drop() };
    },
    !TEST_DATABASE_URL,
  ],
];

describe.each(engines)('hostile input on the web chat, %s', (_name, open, skip) => {
  it.skipIf(skip)(
    'answers a question with a NUL and invisible characters in it, and stores form answers without them',
    async () => {
      const database = await open();
      const server = await startTestServer(database.options);
      try {
        const [answer] = await say(server.url, 'c-nul', 'mức hỗ trợ\u0000 máy\u200b móc\u202e');
        expect(answer.text).toContain('Thông tư 28/2018/TT-BTC');
        for (const text of ['tôi muốn đăng ký', 'điền luôn']) await say(server.url, 'c-nul', text);
        const [next] = await say(server.url, 'c-nul', 'Cơ sở\u0000 Gốm\u202e Hưng');
        expect(next.text).toMatch(/Loại hình/);
        expect((await server.stores.registrations.findDraft('webchat:u1'))?.data.facilityName).toBe('Cơ sở Gốm Hưng');
      } finally {
        await server.close();
        await database.drop();
      }
    },
  );

  it.skipIf(skip)('refuses deeply nested JSON with 400, and keeps answering', async () => {
    const database = await open();
    const server = await startTestServer(database.options);
    try {
      const value = `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`;
      const res = await fetch(`${server.url}/api/webchat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `{"conversationId":"c-deep","userId":"u1","value":${value}}`,
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: 'too_deeply_nested' });
      // A card's ordinary value passes.
      expect(
        (
          await post(server.url, {
            conversationId: 'c-deep',
            userId: 'u1',
            value: { action: { kind: 'pick', args: [1, { n: 2 }] } },
          })
        ).status,
      ).toBe(200);
      expect((await say(server.url, 'c-deep', 'vốn đối ứng là gì'))[0].text).toContain('đối ứng');
    } finally {
      await server.close();
      await database.drop();
    }
  });

  it.skipIf(skip)("reads contact details posted by any channel through the form's own validators", async () => {
    const database = await open();
    const server = await startTestServer(database.options);
    try {
      for (const text of [
        'tôi muốn đăng ký',
        'điền luôn',
        'Cơ sở Gốm Hưng',
        'hộ kinh doanh',
        '0101234567',
        'Bắc Ninh',
        'xã Tân Mỹ',
        'thôn Đông',
      ])
        await say(server.url, 'c-contact', text);
      // The payload Zalo's contact sharing produces, posted by a web chat client.
      const res = await post(server.url, {
        conversationId: 'c-contact',
        userId: 'u1',
        value: { contact: { name: 'A'.repeat(60_000), phone: '0912 345 678', address: 'x' } },
      });
      expect(res.status).toBe(200);
      const { activities } = (await res.json()) as { activities: { text: string }[] };
      expect(activities.at(-1)!.text).toMatch(/Họ tên người liên hệ/);
      const draft = await server.stores.registrations.findDraft('webchat:u1');
      expect(draft?.data.contactPerson).toBeUndefined();
      expect(draft?.data.phone).toBe('0912345678');
      // The address the owner typed stays: a one-letter one did not pass the address's own check.
      expect(draft?.data.address).toBe('thôn Đông');
    } finally {
      await server.close();
      await database.drop();
    }
  });
});
