import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTempDirs } from '../helpers/temp-dirs.ts';
import { say, startTestServer, type TestServer } from '../helpers/server.ts';

const dataDir = useTempDirs('kc-reg-places');
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ dataDir: dataDir() });
});
afterAll(async () => {
  await server.close();
});

interface Transcript {
  name: string;
  steps: [userSays: string, botSays: RegExp][];
  draft?: Record<string, unknown>;
}
const START: Transcript['steps'] = [
  ['tôi muốn đăng ký', /kiểm tra nhanh/],
  ['điền luôn', /Bước 1\/21: Tên cơ sở/],
];

const transcripts: Transcript[] = [
  {
    name: 'a province is never taken from inside a facility name, and the province is still asked',
    steps: [
      ...START,
      ['Mộc mỹ nghệ An Bình', /Bước 2\/21: Loại hình/],
      ['Hộ kinh doanh', /Mã số thuế/],
      ['0101234567', /Bước 4\/21: Cơ sở ở tỉnh, thành phố nào/],
    ],
    draft: { facilityName: 'Mộc mỹ nghệ An Bình' },
  },
  {
    name: '"Hòa Bình" inside a name gives no province',
    steps: [
      ...START,
      ['HTX gốm Hòa Bình', /Bước 2\/21: Loại hình|Bước 3\/21: Mã số thuế/],
      ['0101234567', /Bước 4\/21: Cơ sở ở tỉnh, thành phố nào/],
    ],
    draft: { facilityName: 'HTX gốm Hòa Bình', entityType: 'htx' },
  },
  {
    name: 'a volunteered sentence is split into fields, the name stripped, and the bot says what it took',
    steps: [
      ...START,
      [
        'Xưởng cơ khí Minh Phát của tôi ở xã Tân Mỹ, Bắc Giang, sdt 0912 345 678',
        /ghi nhận luôn: Tên cơ sở: Xưởng cơ khí Minh Phát; Tỉnh, thành phố: Bắc Ninh; Xã, phường, đặc khu: xã Tân Mỹ; Số điện thoại: 0912345678 \(Bắc Giang nay thuộc tỉnh Bắc Ninh\)\. Nếu chưa đúng, anh\/chị nhắn "sửa <tên mục>"[\s\S]*Bước 2\/21: Loại hình/,
      ],
      ['Hộ kinh doanh', /Mã số thuế/],
      ['0101234567', /Bước 6\/21: Địa chỉ/],
      ['sửa tỉnh', /Bước 4\/21: Cơ sở ở tỉnh, thành phố nào[\s\S]*Hiện đang ghi: Bắc Ninh/],
      ['Hà Tây', /Hà Tây nay thuộc thành phố Hà Nội[\s\S]*Bước 6\/21: Địa chỉ/],
    ],
    draft: { facilityName: 'Xưởng cơ khí Minh Phát', province: 'Hà Nội', commune: 'xã Tân Mỹ', phone: '0912345678' },
  },
  {
    name: '"Hà Tây" and "Phú Quốc" are accepted; Phú Quốc also answers the commune',
    steps: [
      ...START,
      ['Cơ sở nước mắm Hưng Thịnh', /Loại hình/],
      ['Hộ kinh doanh', /Mã số thuế/],
      ['0101234567', /tỉnh, thành phố nào/],
      ['Phú Quốc', /Phú Quốc là đặc khu, thuộc tỉnh An Giang[\s\S]*Bước 6\/21: Địa chỉ/],
    ],
    draft: { province: 'An Giang', commune: 'đặc khu Phú Quốc' },
  },
  {
    name: 'a huyện at the commune step gets the explanation and the question for the xã',
    steps: [
      ...START,
      ['Cơ sở Mộc Hưng', /Loại hình/],
      ['Hộ kinh doanh', /Mã số thuế/],
      ['0101234567', /tỉnh, thành phố nào/],
      ['Bắc Giang', /xã, phường hay đặc khu/],
      ['huyện Việt Yên', /từ 01\/7\/2025 không còn cấp huyện[\s\S]*Bước 5\/21: Cơ sở ở xã, phường hay đặc khu nào/],
      ['xã Tân Mỹ, huyện Việt Yên', /không còn cấp huyện, tôi ghi "xã Tân Mỹ"[\s\S]*Bước 6\/21: Địa chỉ/],
    ],
    draft: { province: 'Bắc Ninh', commune: 'xã Tân Mỹ' },
  },
  {
    name: 'a huyện at the province step is explained too',
    steps: [
      ...START,
      ['Cơ sở Mộc Hưng', /Loại hình/],
      ['Hộ kinh doanh', /Mã số thuế/],
      ['0101234567', /tỉnh, thành phố nào/],
      ['huyện Việt Yên', /không còn cấp huyện[\s\S]*Bước 4\/21/],
    ],
  },
];

describe('names and places in the registration', () => {
  it.each(transcripts.map((t, i) => ({ ...t, i })))('$name', async ({ steps, draft, i }) => {
    const conversationId = `places-${i}`;
    const userId = `places-owner-${i}`;
    for (const [userSays, botSays] of steps) {
      const replies = await say(server.url, conversationId, userSays, userId);
      expect(replies.map((r) => r.text).join('\n---\n'), `after "${userSays}"`).toMatch(botSays);
    }
    if (draft) expect((await server.stores.registrations.findDraft(`webchat:${userId}`))?.data).toMatchObject(draft);
  });
});
