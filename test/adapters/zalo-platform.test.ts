import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { zaloSignature } from '../../adapters/zalo/zalo-signature.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { useTempDirs } from '../helpers/temp-dirs.ts';
import { ZaloStandIn } from '../helpers/zalo-standin.ts';

const APP_ID = '360846524940903967';
const OA_SECRET = 'oa-secret-key';
const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/zalo/${name}.json`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;
const tempDir = useTempDirs('kc-zalo-platform');

let standIn: ZaloStandIn;
let server: TestServer;
let seq = 0;

const env = (extra: Record<string, string> = {}) => ({
  ZALO_APP_ID: APP_ID,
  ZALO_APP_SECRET: standIn.appSecret,
  ZALO_OA_SECRET_KEY: OA_SECRET,
  ZALO_OA_ACCESS_TOKEN: 'at-initial',
  ZALO_OA_REFRESH_TOKEN: 'rt-initial',
  ZALO_API_BASE_URL: standIn.url,
  ZALO_OAUTH_BASE_URL: standIn.url,
  ZALO_HUMAN_PAUSE_MINUTES: '30',
  ZALO_REQUESTS_PER_MINUTE: '100000',
  ...extra,
});

function textEvent(text: string, userId: string, timestamp = Date.now()): Record<string, unknown> {
  seq += 1;
  return {
    ...fixture('user_send_text'),
    sender: { id: userId },
    message: { text, msg_id: `pmsg-${seq}-${Date.now()}` },
    timestamp: String(timestamp),
  };
}

async function deliver(url: string, body: Record<string, unknown>, secret = OA_SECRET): Promise<number> {
  const raw = JSON.stringify(body);
  const headers = {
    'content-type': 'application/json',
    'x-zevent-signature': `mac=${zaloSignature(APP_ID, Buffer.from(raw), String(body.timestamp), secret)}`,
  };
  return (await fetch(`${url}/api/zalo/webhook`, { method: 'POST', headers, body: raw })).status;
}

const sentTo = (userId: string) =>
  standIn.sent.filter((s) => (s.body.recipient as { user_id: string }).user_id === userId);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  standIn = new ZaloStandIn();
  await standIn.start();
  server = await startTestServer({ dataDir: tempDir(), env: env() });
});
afterAll(async () => {
  await server.close();
  await standIn.stop();
});
beforeEach(() => {
  standIn.echoTo = undefined;
});

describe('the bot’s own echoes (oa_send_text)', () => {
  it('are known as its own even when Zalo delivers the echo before it answers the send, while an officer’s message still pauses the bot', async () => {
    standIn.echoTo = {
      webhookUrl: `${server.url}/api/zalo/webhook`,
      appId: APP_ID,
      sign: (raw, ts) => zaloSignature(APP_ID, Buffer.from(raw), ts, OA_SECRET),
    };
    expect(await deliver(server.url, textEvent('xin chào', 'echo-1'))).toBe(200);
    await standIn.waitForSent(1);
    await pause(300);
    expect(await deliver(server.url, textEvent('mức hỗ trợ máy móc', 'echo-1'))).toBe(200);
    for (let i = 0; i < 100 && sentTo('echo-1').length < 2; i++) await pause(20);
    expect(sentTo('echo-1')).toHaveLength(2);
    expect(server.logs.join('')).not.toContain('an officer is answering');
    // An officer writes in the OA Manager: that one is not an echo of the bot's.
    standIn.echoTo = undefined;
    await deliver(server.url, {
      ...fixture('oa_send_text'),
      recipient: { id: 'echo-1' },
      timestamp: String(Date.now()),
    });
    await pause(200);
    await deliver(server.url, textEvent('còn hạn không', 'echo-1'));
    await pause(400);
    expect(sentTo('echo-1')).toHaveLength(2);
    expect(server.logs.join('')).toContain('an officer is answering');
  });
});

describe('the webhook under the 2026 rules', () => {
  it('refuses deliveries stamped outside the window with 200, processes none and counts them; inside it, answers', async () => {
    const now = Date.now();
    expect(await deliver(server.url, textEvent('xin chào', 'ts-old', now - 2 * 3_600_000))).toBe(200);
    expect(await deliver(server.url, textEvent('xin chào', 'ts-future', now + 10 * 60_000))).toBe(200);
    expect(await deliver(server.url, textEvent('xin chào', 'ts-late', now - 30 * 60_000))).toBe(200);
    await standIn.waitForSent(standIn.sent.length + 1);
    await pause(300);
    expect(sentTo('ts-old')).toHaveLength(0);
    expect(sentTo('ts-future')).toHaveLength(0);
    expect(sentTo('ts-late')).toHaveLength(1);
    expect(await (await server.metrics()).text()).toMatch(/kc_zalo_rejected_total\{reason="timestamp"\} 2/);
  });

  it('accepts a signature made with the App Secret as well as the OA Secret Key, and says once which key signed', async () => {
    expect(await deliver(server.url, textEvent('xin chào', 'key-1'), standIn.appSecret)).toBe(200);
    expect(await deliver(server.url, textEvent('mức hỗ trợ máy móc', 'key-1'), standIn.appSecret)).toBe(200);
    for (let i = 0; i < 100 && sentTo('key-1').length < 2; i++) await pause(20);
    expect(sentTo('key-1')).toHaveLength(2);
    expect(server.logs.filter((l) => l.includes('signed with ZALO_APP_SECRET'))).toHaveLength(1);
    expect(server.logs.join('')).not.toContain(standIn.appSecret);
  });

  it('sends all the replies of a turn in as few calls as the format allows', async () => {
    const before = standIn.calls;
    // A message over 2,000 characters: the note that it was cut, then the answer, in one message.
    expect(await deliver(server.url, textEvent(`mức hỗ trợ máy móc ${'a'.repeat(2100)}`, 'merge-1'))).toBe(200);
    for (let i = 0; i < 100 && sentTo('merge-1').length < 1; i++) await pause(20);
    await pause(300);
    expect(standIn.calls - before).toBe(1);
    const text = String((sentTo('merge-1')[0].body.message as { text: string }).text);
    expect(text).toMatch(/^Dạ, tin nhắn của bạn dài hơn 2\.000 ký tự[\s\S]*\n\nDạ, theo Thô/);
  });

  it('records each user’s last interaction time, which the OA’s own messages do not move', async () => {
    const at = Date.now() - 5 * 60_000;
    await deliver(server.url, textEvent('xin chào', 'seen-1', at));
    for (let i = 0; i < 100 && sentTo('seen-1').length < 1; i++) await pause(20);
    expect(await server.stores.zalo.lastInteraction('seen-1')).toEqual(new Date(at));
    await deliver(server.url, {
      ...fixture('oa_send_text'),
      recipient: { id: 'seen-1' },
      message: { text: 'cán bộ', msg_id: `officer-${Date.now()}` },
      timestamp: String(Date.now()),
    });
    await pause(200);
    expect(await server.stores.zalo.lastInteraction('seen-1')).toEqual(new Date(at));
    expect(await server.stores.zalo.lastInteraction('never-seen')).toBeUndefined();
  });

  it.each([
    [-212, 'not registered for the OA API'],
    [-224, 'package too low'],
    [-320, 'no ZBS account'],
    [-321, 'has no balance'],
  ])(
    'handles Zalo error %i with one log line that tells the operator what to do, and counts it',
    async (code, advice) => {
      standIn.script(`error:${code}`);
      await deliver(server.url, textEvent('xin chào', `err${code}`));
      let line: string | undefined;
      for (let i = 0; i < 100 && !line; i++, await pause(20))
        line = server.logs.find((l) => l.includes(`"code":${code}`) && l.includes(advice));
      expect(line).toBeDefined();
      expect(server.logs.filter((l) => l.includes(advice))).toHaveLength(1);
      expect(await (await server.metrics()).text()).toContain(`kc_zalo_api_errors_total{code="${code}"} 1`);
    },
  );
});

describe('the outbound quota (ZALO_REQUESTS_PER_MINUTE)', () => {
  it('sends no more than the quota in a minute, keeps the rest queued in the store, and sends them after a restart', async () => {
    const dataDir = tempDir();
    let limited: TestServer | undefined = await startTestServer({
      dataDir,
      env: env({ ZALO_REQUESTS_PER_MINUTE: '3' }),
    });
    const users = ['q-1', 'q-2', 'q-3', 'q-4', 'q-5'];
    try {
      for (const u of users) expect(await deliver(limited.url, textEvent('xin chào', u))).toBe(200);
      await pause(1_500);
      expect(users.filter((u) => sentTo(u).length > 0)).toHaveLength(3);
      expect(await limited.stores.zalo.pendingCount()).toBe(2);
      expect(await (await limited.metrics()).text()).toMatch(/kc_zalo_outbox_pending 2/);
      await limited.close();
      limited = await startTestServer({ dataDir, env: env() });
      for (let i = 0; i < 100 && users.some((u) => sentTo(u).length === 0); i++) await pause(20);
      expect(users.map((u) => sentTo(u).length)).toEqual([1, 1, 1, 1, 1]);
    } finally {
      await limited?.close();
    }
  });
});
