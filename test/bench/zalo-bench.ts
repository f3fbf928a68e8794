import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { zaloSignature } from '../../adapters/zalo/zalo-signature.ts';
import { startServerProcess } from '../helpers/processes.ts';
import { buildAssets } from '../../adapters/web/build-assets.ts';
import { bundleServer } from '../../bot/server-bundle.ts';
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
    ZALO_APP_ID: APP_ID, ZALO_APP_SECRET: standIn.appSecret, ZALO_OA_SECRET_KEY: SECRET, ZALO_OA_ACCESS_TOKEN: 'at-initial', ZALO_API_BASE_URL: standIn.url, ZALO_OAUTH_BASE_URL: standIn.url, ZALO_REQUESTS_PER_MINUTE: '100000',
  });
  const questions = ['ai dc ho tro kc', 'mức hỗ trợ máy móc', 'hạn nộp hồ sơ đề án', 'vốn đối ứng là gì', 'xin chào'];
  let n = 0;
  const body = () => {
    n += 1;
    const event = { app_id: APP_ID, event_name: 'user_send_text', sender: { id: `bench-user-${n % 200}` }, recipient: { id: 'oa' }, message: { text: questions[n % questions.length], msg_id: `bench-${n}` }, timestamp: String(Date.now()) };
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
            return { ...req, body: raw, headers: { 'content-type': 'application/json', 'x-zevent-signature': signature } };
          },
        },
      ],
    });
    const delivered = result.requests.total;
    await standIn.waitForSent(delivered, 60_000);
    const elapsed = (performance.now() - started) / 1000;
    return [
      `webhook ack at ${rate} req/s for ${seconds} s: p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${result.requests.average.toFixed(0)} req/s, non-2xx ${result.non2xx}, errors ${result.errors}`,
      `answered end to end: ${standIn.sent.length} of ${delivered} deliveries in ${elapsed.toFixed(1)} s → ${(standIn.sent.length / elapsed).toFixed(0)} replies/s (server process on SQLite, local stand-in)`,
    ];
  } finally {
    await server.stop();
    await standIn.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
