import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { zaloSignature } from '../../adapters/zalo/zalo-signature.ts';
import { startServerProcess } from '../helpers/processes.ts';
import { buildAssets } from '../../adapters/web/build-assets.ts';
import { bundleServer } from '../../adapters/web/server-bundle.ts';
import { ZaloStandIn } from '../helpers/zalo-standin.ts';

const APP_ID = '42';
const SECRET = 'oa-secret';

/** Signed Zalo deliveries at a fixed rate: acknowledgement latency, then replies per second end to end. */
export async function benchZalo(): Promise<string[]> {
  const standIn = new ZaloStandIn();
  await standIn.start();
  const dir = mkdtempSync(join(tmpdir(), 'kc-zbench-'));
  // The server runs in its own process, as `npm start` runs it (built first); autocannon and the
  // stand-in share this one.
  await Promise.all([buildAssets(), bundleServer()]);
  const server = await startServerProcess({
    DATA_DIR: dir,
    ZALO_APP_ID: APP_ID,
    ZALO_APP_SECRET: standIn.appSecret,
    ZALO_OA_SECRET_KEY: SECRET,
    ZALO_OA_ACCESS_TOKEN: 'at-initial',
    ZALO_API_BASE_URL: standIn.url,
    ZALO_OAUTH_BASE_URL: standIn.url,
    ZALO_REQUESTS_PER_MINUTE: '100000',
  });
  const questions = ['ai dc ho tro kc', 'mức hỗ trợ máy móc', 'hạn nộp hồ sơ đề án', 'vốn đối ứng là gì', 'xin chào'];
  let n = 0;
  const body = () => {
    n += 1;
    const event = {
      app_id: APP_ID,
      event_name: 'user_send_text',
      sender: { id: `bench-user-${n % 200}` },
      recipient: { id: 'oa' },
      message: { text: questions[n % questions.length], msg_id: `bench-${n}` },
      timestamp: String(Date.now()),
    };
    const raw = JSON.stringify(event);
    return { raw, signature: `mac=${zaloSignature(APP_ID, Buffer.from(raw), event.timestamp, SECRET)}` };
  };
  try {
    const rate = 500;
    const seconds = 5;
    const started = performance.now();
    const result = await autocannon({
      url: `${server.url}/api/zalo/webhook`,
      connections: 10,
      overallRate: rate,
      duration: seconds,
      requests: [
        {
          method: 'POST',
          setupRequest: (req) => {
            const { raw, signature } = body();
            return {
              ...req,
              body: raw,
              headers: { 'content-type': 'application/json', 'x-zevent-signature': signature },
            };
          },
        },
      ],
    });
    const delivered = result.requests.total;
    await standIn.waitForSent(delivered, 60_000);
    const elapsed = (performance.now() - started) / 1000;
    return [
      `webhook ack at ${rate} req/s for ${seconds} s: p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${result.requests.average.toFixed(0)} req/s, non-2xx ${result.non2xx}, errors ${result.errors}`,
      `answered end to end: ${standIn.sent.length} of ${delivered} deliveries in ${elapsed.toFixed(1)} s → ${(standIn.sent.length / elapsed).toFixed(0)} replies/s (server process on SQLite, local stand-in, quota set out of the way)`,
      // Autocannon does not count the requests still in flight when it stops, so the answers are counted at Zalo's end.
      `Zalo API calls per answered Q&A message: ${(standIn.calls / Math.max(1, standIn.sent.length)).toFixed(3)} (${standIn.calls} calls, ${standIn.sent.length} answers; goal ≤ 1.05)`,
    ];
  } finally {
    await server.stop();
    await standIn.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A burst of `users` questions, one from each of as many users, at once, against the default
 * quota of 100 calls a minute (ZALO_REQUESTS_PER_MINUTE), in real time: every one must be
 * answered, none lost; prints the longest wait, the calls per answer, and the most calls Zalo saw
 * in any 60 s. About two minutes for 300 (no simulated clock: the figures are the real ones).
 */
export async function benchZaloQuota(users = 300, perMinute = 100): Promise<string[]> {
  const standIn = new ZaloStandIn();
  await standIn.start();
  const dir = mkdtempSync(join(tmpdir(), 'kc-zquota-'));
  const server = await startServerProcess({
    DATA_DIR: dir,
    ZALO_REQUESTS_PER_MINUTE: String(perMinute),
    ZALO_APP_ID: APP_ID,
    ZALO_APP_SECRET: standIn.appSecret,
    ZALO_OA_SECRET_KEY: SECRET,
    ZALO_OA_ACCESS_TOKEN: 'at-initial',
    ZALO_API_BASE_URL: standIn.url,
    ZALO_OAUTH_BASE_URL: standIn.url,
  });
  const questions = [
    'ai dc ho tro kc',
    'mức hỗ trợ máy móc',
    'hạn nộp hồ sơ đề án',
    'vốn đối ứng là gì',
    'điều kiện được hỗ trợ khuyến công',
  ];
  const deliveredAt = new Map<string, number>();
  try {
    const started = Date.now();
    let next = 0;
    const statuses: number[] = [];
    // 20 connections at once, as a crowd of users writing in the same few seconds.
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < users) {
          const i = next++;
          const userId = `quota-user-${i}`;
          const event = {
            app_id: APP_ID,
            event_name: 'user_send_text',
            sender: { id: userId },
            recipient: { id: 'oa' },
            message: { text: questions[i % questions.length], msg_id: `quota-${i}` },
            timestamp: String(Date.now()),
          };
          const raw = JSON.stringify(event);
          const res = await fetch(`${server.url}/api/zalo/webhook`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-zevent-signature': `mac=${zaloSignature(APP_ID, Buffer.from(raw), event.timestamp, SECRET)}`,
            },
            body: raw,
          });
          statuses.push(res.status);
          deliveredAt.set(userId, Date.now());
        }
      }),
    );
    const ackSeconds = (Date.now() - started) / 1000;
    // The last third waits two windows: give it three, and a little.
    await standIn.waitForSent(users, (Math.ceil(users / perMinute) + 1) * 60_000 + 10_000);
    await new Promise((r) => setTimeout(r, 2_000));
    const firstReply = new Map<string, number>();
    const repliesPerUser = new Map<string, number>();
    standIn.sent.forEach((s, i) => {
      const user = (s.body.recipient as { user_id: string }).user_id;
      repliesPerUser.set(user, (repliesPerUser.get(user) ?? 0) + 1);
      if (!firstReply.has(user)) firstReply.set(user, standIn.sentAt[i]);
    });
    const waits = [...deliveredAt]
      .map(([user, at]) => (firstReply.has(user) ? firstReply.get(user)! - at : Infinity))
      .sort((a, b) => a - b);
    const answered = waits.filter((w) => Number.isFinite(w)).length;
    const twice = [...repliesPerUser.values()].filter((n) => n > 1).length;
    let busiest = 0;
    for (let i = 0, j = 0; i < standIn.sentAt.length; i++) {
      while (standIn.sentAt[i] - standIn.sentAt[j] >= 60_000) j++;
      busiest = Math.max(busiest, i - j + 1);
    }
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    return [
      `${users} questions from ${users} users at once, quota ${perMinute} calls/min (real time, server process on SQLite): acknowledged ${statuses.filter((x) => x === 200).length} of ${users} in ${ackSeconds.toFixed(1)} s`,
      `  answered ${answered} of ${users}, lost ${users - answered}, answered twice ${twice}; wait for the answer p50 ${s(waits[Math.floor(waits.length / 2)])}, longest ${s(waits.at(-1)!)}`,
      `  Zalo API calls ${standIn.calls} → ${(standIn.calls / Math.max(1, answered)).toFixed(3)} per answered message; most calls in any 60 s: ${busiest} (quota ${perMinute})`,
    ];
  } finally {
    await server.stop();
    await standIn.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
