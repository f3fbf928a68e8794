import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zaloSignature } from '../../adapters/zalo/zalo-signature.ts';
import { postgresTestDatabase, TEST_DATABASE_URL } from '../helpers/databases.ts';
import { startServerProcess, type ServerProcess } from '../helpers/processes.ts';
import { useTempDirs } from '../helpers/temp-dirs.ts';
import { ZaloStandIn } from '../helpers/zalo-standin.ts';

const APP_ID = '42';
const SECRET = 'oa-secret';
const tempDir = useTempDirs('kc-zalo-crash');
let standIn: ZaloStandIn;
let run = 0;

beforeAll(async () => {
  standIn = new ZaloStandIn();
  await standIn.start();
});
afterAll(async () => {
  await standIn.stop();
});

function zaloEnv(store: Record<string, string>): Record<string, string> {
  return {
    ...store,
    ZALO_APP_ID: APP_ID,
    ZALO_APP_SECRET: standIn.appSecret,
    ZALO_OA_SECRET_KEY: SECRET,
    ZALO_OA_ACCESS_TOKEN: 'at-initial',
    ZALO_API_BASE_URL: standIn.url,
    ZALO_OAUTH_BASE_URL: standIn.url,
    ZALO_REQUESTS_PER_MINUTE: '100000',
  };
}

/** One signed user_send_text delivery. */
function delivery(userId: string, text: string, msgId: string): { raw: string; headers: Record<string, string> } {
  const timestamp = String(Date.now());
  const raw = JSON.stringify({
    app_id: APP_ID,
    event_name: 'user_send_text',
    sender: { id: userId },
    recipient: { id: 'oa' },
    message: { text, msg_id: msgId },
    timestamp,
  });
  return {
    raw,
    headers: {
      'content-type': 'application/json',
      'x-zevent-signature': `mac=${zaloSignature(APP_ID, Buffer.from(raw), timestamp, SECRET)}`,
    },
  };
}

const post = async (url: string, d: { raw: string; headers: Record<string, string> }) =>
  (await fetch(`${url}/api/zalo/webhook`, { method: 'POST', headers: d.headers, body: d.raw })).status;

/**
 * Six users send two questions each; the server acknowledges all twelve and is killed (SIGKILL)
 * while Zalo hangs on its sends (after the first of them reached Zalo, or at once after the last
 * acknowledgement); Zalo then redelivers everything, and a new server on the same store answers.
 */
async function crashAndRestart(
  store: Record<string, string>,
  killWhen: 'first-send' | 'acknowledged',
  answerWithinMs = 45_000,
): Promise<void> {
  run += 1;
  const users = Array.from({ length: 6 }, (_, i) => `crash-${run}-${i}`);
  const deliveries = users.flatMap((u) => [
    delivery(u, 'xin chào', `${u}-a`),
    delivery(u, 'mức hỗ trợ máy móc', `${u}-b`),
  ]);
  standIn.sent.length = 0;
  standIn.sentAt.length = 0;
  standIn.hangAll = true;
  const callsBefore = standIn.calls;
  let server: ServerProcess | undefined = await startServerProcess(zaloEnv(store));
  try {
    // Each user's two messages in order; the users at once.
    const statuses = await Promise.all(
      users.map(async (_, i) => [
        await post(server!.url, deliveries[2 * i]),
        await post(server!.url, deliveries[2 * i + 1]),
      ]),
    );
    expect(statuses.flat()).toEqual(Array(12).fill(200));
    if (killWhen === 'first-send')
      for (let i = 0; i < 250 && standIn.calls === callsBefore; i++) await new Promise((r) => setTimeout(r, 20));
    await server.stop('SIGKILL');
    expect(standIn.sent).toHaveLength(0);
    standIn.hangAll = false;
    server = await startServerProcess(zaloEnv(store));
    // Zalo delivers again what it may think was lost: recorded already, so not answered twice.
    for (const d of deliveries) expect(await post(server.url, d)).toBe(200);
    await standIn.waitForSent(12, answerWithinMs);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(standIn.sent).toHaveLength(12);
    for (const user of users) {
      const replies = standIn.sent
        .filter((s) => (s.body.recipient as { user_id: string }).user_id === user)
        .map((s) => String((s.body.message as { text: string }).text).slice(0, 12));
      expect(replies, user).toEqual(['Dạ, xin chào', 'Dạ, theo Thô']);
    }
  } finally {
    standIn.hangAll = false;
    await server?.stop('SIGKILL');
  }
}

describe('Zalo deliveries acknowledged before a crash (kill -9)', () => {
  it('are each answered exactly once after a restart on the same SQLite file (killed while Zalo hangs on the replies)', async () => {
    await crashAndRestart({ DATA_DIR: tempDir() }, 'first-send');
  }, 90_000);

  it('are each answered exactly once after a restart on the same SQLite file (killed right after the acknowledgements)', async () => {
    await crashAndRestart({ DATA_DIR: tempDir() }, 'acknowledged');
  }, 90_000);

  // Another instance may hold them: events are taken again once their claim runs out (INBOX_CLAIM_MS,
  // at the next sweep), messages under way once theirs does (OUTBOX_CLAIM_MS).
  it.skipIf(!TEST_DATABASE_URL)(
    'are each answered exactly once after a restart on the same PostgreSQL database, once the dead instance’s claims run out',
    async () => {
      const database = await postgresTestDatabase();
      await database.db.close();
      try {
        await crashAndRestart({ DATABASE_URL: database.location, DATA_DIR: tempDir() }, 'acknowledged', 110_000);
      } finally {
        await database.drop();
      }
    },
    150_000,
  );
});
