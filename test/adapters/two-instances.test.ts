import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TURN_ERROR_TEXT } from '../../bot/turn-error.ts';
import { postgresTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../helpers/databases.ts';
import { startServerProcess, type ServerProcess } from '../helpers/processes.ts';
import { say } from '../helpers/server.ts';
import { ZaloStandIn } from '../helpers/zalo-standin.ts';
import { zaloSignature } from '../../adapters/zalo/zalo-signature.ts';

const outcome = (a: { entities: { type: string; outcome?: string }[] }) =>
  a.entities.find((e) => e.type === 'kc.answer')?.outcome;

describe.skipIf(!TEST_DATABASE_URL)('two server processes on one PostgreSQL database', () => {
  let database: TestDatabase;
  let a: ServerProcess;
  let b: ServerProcess;
  const standIn = new ZaloStandIn();

  beforeAll(async () => {
    database = await postgresTestDatabase();
    await database.db.close();
    await standIn.start();
    const env = {
      DATABASE_URL: database.location,
      ZALO_APP_ID: '42',
      ZALO_APP_SECRET: standIn.appSecret,
      ZALO_OA_SECRET_KEY: 'oa-secret',
      ZALO_OA_ACCESS_TOKEN: 'at-initial',
      ZALO_OA_REFRESH_TOKEN: 'rt-initial',
      ZALO_API_BASE_URL: standIn.url,
      ZALO_OAUTH_BASE_URL: standIn.url,
    };
    // Both start at once: the migrations must still run exactly once.
    [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await standIn.stop();
    await database?.drop();
  });

  it('answer a Zalo delivery that reaches both of them once', async () => {
    const body = {
      app_id: '42',
      event_name: 'user_send_text',
      sender: { id: 'zu-1' },
      recipient: { id: 'oa' },
      message: { text: 'ai dc ho tro kc', msg_id: 'twice-1' },
      timestamp: String(Date.now()),
    };
    const raw = JSON.stringify(body);
    const headers = {
      'content-type': 'application/json',
      'x-zevent-signature': `mac=${zaloSignature('42', Buffer.from(raw), body.timestamp, 'oa-secret')}`,
    };
    const statuses = await Promise.all(
      [a.url, b.url, a.url, b.url].map(
        async (url) => (await fetch(`${url}/api/zalo/webhook`, { method: 'POST', headers, body: raw })).status,
      ),
    );
    expect(statuses).toEqual([200, 200, 200, 200]);
    await standIn.waitForSent(1);
    await new Promise((r) => setTimeout(r, 500));
    expect(standIn.sent).toHaveLength(1);
    expect(String((standIn.sent[0].body.message as { text: string }).text)).toMatch(/Nghị định 235\/2025/);
  });

  it('carry one conversation turn by turn, as a load balancer would spread it', async () => {
    const [clarify] = await say(a.url, 'lb-1', 'hạn');
    expect(outcome(clarify)).toBe('clarified');
    const [picked] = await say(b.url, 'lb-1', '2');
    expect(outcome(picked)).toBe('answered');
    const [next] = await say(a.url, 'lb-1', 'hồ sơ');
    expect(outcome(next)).toBe('clarified');
    const [again] = await say(b.url, 'lb-1', '1');
    expect(outcome(again)).toBe('answered');
  });

  it('never lose or fork the state when turns of one conversation arrive at both at once', async () => {
    // Each turn changes the state (a different "Ý bạn là…" each time), so two turns that read the
    // same state would collide on their writes.
    const vague = ['hạn', 'hồ sơ', 'đề án'];
    const logged = (server: ServerProcess) => server.output().split('"msg":"turn"').length - 1;
    const [loggedA, loggedB] = [logged(a), logged(b)];
    const turns = Array.from({ length: 24 }, (_, i) => say(i % 2 === 0 ? a.url : b.url, 'lb-2', vague[i % 3]));
    const replies = (await Promise.all(turns)).flat();
    expect(replies).toHaveLength(24);
    expect(replies.filter((r) => r.text === TURN_ERROR_TEXT)).toEqual([]);
    expect(replies.every((r) => outcome(r) === 'clarified')).toBe(true);
    const [picked] = await say(b.url, 'lb-2', '1');
    expect(outcome(picked)).toBe('answered');
    await Promise.all([a.waitForOutput('"msg":"turn"', loggedA + 12), b.waitForOutput('"msg":"turn"', loggedB + 13)]);
    expect(a.output() + b.output()).not.toContain('turn failed');
  });
});
