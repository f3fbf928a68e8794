import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTempDirs } from '../helpers/temp-dirs.ts';
import { mocHungAnswers } from '../helpers/registration-answers.ts';
import { say, startTestServer, type TestServer } from '../helpers/server.ts';

const dataDir = useTempDirs('kc-reg-cmd');
const joined = (replies: { text: string }[]) => replies.map((r) => r.text).join('\n---\n');

/** Answers up to a step (after "điền luôn"), in form order. */
const ANSWERS = mocHungAnswers({ requested: '500 triệu', counterpart: '1,5 tỷ' });

let server: TestServer;
let conversations = 0;
beforeAll(async () => {
  server = await startTestServer({ dataDir: dataDir() });
});
afterAll(async () => {
  await server.close();
});

/** A new owner in a new conversation, who has answered the first `n` questions. */
async function ownerAt(n: number): Promise<{ say(text: string): Promise<string>; userId: string }> {
  conversations += 1;
  const conversationId = `cmd-${conversations}`;
  const userId = `owner-${conversations}`;
  const talk = async (text: string) => joined(await say(server.url, conversationId, text, userId));
  await talk('tôi muốn đăng ký');
  await talk('điền luôn');
  for (const answer of ANSWERS.slice(0, n)) await talk(answer);
  return { say: talk, userId };
}

const draftOf = async (userId: string) => (await server.stores.registrations.findDraft(`webchat:${userId}`))?.data;

describe('commands never eat answers', () => {
  it.each(['Huy', 'Hủy', 'huy', 'Hủy ạ'])(
    'a contact named "%s" at "Họ tên người liên hệ" is the name, not a cancel',
    async (name) => {
      const owner = await ownerAt(6);
      expect(await owner.say(name)).toMatch(/Bước 8\/21: Số điện thoại/);
      expect(await draftOf(owner.userId)).toMatchObject({ contactPerson: name.replace(/ ạ$/, '') });
    },
  );

  it('"hủy" at a choice step asks for confirmation and keeps the draft until confirmed', async () => {
    const owner = await ownerAt(1);
    expect(await owner.say('Hủy')).toMatch(/muốn hủy bản đăng ký đang điền/);
    expect(await draftOf(owner.userId)).toMatchObject({ facilityName: 'Cơ sở Mộc Hưng' });
  });

  it('"tiếp tục" typed at a step is not saved as its answer', async () => {
    const owner = await ownerAt(11);
    expect(await owner.say('tiếp tục')).toMatch(/mình đang điền tiếp[\s\S]*Bước 12\/21: Mục tiêu/);
    expect(await draftOf(owner.userId)).not.toHaveProperty('objective');
    expect(await owner.say('Tăng năng suất sấy gỗ')).toMatch(/Bước 13\/21: Nội dung chính/);
  });

  it('"bỏ qua" at a required free-text step is not saved as its answer', async () => {
    const owner = await ownerAt(11);
    expect(await owner.say('bỏ qua')).toMatch(/mục này cần cho bản đăng ký[\s\S]*Bước 12\/21: Mục tiêu/);
    expect(await draftOf(owner.userId)).not.toHaveProperty('objective');
  });

  it('"sửa tên người liên hệ" goes to the contact person, not the facility name', async () => {
    const owner = await ownerAt(9);
    expect(await owner.say('sửa tên người liên hệ')).toMatch(
      /Bước 7\/21: Họ tên người liên hệ\?\n\(Hiện đang ghi: Phạm Văn Hưng/,
    );
    expect(await owner.say('Phạm Thị Hoa')).toMatch(/Bước 8\/21: Số điện thoại|Bước 10\/21: Đề án thuộc lĩnh vực/);
    expect(await draftOf(owner.userId)).toMatchObject({
      contactPerson: 'Phạm Thị Hoa',
      facilityName: 'Cơ sở Mộc Hưng',
    });
  });

  it('"quay lại" twice then an answer goes on to the next field, skipping none', async () => {
    const owner = await ownerAt(8);
    expect(await owner.say('quay lại')).toMatch(/Bước 8\/21: Số điện thoại/);
    expect(await owner.say('quay lai')).toMatch(/Bước 7\/21: Họ tên người liên hệ/);
    expect(await owner.say('Phạm Văn Hùng')).toMatch(/Bước 8\/21: Số điện thoại[\s\S]*Hiện đang ghi: 0987654321/);
    expect(await owner.say('giữ nguyên')).toMatch(/Bước 9\/21: Email/);
    expect(await draftOf(owner.userId)).toMatchObject({ contactPerson: 'Phạm Văn Hùng', phone: '0987654321' });
  });

  it('the step counter keeps its total through the whole form, a budget mismatch included', async () => {
    conversations += 1;
    const totals = new Set<string>();
    const id = `cmd-total-${conversations}`;
    const all: string[] = [];
    for (const text of [
      'tôi muốn đăng ký',
      'điền luôn',
      ...ANSWERS.slice(0, 17),
      '1,4 tỷ',
      'bỏ qua',
      'giữ nguyên',
      'Thêm 5 việc làm',
    ]) {
      const reply = joined(await say(server.url, id, text, `total-${conversations}`));
      all.push(reply);
      for (const m of reply.matchAll(/Bước \d+\/(\d+)/g)) totals.add(m[1]);
    }
    expect(all.join('\n')).toMatch(/chưa khớp tổng: 500 triệu \+ 1,4 tỷ \+ 0 = 1,9 tỷ, khác tổng 2 tỷ/);
    expect(all.at(-1)).toMatch(/Bước 21\/21: .*đồng ý/);
    expect([...totals]).toEqual(['21']);
  });
});

describe('small answers owners give', () => {
  it('"như trên" at the implementation place means the facility address, "không có email" skips the e-mail', async () => {
    const owner = await ownerAt(8);
    expect(await owner.say('không có email')).toMatch(/Bước 10\/21/);
    const again = await ownerAt(13);
    expect(await again.say('như trên')).toMatch(/Bước 15\/21: Thời gian/);
    expect(await draftOf(again.userId)).toMatchObject({ implementationPlace: null });
  });
});

describe('one copy of the draft', () => {
  it('keeps the answers in the draft row only: the dialog state holds the position', async () => {
    const owner = await ownerAt(3);
    const draft = await draftOf(owner.userId);
    expect(draft).toMatchObject({ facilityName: 'Cơ sở Mộc Hưng', entityType: 'hkd', taxCode: '0101234567' });
    // What the draft row says is what the form goes on with: an officer-side fix or a restore shows.
    await server.stores.registrations.saveDraft(
      {
        userKey: `webchat:${owner.userId}`,
        channel: 'webchat',
        schemaVersion: 1,
        data: { ...draft, facilityName: 'Cơ sở Mộc Hưng Thịnh' },
      },
      new Date(),
    );
    expect(await owner.say('xem lại bản đăng ký')).toMatch(/Cơ sở: Cơ sở Mộc Hưng Thịnh/);
  });

  it('starts again, and says so, when the draft is gone while the conversation is mid-form', async () => {
    const owner = await ownerAt(3);
    await server.stores.registrations.deleteDraftsOf(`webchat:${owner.userId}`);
    expect(await owner.say('Hà Nam')).toMatch(/không còn được lưu[\s\S]*Bước 1\/21: Tên cơ sở/);
  });
});

describe('"bắt đầu lại" in the middle of the form', () => {
  it('offers to discard the draft, and discards it when asked', async () => {
    const owner = await ownerAt(3);
    expect(await owner.say('bắt đầu lại')).toMatch(/bỏ bản đăng ký đang điền, hay giữ lại/);
    expect(await draftOf(owner.userId)).toMatchObject({ taxCode: '0101234567' });
    expect(await owner.say('bỏ bản này')).toMatch(/đã bỏ bản đang điền/);
    expect(await draftOf(owner.userId)).toBeUndefined();
    expect(await owner.say('tiếp tục')).toMatch(/không có bản đăng ký nào đang điền dở/);
  });

  it('keeps the draft when asked, and "tiếp tục" goes on from the same step', async () => {
    const owner = await ownerAt(3);
    await owner.say('bat dau lai');
    expect(await owner.say('giữ lại')).toMatch(/giữ bản đang điền/);
    expect(await owner.say('tiếp tục')).toMatch(/Bước 4\/21: Cơ sở ở tỉnh, thành phố nào/);
  });
});

describe('a question is never saved as an answer', () => {
  it.each([
    [
      5,
      'cho em hỏi vốn đối ứng là gì vậy ạ?',
      /phần tiền cơ sở thụ hưởng tự bỏ ra[\s\S]*Bước 6\/21: Địa chỉ/,
      'address',
    ],
    [
      5,
      'cho em hỏi vốn đối ứng là gì vậy ạ',
      /phần tiền cơ sở thụ hưởng tự bỏ ra[\s\S]*Bước 6\/21: Địa chỉ/,
      'address',
    ],
    [0, 'vốn đối ứng là gì', /Bước 1\/21: Tên cơ sở/, 'facilityName'],
    [12, 'máy cũ có được hỗ trợ không?', /Bước 13\/21: Nội dung chính/, 'mainContent'],
    [12, 'mua máy đã qua sử dụng có được hỗ trợ không', /Bước 13\/21: Nội dung chính/, 'mainContent'],
    [6, 'hộ kinh doanh có được hỗ trợ không ạ', /Bước 7\/21: Họ tên người liên hệ/, 'contactPerson'],
    [19, 'hiệu quả dự kiến ghi thế nào', /Bước 20\/21: Hiệu quả dự kiến/, 'expectedEffects'],
  ])('after %i answers, "%s" is answered and the same step asked again', async (n, question, expected, field) => {
    const owner = await ownerAt(n);
    expect(await owner.say(question)).toMatch(expected);
    expect((await draftOf(owner.userId)) ?? {}).not.toHaveProperty(field);
  });
});
