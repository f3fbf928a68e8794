import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RegistrationRecord } from '../../bot/stores.ts';
import { say } from '../helpers/server.ts';
import { startOfficersServer, type OfficersServer, type Who } from '../helpers/officers.ts';

let o: OfficersServer;
let r: RegistrationRecord;
let n = 0;

beforeAll(async () => {
  o = await startOfficersServer();
  r = await o.submit('teams-cmd', 'Huế', { facilityName: 'Nón lá Phú Cam' });
});
afterAll(() => o.close());
beforeEach(() => {
  o.connector.posted.length = 0;
});

type Card = { version: string; body: { text?: string }[]; actions: unknown[] };

/** Sends a Teams message and returns the card of the reply, as the officer sees it. */
async function ask(who: Who, text: string): Promise<{ card: Card; text: string }> {
  n += 1;
  const conversation = `cmd-${n}`;
  await o.tell(who, conversation, text);
  await o.connector.waitFor(1);
  const posted = o.connector.posted.find((p) => p.conversationId === conversation)!;
  const card = (posted.body.attachments as { content: Card }[])[0].content;
  return { card, text: card.body.map((b) => b.text ?? '').join('\n') };
}

describe("officers' Teams commands on a registration, by its code", () => {
  it("shows the officers' commands for trợ giúp, in an Adaptive Card 1.5", async () => {
    for (const help of ['trợ giúp', 'tro giup']) {
      const { card, text } = await ask('hue', help);
      expect(card.version).toBe('1.5');
      expect(text).toContain('các lệnh dành cho cán bộ');
      expect(text).toContain('trạng thái KC-…');
      expect(text).toContain('ghi chú KC-…');
    }
  });

  it('moves a registration by command, with what is missing, notes it and shows its history', async () => {
    // "duyệt" from "Đã gửi" is not a move that exists: it says so, and is never a knowledge answer.
    const early = await ask('hue', `duyệt ${r.code}`);
    expect(early.text).toContain('đang ở trạng thái "Đã gửi"');
    expect(early.text).not.toMatch(/2646|Nguồn:/);
    expect((await ask('hue', `tiếp nhận ${r.code}`)).text).toContain('sang "Đã tiếp nhận"');
    expect((await ask('hue', `trạng thái ${r.code} cần bổ sung`)).text).toContain('cần bổ sung những gì');
    const missing = await ask('hue', `trang thai ${r.code!.toLowerCase()} can bo sung ho so: Bản sao giấy phép`);
    expect(missing.text).toContain('sang "Cần bổ sung hồ sơ"');
    expect((await ask('hue', `ghi chú ${r.code} Đã gọi điện cho chủ cơ sở`)).text).toContain('đã lưu ghi chú');
    const history = await ask('hue', `lịch sử ${r.code}`);
    expect(history.text).toContain('Cán bộ Huế');
    expect(history.text).toContain('cần bổ sung: Bản sao giấy phép');
    expect(history.text).toContain('ghi chú: Đã gọi điện cho chủ cơ sở');
    const stored = await o.server.stores.registrations.getByCode(r.code!);
    expect(stored!.stage).toBe('needs-documents');
  });

  it('answers an unknown command with "không hiểu lệnh" and the list, and another province with "not found"', async () => {
    for (const text of [`xem giúp ${r.code}`, `phê duyệt hồ sơ ${r.code} nhé`, 'ghi chú cái này']) {
      const answer = await ask('hue', text);
      expect(answer.text).toContain('không hiểu lệnh');
      expect(answer.text).toContain('trạng thái KC-…');
      expect(answer.text).not.toContain('Nguồn:');
    }
    // Bắc Ninh's officer has their role through an Entra group: Teams knows it once they opened the tab.
    expect((await ask('bn', `tiếp nhận ${r.code}`)).text).toContain('chưa được phân công');
    await o.request('bn', '/api/officers/me');
    expect((await ask('bn', `tiếp nhận ${r.code}`)).text).toContain('không tìm thấy đăng ký');
    expect((await ask('none', `tiếp nhận ${r.code}`)).text).toContain('chưa được phân công');
    // A question without a code is still a question, even one that starts like a command.
    expect((await ask('hue', 'mức hỗ trợ máy móc')).text).toContain('Nguồn:');
    expect((await ask('hue', 'bổ sung hồ sơ đề án cần những gì')).text).not.toContain('không hiểu lệnh');
  });

  it('writes to the owner with nhắn KC-…, kept for a web chat owner, with the conversation to answer to', async () => {
    const answer = await ask('hue', `nhắn ${r.code} Mời anh/chị mang hồ sơ lên Sở vào thứ Hai`);
    expect(answer.text).toContain('đã gửi tin nhắn cho chủ cơ sở');
    expect(answer.text).toContain('khi họ mở lại trang trò chuyện');
    const [waiting] = await o.server.stores.work.takeOwnerMessages('webchat:teams-cmd', new Date());
    expect(waiting.text).toContain('Mời anh/chị mang hồ sơ lên Sở vào thứ Hai');
    const history = await o.server.stores.work.history(r.id);
    const out = history.find((e) => e.kind === 'message-out')!;
    expect(out.details).toMatchObject({ channel: 'webchat', conversation: { conversation: { id: `cmd-${n}` } } });
    expect((await ask('bn', `nhắn ${r.code} x`)).text).toContain('không tìm thấy');
  });

  it("relays the owner's answer to the officer's Teams conversation and the history; the bot does not answer it", async () => {
    const conversation = `cmd-${n + 1}`;
    await ask('hue', `nhắn ${r.code} Anh/chị gửi giúp bản sao giấy phép nhé`);
    o.connector.posted.length = 0;
    // The web chat owner first sees the officer's message that waited for them, then that theirs went on.
    const told = await say(o.server.url, 'owner-web', 'Dạ em gửi ngay trong chiều nay ạ', 'teams-cmd');
    expect(told[0].text).toContain('Anh/chị gửi giúp bản sao giấy phép nhé');
    expect(told.at(-1)!.text).toContain('đã chuyển tin nhắn của anh/chị tới cán bộ Sở Công Thương');
    const [relayed] = await o.connector.waitFor(1);
    expect(relayed.conversationId).toBe(conversation);
    expect(JSON.stringify(relayed.body)).toContain('Dạ em gửi ngay trong chiều nay ạ');
    const history = await o.server.stores.work.history(r.id);
    expect(history.find((e) => e.kind === 'message-in')).toMatchObject({
      actor: 'owner',
      details: { text: 'Dạ em gửi ngay trong chiều nay ạ' },
    });
    // A status notice opens no conversation; another owner's messages are answered as always.
    const [other] = await say(o.server.url, 'other-web', 'mức hỗ trợ máy móc', 'someone');
    expect(other.text).toContain('Nguồn:');
  });
});
