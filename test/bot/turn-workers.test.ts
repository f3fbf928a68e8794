import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashKey } from '../../adapters/storage/shared-locks.ts';
import { zaloSignature } from '../../adapters/zalo/zalo-signature.ts';
import { TURN_ERROR_TEXT } from '../../bot/turn-error.ts';
import { startServerProcess, type ServerProcess } from '../helpers/processes.ts';
import { say } from '../helpers/server.ts';
import { useTempDirs } from '../helpers/temp-dirs.ts';
import { ZaloStandIn } from '../helpers/zalo-standin.ts';

const tempDir = useTempDirs('kc-workers');
const outcome = (a: { entities: { type: string; outcome?: string }[] }) => a.entities.find((e) => e.type === 'kc.answer')?.outcome;

function zaloDelivery(userId: string, text: string, msgId: string) {
  const body = { app_id: '42', event_name: 'user_send_text', sender: { id: userId }, recipient: { id: 'oa' }, message: { text, msg_id: msgId }, timestamp: String(Date.now()) };
  const raw = JSON.stringify(body);
  return { body: raw, headers: { 'content-type': 'application/json', 'x-zevent-signature': `mac=${zaloSignature('42', Buffer.from(raw), body.timestamp, 'oa-secret')}` } };
}

describe('turn workers (TURN_WORKERS=2, SQLite)', () => {
  let server: ServerProcess;
  const zalo = new ZaloStandIn();

  beforeAll(async () => {
    await zalo.start();
    server = await startServerProcess({
      DATA_DIR: tempDir(), TURN_WORKERS: '2', ZALO_APP_ID: '42', ZALO_APP_SECRET: zalo.appSecret, ZALO_OA_SECRET_KEY: 'oa-secret',
      ZALO_OA_ACCESS_TOKEN: 'at-initial', ZALO_OA_REFRESH_TOKEN: 'rt-initial', ZALO_API_BASE_URL: zalo.url, ZALO_OAUTH_BASE_URL: zalo.url, ZALO_REQUESTS_PER_MINUTE: '100000',
    });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await zalo.stop();
  });

  it('answers on the workers, with the request id in their log lines, and reports them ready', async () => {
    const res = await fetch(`${server.url}/api/webchat`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'req-worker-1' }, body: JSON.stringify({ conversationId: 'w-1', userId: 'u1', text: 'mức hỗ trợ máy móc' }) });
    const { activities } = (await res.json()) as { activities: { text: string; entities: { type: string; outcome?: string }[] }[] };
    expect(outcome(activities[0]!)).toBe('answered');
    await server.waitForOutput('"requestId":"req-worker-1"');
    const line = server
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.msg === 'turn' && l.requestId === 'req-worker-1');
    expect(line).toMatchObject({ channel: 'webchat', outcome: 'answered', worker: expect.any(Number) });
    const ready = (await (await fetch(`${server.url}/readyz`)).json()) as { checks: Record<string, boolean> };
    expect(ready.checks).toMatchObject({ workers: true, store: true, knowledge: true });
  });

  it('keeps each conversation’s state and order, even when its turns arrive all at once', async () => {
    const [clarify] = await say(server.url, 'w-2', 'hạn');
    expect(outcome(clarify!)).toBe('clarified');
    const [picked] = await say(server.url, 'w-2', '2');
    expect(outcome(picked!)).toBe('answered');
    // Many conversations at once, each with turns that change its state.
    const vague = ['hạn', 'hồ sơ', 'đề án'];
    const turnsLogged = server.output().split('"msg":"turn"').length - 1;
    const replies = (await Promise.all(Array.from({ length: 40 }, (_, i) => say(server.url, `w-many-${i % 8}`, vague[i % 3]!, `w-user-${i % 8}`)))).flat();
    expect(replies.filter((r) => r.text === TURN_ERROR_TEXT)).toEqual([]);
    expect(replies.every((r) => outcome(r) === 'clarified')).toBe(true);
    await server.waitForOutput('"msg":"turn"', turnsLogged + 40);
    expect(server.output()).not.toContain('turn failed');
  });

  it('serialises the turns of one conversation that reach both workers at once (the shared turn lock)', async () => {
    // Two users of one conversation whose turns go to different workers: only the lock shared
    // by the threads keeps the two workers from loading the same state and colliding on its save.
    const users = Array.from({ length: 20 }, (_, i) => `w-both-${i}`);
    const [first, second] = [users.find((u) => hashKey(`webchat:${u}`) % 2 === 0)!, users.find((u) => hashKey(`webchat:${u}`) % 2 === 1)!];
    const vague = ['hạn', 'hồ sơ', 'đề án'];
    const replies = (await Promise.all(Array.from({ length: 40 }, (_, i) => say(server.url, 'w-both', vague[i % 3]!, i % 2 === 0 ? first : second)))).flat();
    expect(replies.filter((r) => r.text === TURN_ERROR_TEXT)).toEqual([]);
    expect(replies.every((r) => outcome(r) === 'clarified')).toBe(true);
  });

  it('holds a user to the message limit across all their conversations, whichever worker would take them', async () => {
    // USER_MESSAGES_PER_MINUTE is 30 here; 34 conversations of one user would spread over both workers.
    const replies = (await Promise.all(Array.from({ length: 34 }, (_, i) => say(server.url, `w-flood-${i}`, 'xin chào', 'w-flood-user')))).flat();
    expect(replies.filter((r) => r.text.includes('nhắn hơi nhanh'))).toHaveLength(4);
  });

  it('answers Zalo users on both workers and refreshes an expired token once for all of them', async () => {
    zalo.expireAccessTokens();
    zalo.refreshDelayMs = 300;
    const users = Array.from({ length: 12 }, (_, i) => `zw-${i}`);
    const statuses = await Promise.all(users.map(async (u, i) => (await fetch(`${server.url}/api/zalo/webhook`, { method: 'POST', ...zaloDelivery(u, 'ai dc ho tro kc', `wm-${i}`) })).status));
    expect(statuses.every((s) => s === 200)).toBe(true);
    await zalo.waitForSent(users.length);
    expect(new Set(zalo.sent.map((s) => (s.body.recipient as { user_id: string }).user_id))).toEqual(new Set(users));
    // The refresh token is single-use: two workers refreshing at once would burn it.
    expect(zalo.refreshes).toHaveLength(1);
  });

  it('counts the workers’ turns in /metrics', async () => {
    // A Zalo turn is counted when it ends, just after its reply left.
    let text = '';
    for (let i = 0; i < 50 && !/kc_turns_total\{channel="zalo"\} 12/.test(text); i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 50));
      text = await (await fetch(`${server.url}/metrics`)).text();
    }
    const turns = Number(/kc_turns_total\{channel="webchat"\} (\d+)/.exec(text)?.[1]);
    expect(turns).toBeGreaterThanOrEqual(43);
    expect(text).toMatch(/kc_turns_total\{channel="zalo"\} 12/);
    expect(text).toMatch(/kc_zalo_token_refreshes_total 1/);
  });

  it('finishes the turns in flight and stops its workers on SIGTERM', async () => {
    const pending = say(server.url, 'w-bye', 'vốn đối ứng là gì');
    await new Promise((r) => setTimeout(r, 5));
    const exit = server.stop('SIGTERM');
    const [reply] = await pending;
    expect(outcome(reply!)).toBe('answered');
    expect(await exit).toBe(0);
  });
});
