import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { zaloPauseKey } from '../../adapters/zalo/zalo-adapter.ts';
import { zaloSignature } from '../../adapters/zalo/zalo-signature.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { ZaloStandIn } from '../helpers/zalo-standin.ts';

const APP_ID = '360846524940903967';
const OA_SECRET = 'oa-secret-key';
const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/zalo/${name}.json`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;

let standIn: ZaloStandIn;
let server: TestServer;
let dataDir: string;
let seq = 0;

/** A Zalo delivery: the body with fresh ids, signed as Zalo signs it. */
export function signedDelivery(
  body: Record<string, unknown>,
  secret = OA_SECRET,
): { raw: string; headers: Record<string, string> } {
  const raw = JSON.stringify(body);
  return {
    raw,
    headers: {
      'content-type': 'application/json',
      'x-zevent-signature': `mac=${zaloSignature(APP_ID, Buffer.from(raw), String(body.timestamp), secret)}`,
    },
  };
}

function textEvent(text: string, userId = 'user-1'): Record<string, unknown> {
  seq += 1;
  const base = fixture('user_send_text');
  return {
    ...base,
    sender: { id: userId },
    message: { text, msg_id: `msg-${seq}-${Date.now()}` },
    timestamp: String(Date.now() + seq),
  };
}

async function deliver(body: Record<string, unknown>, opts: { raw?: string; headers?: Record<string, string> } = {}) {
  const signed = signedDelivery(body);
  const res = await fetch(`${server.url}/api/zalo/webhook`, {
    method: 'POST',
    headers: opts.headers ?? signed.headers,
    body: opts.raw ?? signed.raw,
  });
  return res.status;
}

const texts = () => standIn.sent.map((s) => String((s.body.message as { text?: string }).text ?? ''));

beforeAll(async () => {
  standIn = new ZaloStandIn();
  await standIn.start();
  dataDir = mkdtempSync(join(tmpdir(), 'kc-zalo-'));
  server = await startTestServer({
    dataDir,
    env: {
      ZALO_APP_ID: APP_ID,
      ZALO_APP_SECRET: standIn.appSecret,
      ZALO_OA_SECRET_KEY: OA_SECRET,
      ZALO_OA_ACCESS_TOKEN: 'at-initial',
      ZALO_OA_REFRESH_TOKEN: 'rt-initial',
      ZALO_API_BASE_URL: standIn.url,
      ZALO_OAUTH_BASE_URL: standIn.url,
      ZALO_HUMAN_PAUSE_MINUTES: '30',
      ZALO_REQUESTS_PER_MINUTE: '100000',
    },
  });
});
afterAll(async () => {
  await server.close();
  await standIn.stop();
  rmSync(dataDir, { recursive: true, force: true });
});
beforeEach(() => {
  standIn.sent.length = 0;
});

describe('the Zalo webhook, end to end against a local stand-in of Zalo', () => {
  it('answers GET with 200', async () => {
    expect((await fetch(`${server.url}/api/zalo/webhook`)).status).toBe(200);
  });

  it('answers a signed message with a customer-service message carrying the access token', async () => {
    expect(await deliver(textEvent('ai dc ho tro kc', 'user-a'))).toBe(200);
    const [sent] = await standIn.waitForSent(1);
    expect(sent.headers.access_token).toBe('at-initial');
    expect(sent.body.recipient).toEqual({ user_id: 'user-a' });
    expect(texts()[0]).toMatch(/^Dạ, từ ngày 15\/10\/2025[\s\S]*Nguồn: Nghị định 235\/2025/);
    const buttons =
      (sent.body.message as { attachment?: { payload: { buttons: { title: string }[] } } }).attachment?.payload
        .buttons ?? [];
    expect(buttons.length).toBeGreaterThan(0);
    expect(buttons.length).toBeLessThanOrEqual(5);
    for (const b of buttons) expect([...b.title].length).toBeLessThanOrEqual(20);
  });

  it('logs the turn with the id of the delivery that brought it', async () => {
    const signed = signedDelivery(textEvent('mức hỗ trợ máy móc', 'user-rid'));
    const res = await fetch(`${server.url}/api/zalo/webhook`, {
      method: 'POST',
      headers: { ...signed.headers, 'x-request-id': 'zalo-req-9' },
      body: signed.raw,
    });
    expect(res.headers.get('x-request-id')).toBe('zalo-req-9');
    await standIn.waitForSent(1);
    const line = await server.waitForLog((l) => l.msg === 'turn' && l.requestId === 'zalo-req-9');
    expect(line).toMatchObject({ channel: 'zalo', outcome: 'answered' });
  });

  it('answers a redelivered message once', async () => {
    const event = textEvent('mức hỗ trợ máy móc', 'user-b');
    const statuses = await Promise.all([deliver(event), deliver(event), deliver(event)]);
    expect(statuses).toEqual([200, 200, 200]);
    await standIn.waitForSent(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(standIn.sent).toHaveLength(1);
  });

  it('answers 200 to a bad or missing signature and to another app, processes none of them and counts each; malformed JSON gets 400, a huge body 413', async () => {
    const event = textEvent('xin chào', 'user-c');
    const signed = signedDelivery(event, 'wrong-secret');
    // Zalo's console keeps a webhook only while it answers 200: a failed check is answered 200 too.
    expect(await deliver(event, { raw: signed.raw, headers: signed.headers })).toBe(200);
    expect(await deliver(event, { headers: { 'content-type': 'application/json' } })).toBe(200);
    const tampered = signedDelivery(event);
    expect(await deliver(event, { raw: tampered.raw.replace('xin chào', 'xin chao'), headers: tampered.headers })).toBe(
      200,
    );
    expect(
      await deliver(event, {
        raw: '{"app_id":',
        headers: { 'content-type': 'application/json', 'x-zevent-signature': 'mac=00' },
      }),
    ).toBe(400);
    expect(await deliver({ ...event, padding: 'x'.repeat(70_000) })).toBe(413);
    const otherApp = { ...event, app_id: '999' };
    const raw = JSON.stringify(otherApp);
    expect(
      await deliver(otherApp, {
        raw,
        headers: {
          'content-type': 'application/json',
          'x-zevent-signature': `mac=${zaloSignature(APP_ID, Buffer.from(raw), String(event.timestamp), OA_SECRET)}`,
        },
      }),
    ).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(standIn.sent).toHaveLength(0);
    const metrics = await (await server.metrics()).text();
    expect(metrics).toMatch(/kc_zalo_rejected_total\{reason="signature"\} 3/);
    expect(metrics).toMatch(/kc_zalo_rejected_total\{reason="app-id"\} 1/);
    expect(server.logs.filter((l) => l.includes('zalo delivery rejected'))).toHaveLength(4);
    // None of them was recorded: the genuine delivery is answered.
    expect(await deliver(event)).toBe(200);
    expect(await standIn.waitForSent(1)).toHaveLength(1);
  });

  it('answers 200 to a signed delivery nested absurdly deep, processes nothing and counts it as malformed', async () => {
    const event = textEvent('xin chào', 'user-deep');
    const raw = JSON.stringify({ ...event, extra: 'DEEP' }).replace(
      '"DEEP"',
      `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`,
    );
    const headers = {
      'content-type': 'application/json',
      'x-zevent-signature': `mac=${zaloSignature(APP_ID, Buffer.from(raw), String(event.timestamp), OA_SECRET)}`,
    };
    expect(await deliver(event, { raw, headers })).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(standIn.sent.filter((m) => JSON.stringify(m).includes('user-deep'))).toHaveLength(0);
    expect(await (await server.metrics()).text()).toMatch(/kc_zalo_rejected_total\{reason="malformed"\} 1/);
  });

  it('answers 200 to unknown events and logs them, without replying', async () => {
    expect(await deliver({ ...fixture('user_received_message'), timestamp: String(Date.now()) })).toBe(200);
    expect(await deliver({ app_id: APP_ID, event_name: 'brand_new_event', timestamp: String(Date.now()) })).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(standIn.sent).toHaveLength(0);
    expect(server.logs.join('')).toContain('brand_new_event');
  });

  it('says politely that it reads text when it gets an image, and welcomes a new follower', async () => {
    expect(
      await deliver({ ...fixture('user_send_image'), sender: { id: 'user-d' }, timestamp: String(Date.now()) }),
    ).toBe(200);
    await standIn.waitForSent(1);
    expect(texts()[0]).toContain('chỉ đọc được tin nhắn chữ');
    expect(await deliver({ ...fixture('follow'), follower: { id: 'user-e' }, timestamp: String(Date.now()) })).toBe(
      200,
    );
    await standIn.waitForSent(2);
    expect(texts()[1]).toContain('Trợ lý Khuyến công');
  });

  it('refreshes an expired access token mid-conversation once, retries, and keeps the rotated tokens', async () => {
    await deliver(textEvent('xin chào', 'user-f'));
    await standIn.waitForSent(1);
    standIn.expireAccessTokens();
    const refreshesBefore = standIn.refreshes.length;
    await deliver(textEvent('hạn nộp hồ sơ đề án', 'user-f'));
    const sent = await standIn.waitForSent(2);
    expect(sent).toHaveLength(2);
    expect(standIn.refreshes.length).toBe(refreshesBefore + 1);
    expect(standIn.refreshes.at(-1)!.headers.secret_key).toBe(standIn.appSecret);
    expect(sent[1].headers.access_token).toMatch(/^at-\d+$/);
    // The single-use refresh token was used; the next expiry uses the new one.
    standIn.expireAccessTokens();
    await deliver(textEvent('vốn đối ứng là gì', 'user-f'));
    expect(await standIn.waitForSent(3)).toHaveLength(3);
    expect(standIn.refreshes.at(-1)!.body.refresh_token).toMatch(/^rt-\d+$/);
  });

  it('backs off and retries when rate limited, and gives up on a permanent error without a storm', async () => {
    standIn.script('rate-limited', 'rate-limited');
    await deliver(textEvent('xin chào', 'user-g'));
    expect(await standIn.waitForSent(1)).toHaveLength(1);
    standIn.script('user-silent');
    await deliver(textEvent('cảm ơn', 'user-g'));
    await new Promise((r) => setTimeout(r, 400));
    expect(standIn.sent).toHaveLength(1);
    expect(server.logs.join('')).toMatch(/"code":-230/);
  });

  it('steps aside for an officer typing in the OA Manager, but not for its own echoes', async () => {
    await deliver(textEvent('xin chào', 'user-h'));
    const [own] = await standIn.waitForSent(1);
    expect(own).toBeDefined();
    // Zalo echoes the bot's own message: ignored.
    expect(
      await deliver({
        ...fixture('oa_send_text'),
        recipient: { id: 'user-h' },
        message: { text: 'echo', msg_id: 'mid-1' },
        timestamp: String(Date.now()),
      }),
    ).toBe(200);
    await deliver(textEvent('mức hỗ trợ máy móc', 'user-h'));
    await standIn.waitForSent(2);
    expect(standIn.sent).toHaveLength(2);
    // An officer writes: the bot stays silent for this user.
    await deliver({ ...fixture('oa_send_text'), recipient: { id: 'user-h' }, timestamp: String(Date.now()) });
    await new Promise((r) => setTimeout(r, 100));
    await deliver(textEvent('còn hạn không', 'user-h'));
    await new Promise((r) => setTimeout(r, 300));
    expect(standIn.sent).toHaveLength(2);
    // The pause is kept where retention finds it, with the state of conversations.
    expect(Object.keys(await server.storage.read([zaloPauseKey('user-h')]))).toEqual([zaloPauseKey('user-h')]);
  });

  it('keeps no conversation reference of the Zalo users it answers, since it never writes to them unprompted', async () => {
    await deliver(textEvent('xin chào', 'user-r'));
    await standIn.waitForSent(1);
    expect(await server.stores.references.list()).toEqual([]);
  });

  it('keeps each user’s messages in order', async () => {
    for (const text of ['xin chào', 'mức hỗ trợ máy móc', 'cảm ơn']) await deliver(textEvent(text, 'user-i'));
    const sent = await standIn.waitForSent(3);
    expect(sent.map((s) => String((s.body.message as { text: string }).text).slice(0, 12))).toEqual([
      'Dạ, xin chào',
      'Dạ, theo Thô',
      'Dạ, không có',
    ]);
  });

  it('answers a burst from many users with at most 32 turns at once, and every one of them', async () => {
    standIn.sendDelayMs = 200;
    standIn.maxSendsInFlight = 0;
    try {
      const statuses = await Promise.all(
        Array.from({ length: 80 }, (_, i) => deliver(textEvent('xin chào', `burst-${i}`))),
      );
      expect(statuses.every((s) => s === 200)).toBe(true);
      expect(await standIn.waitForSent(80, 15_000)).toHaveLength(80);
      expect(standIn.maxSendsInFlight).toBeGreaterThan(1);
      expect(standIn.maxSendsInFlight).toBeLessThanOrEqual(32);
    } finally {
      standIn.sendDelayMs = 0;
    }
  });
});
