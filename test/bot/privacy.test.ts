import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { loggedConversation, redactPersonalData } from '../../bot/privacy.ts';
import { TURN_ERROR_TEXT } from '../../bot/turn-error.ts';
import { say, startTestServer } from '../helpers/server.ts';
import { useTempDirs } from '../helpers/temp-dirs.ts';

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

describe('loggedConversation', () => {
  it('is salted: a short Zalo user id cannot be found again by hashing candidates without the secret', () => {
    const unsalted = createHash('sha256').update('zalo:8839201').digest('hex').slice(0, 16);
    const logged = loggedConversation('a-secret-salt', 'zalo', '8839201');
    expect(logged).toMatch(/^[0-9a-f]{16}$/);
    expect(logged).not.toBe(unsalted);
    expect(loggedConversation('another-salt', 'zalo', '8839201')).not.toBe(logged);
    expect(loggedConversation('a-secret-salt', 'zalo', '8839201')).toBe(logged);
  });
});

describe('logs when a store write fails in the middle of the form', () => {
  const tempDir = useTempDirs('kc-privacy');

  it('hold the failure and its ids, and none of what the owner typed', async () => {
    const server = await startTestServer({ dataDir: tempDir() });
    const storage = server.storage;
    try {
      const answers = [
        'tôi muốn đăng ký',
        'điền luôn',
        'Xưởng Gốm Bát Tràng Hưng Thịnh',
        'hộ kinh doanh',
        '0101234567',
        'Bắc Ninh',
        'xã Tân Mỹ',
        'thôn Đông Cao',
        'Nguyễn Thị Phượng',
        '0912 345 678',
      ];
      for (const text of answers.slice(0, -1)) await say(server.url, 'c-fail', text, 'owner-fail');
      // The disk turns read-only, as a driver reports it; drivers attach the failed statement's
      // parameters to their errors, and botbuilder-dialogs attaches the dialog stack (the form).
      const write = storage.write.bind(storage);
      storage.write = async (changes) => {
        const error = Object.assign(new Error('attempt to write a readonly database'), {
          code: 'SQLITE_READONLY',
          parameters: [JSON.stringify(changes)],
        });
        throw error;
      };
      const replies = await say(server.url, 'c-fail', answers.at(-1)!, 'owner-fail');
      expect(replies.map((r) => r.text)).toContain(TURN_ERROR_TEXT);
      const failed = await server.waitForLog((l) => l.msg === 'turn failed');
      expect(failed).toBeDefined();
      expect(JSON.stringify(failed)).toContain('attempt to write a readonly database');
      storage.write = write;
      const logs = server.logs.join('');
      // The phone whole and in part ("0912" alone also turns up by chance in hex request ids and hashes).
      for (const typed of [
        'Bát Tràng',
        'Phượng',
        '0912 345',
        '0912345678',
        '345 678',
        '0101234567',
        'Đông Cao',
        'Tân Mỹ',
      ])
        expect(logs).not.toContain(typed);
    } finally {
      await server.close();
    }
  });
});
