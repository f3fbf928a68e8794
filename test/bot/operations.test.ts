import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webchatRoute } from '../../adapters/webchat/webchat-route.ts';
import { zaloSignature } from '../../adapters/zalo/zalo-signature.ts';
import { createLogger } from '../../bot/logger.ts';
import { createHttpServer } from '../../bot/server.ts';
import { TURN_ERROR_TEXT } from '../../bot/turn-error.ts';
import { ConnectorStandIn } from '../helpers/connector-standin.ts';
import { postgresTestDatabase, TEST_DATABASE_URL } from '../helpers/databases.ts';
import { startServerProcess } from '../helpers/processes.ts';
import { useTempDirs } from '../helpers/temp-dirs.ts';
import { say, startTestServer, type TestServer } from '../helpers/server.ts';
import { proxyInFront } from '../helpers/tcp-proxy.ts';
import { ZaloStandIn } from '../helpers/zalo-standin.ts';

const tempDir = useTempDirs('kc-ops');

describe('observability', () => {
  let server: TestServer;
  let zalo: ZaloStandIn;
  let connector: ConnectorStandIn;
  beforeAll(async () => {
    zalo = new ZaloStandIn();
    connector = new ConnectorStandIn();
    await Promise.all([zalo.start(), connector.start()]);
    server = await startTestServer({
      dataDir: tempDir(),
      env: {
        TEAMS: 'on',
        ZALO_APP_ID: '42',
        ZALO_APP_SECRET: zalo.appSecret,
        ZALO_OA_SECRET_KEY: 'k',
        ZALO_OA_ACCESS_TOKEN: 'at-initial',
        ZALO_API_BASE_URL: zalo.url,
        ZALO_OAUTH_BASE_URL: zalo.url,
      },
    });
  });
  afterAll(async () => {
    await server.close();
    await Promise.all([zalo.stop(), connector.stop()]);
  });

  it('logs each turn with the request id, the channel, a hashed conversation id, latency and outcome', async () => {
    const res = await fetch(`${server.url}/api/webchat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-123' },
      body: JSON.stringify({ conversationId: 'conv-visible-id', userId: 'u1', text: 'mức hỗ trợ máy móc' }),
    });
    expect(res.headers.get('x-request-id')).toBe('req-123');
    const line = server.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.msg === 'turn' && l.requestId === 'req-123');
    expect(line).toMatchObject({
      channel: 'webchat',
      outcome: 'answered',
      latencyMs: expect.any(Number),
      conversation: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    expect(server.logs.join('')).not.toContain('conv-visible-id');
  });

  it('exposes Prometheus metrics: turns, latency, outcomes, registrations by status', async () => {
    await say(server.url, 'metrics-conv', 'giá vàng hôm nay');
    const text = await (await server.metrics()).text();
    expect(text).toMatch(/kc_turns_total\{channel="webchat"\} \d+/);
    expect(text).toMatch(/kc_turn_duration_seconds_bucket\{le="0\.05",channel="webchat"\} \d+/);
    expect(text).toMatch(/kc_answer_outcomes_total\{outcome="fell-back"\} \d+/);
    expect(text).toMatch(/kc_registrations\{status="submitted"\} 0/);
    expect(text).toMatch(/kc_unanswered_questions_total \d+/);
    expect(text).toContain('process_resident_memory_bytes');
  });

  it('keeps phone numbers, e-mails, tax codes and names out of the logs on every channel', async () => {
    const secrets = ['0912 345 678', '0912345678', 'lan.tran@gmail.com', '0101234567', 'Trần Thị Lan', 'Gốm Minh Long'];
    // Web chat, through the registration form.
    for (const text of [
      'tôi muốn đăng ký, Cơ sở Gốm Minh Long ở Bắc Giang, sđt 0912 345 678',
      'điền luôn',
      'Hộ kinh doanh',
      '0101234567',
      'xã Phúc Lâm',
      'thôn 3',
      'Trần Thị Lan',
      'lan.tran@gmail.com',
    ])
      await say(server.url, 'pii-web', text);
    // Zalo.
    const event = {
      app_id: '42',
      event_name: 'user_send_text',
      sender: { id: 'zalo-user' },
      recipient: { id: 'oa' },
      message: {
        text: 'Tôi là Trần Thị Lan, sđt 0912 345 678, email lan.tran@gmail.com, MST 0101234567',
        msg_id: 'pii-1',
      },
      timestamp: String(Date.now()),
    };
    const raw = JSON.stringify(event);
    await fetch(`${server.url}/api/zalo/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-zevent-signature': `mac=${zaloSignature('42', Buffer.from(raw), event.timestamp, 'k')}`,
      },
      body: raw,
    });
    await zalo.waitForSent(1);
    // Teams.
    await fetch(`${server.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: 'pii-t',
        channelId: 'msteams',
        serviceUrl: connector.url,
        from: { id: 'o', name: 'Trần Thị Lan' },
        recipient: { id: 'b' },
        conversation: { id: 'c-pii' },
        text: 'gọi 0912 345 678 hoặc lan.tran@gmail.com',
      }),
    });
    await connector.waitFor(1);
    const logs = server.logs.join('\n');
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(logs).not.toContain(secret);
  });
});

describe('failed turns', () => {
  it('are counted by channel on /metrics and logged with outcome "error", and the user gets the apology', async () => {
    const server = await startTestServer({ dataDir: tempDir() });
    try {
      // A form started: the conversation is claimed (and its owner remembered) with its state.
      await say(server.url, 'conv-fails-7731', 'tôi muốn đăng ký');
      // The store goes away under the server: every turn that reads state fails from now on.
      await server.stores.close();
      const replies = await say(server.url, 'conv-fails-7731', 'mức hỗ trợ máy móc');
      expect(replies.map((r) => r.text)).toEqual([TURN_ERROR_TEXT]);
      const text = await (await server.metrics()).text();
      expect(text).toMatch(/kc_turn_errors_total\{channel="webchat"\} 1\b/);
      expect(text).toMatch(/kc_turns_total\{channel="webchat"\} 2\b/);
      const lines = server.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
      const turns = lines.filter((l) => l.msg === 'turn');
      expect(turns.map((l) => l.outcome)).toEqual(['flow', 'error']);
      // The failure's own line names the conversation as the turn lines do, hashed.
      expect(lines.find((l) => l.msg === 'turn failed')).toMatchObject({
        channel: 'webchat',
        conversation: turns[1].conversation,
      });
      expect(server.logs.join('')).not.toContain('conv-fails-7731');
    } finally {
      await server.close().catch(() => undefined);
    }
  });
});

describe('limits', () => {
  it('answers a user who writes too fast politely, and limits one address on the web chat', async () => {
    const server = await startTestServer({ dataDir: tempDir(), userMessagesPerMinute: 3, webchatPerMinute: 6 });
    try {
      const replies = [];
      for (let i = 0; i < 4; i++) replies.push((await say(server.url, 'fast', 'xin chào'))[0].text);
      expect(replies[3]).toContain('nhắn hơi nhanh');
      expect(replies[2]).not.toContain('nhắn hơi nhanh');
      const statuses = [];
      for (let i = 0; i < 3; i++)
        statuses.push(
          (
            await fetch(`${server.url}/api/webchat`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ conversationId: `a${i}`, userId: `v${i}`, text: 'xin chào' }),
            })
          ).status,
        );
      expect(statuses).toEqual([200, 200, 429]);
    } finally {
      await server.close();
    }
  });

  it('limits each client behind a trusted reverse proxy on its own, and believes no forwarded address otherwise', async () => {
    const post = (url: string, forwardedFor: string, i: number) =>
      fetch(`${url}/api/webchat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
        body: JSON.stringify({ conversationId: `p${i}`, userId: `p${i}`, text: 'xin chào' }),
      }).then((r) => r.status);
    // Behind a proxy on this machine: the address it forwards is the client's.
    const behind = await startTestServer({ dataDir: tempDir(), webchatPerMinute: 2, trustedProxies: ['loopback'] });
    try {
      const first = [
        await post(behind.url, '203.0.113.7', 1),
        await post(behind.url, '203.0.113.7', 2),
        await post(behind.url, '203.0.113.7', 3),
      ];
      expect(first).toEqual([200, 200, 429]);
      // Another client of the same proxy is not held back by the first.
      expect(await post(behind.url, '198.51.100.20', 4)).toBe(200);
    } finally {
      await behind.close();
    }
    // Trusting no proxy, a client cannot slip past its limit by sending other addresses.
    const direct = await startTestServer({ dataDir: tempDir(), webchatPerMinute: 2 });
    try {
      expect([
        await post(direct.url, '203.0.113.1', 1),
        await post(direct.url, '203.0.113.2', 2),
        await post(direct.url, '203.0.113.3', 3),
      ]).toEqual([200, 200, 429]);
    } finally {
      await direct.close();
    }
  });

  it('cuts a message over 2,000 characters and says so', async () => {
    const server = await startTestServer({ dataDir: tempDir() });
    try {
      const replies = await say(
        server.url,
        'long',
        `hộ kinh doanh có được hỗ trợ khuyến công không ${'a '.repeat(3000)}`,
      );
      expect(replies[0].text).toContain('dài hơn 2.000 ký tự');
      expect(replies.at(-1)!.entities.find((e) => e.type === 'kc.answer')?.topic).toBe('eligibility-household');
    } finally {
      await server.close();
    }
  });
});

describe('graceful shutdown', () => {
  it('finishes the turn in flight, closes the store and exits 0 on SIGTERM', async () => {
    const server = await startServerProcess({ DATA_DIR: tempDir() });
    // The request's headers and half its body are in when the signal comes: it is in flight.
    const body = JSON.stringify({ conversationId: 'bye', userId: 'u', text: 'vốn đối ứng là gì' });
    const { port } = new URL(server.url);
    let sendRest = () => {};
    const status = new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/api/webchat',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 10));
      sendRest = () => req.end(body.slice(10));
    });
    await new Promise((r) => setTimeout(r, 200));
    const exit = server.stop('SIGTERM');
    await new Promise((r) => setTimeout(r, 100));
    sendRest();
    expect(await status).toBe(200);
    expect(await exit).toBe(0);
    expect(server.output()).toContain('shutting down');
  });
});

describe.skipIf(!TEST_DATABASE_URL)('a store that stops answering or refuses connections', () => {
  it('is reported by /readyz and /metrics at once, and /metrics still gives every other figure', async () => {
    const database = await postgresTestDatabase();
    // The server reaches the database through the proxy only.
    const { proxy, url } = await proxyInFront(database.location);
    const server = await startServerProcess({ DATABASE_URL: url, DATA_DIR: tempDir() });
    try {
      await say(server.url, 'before', 'vốn đối ứng là gì');
      const metrics = async () => {
        const res = await fetch(`${server.url}/metrics`);
        return { status: res.status, text: await res.text() };
      };
      const ready = async () => {
        const res = await fetch(`${server.url}/readyz`);
        return { status: res.status, body: (await res.json()) as { checks: Record<string, boolean> } };
      };
      expect(await ready()).toMatchObject({ status: 200, body: { checks: { store: true } } });
      expect((await metrics()).text).toMatch(/kc_store_reachable 1/);

      // Stops answering: without bounds, each would wait for the driver's own timeout (35 s),
      // past this test's, and a scrape would fail whole.
      proxy.freeze();
      expect(await ready()).toMatchObject({ status: 503, body: { checks: { store: false, knowledge: true } } });
      const frozen = await metrics();
      expect(frozen.status).toBe(200);
      expect(frozen.text).toMatch(/kc_store_reachable 0/);
      expect(frozen.text).toMatch(/kc_turns_total\{channel="webchat"\} 1/);
      expect(frozen.text).not.toMatch(/kc_registrations\{/);

      // Refuses connections: the count fails at once, which used to fail the whole scrape (500).
      await proxy.close();
      const refused = await metrics();
      expect(refused.status).toBe(200);
      expect(refused.text).toMatch(/kc_store_reachable 0/);
      expect(refused.text).toContain('process_resident_memory_bytes');
      expect((await ready()).status).toBe(503);
    } finally {
      await server.stop();
      await proxy.close();
      await database.drop();
    }
  }, 30_000);
});

describe.skipIf(!TEST_DATABASE_URL)('a store that stops answering during a conversation', () => {
  it('gets the user the apology within 30 s, before a reverse proxy gives up (60 s)', async () => {
    const database = await postgresTestDatabase();
    const { proxy, url } = await proxyInFront(database.location);
    const server = await startServerProcess({ DATABASE_URL: url, DATA_DIR: tempDir() });
    try {
      // A known conversation (its owner is remembered), then the store stops answering.
      await say(server.url, 'c-outage', 'tôi muốn đăng ký');
      proxy.freeze();
      const started = performance.now();
      const replies = await say(server.url, 'c-outage', 'điền luôn');
      const seconds = (performance.now() - started) / 1000;
      expect(replies.map((r) => r.text)).toContain(TURN_ERROR_TEXT);
      expect(seconds).toBeLessThan(30);
      // A new conversation, whose owner must be looked up in the store, is answered as fast.
      const fresh = await fetch(`${server.url}/api/webchat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ conversationId: 'c-outage-new', userId: 'u9', text: 'hạn nộp' }),
      });
      expect(fresh.status).toBe(503);
      expect(((await fresh.json()) as { message: string }).message).toBe(TURN_ERROR_TEXT);
    } finally {
      await server.stop('SIGKILL');
      await proxy.close();
      await database.drop();
    }
  }, 60_000);
});

describe('behind a reverse proxy or load balancer', () => {
  it('keeps an idle keep-alive connection longer than they keep theirs (Node closes it after 5 s)', async () => {
    const server = await startServerProcess({ DATA_DIR: tempDir() });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
        const req = request(`${server.url}/healthz`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
        });
        req.on('error', reject);
        req.end();
      });
    try {
      expect(await get()).toEqual({ status: 200, reused: false });
      // Idle past Node's default keep-alive timeout: a proxy reusing the connection now would
      // race the server's close and answer 502.
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      expect(await get()).toEqual({ status: 200, reused: true });
    } finally {
      agent.destroy();
      await server.stop();
    }
  }, 20_000);
});

describe('slow clients', () => {
  it('answers 408 and closes a connection whose headers or body trickle in past the limits; a prompt request is served', async () => {
    const logger = createLogger('silent', new Writable({ write: (_c, _e, done) => done() }));
    // The web chat route never gets as far as a turn here: the requests are refused before.
    const route = webchatRoute(async () => [
      { type: 'message', text: 'ok', suggestedActions: { actions: [] }, attachments: [], entities: [] },
    ]);
    const { server } = createHttpServer({
      logger,
      routes: [route],
      routers: [],
      readiness: [],
      slowClientLimits: { headersMs: 400, requestMs: 800, checkEveryMs: 100 },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    /** Writes `head` at once, then `drip` one byte every 100 ms; resolves with what the server sent before it closed, and after how long. */
    const slow = (head: string, drip: string) =>
      new Promise<{ answer: string; ms: number }>((resolve, reject) => {
        const started = performance.now();
        const socket = connect(port, '127.0.0.1', () => socket.write(head));
        let answer = '';
        let i = 0;
        const timer = setInterval(() => i < drip.length && !socket.destroyed && socket.write(drip[i++]), 100);
        const giveUp = setTimeout(
          () => socket.destroy(new Error(`still open after 5 s, having sent ${i} bytes`)),
          5_000,
        );
        socket.on('data', (d) => (answer += String(d)));
        socket.on('error', reject);
        socket.on('close', () => {
          clearInterval(timer);
          clearTimeout(giveUp);
          resolve({ answer, ms: performance.now() - started });
        });
      });
    try {
      const headers = await slow('POST /api/webchat HTTP/1.1\r\nHost: x\r\n', 'X-Slow: ' + 'a'.repeat(100));
      expect(headers.answer).toMatch(/^HTTP\/1\.1 408 /);
      const body = 'x'.repeat(200);
      const trickled = await slow(
        `POST /api/webchat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
        body,
      );
      expect(trickled.answer).toMatch(/^HTTP\/1\.1 408 /);
      expect(trickled.ms).toBeLessThan(3_000);
      const prompt = await fetch(`http://127.0.0.1:${port}/api/webchat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ conversationId: 'c', userId: 'u', text: 'chào' }),
      });
      expect(prompt.status).toBe(200);
      expect(((await prompt.json()) as { activities: { text: string }[] }).activities[0]?.text).toBe('ok');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }, 20_000);
});

describe('/metrics access', () => {
  it('asks for the bearer token when one is set, and is off in production without one', async () => {
    const production = { NODE_ENV: 'production', USER_HASH_SALT: 'a-real-secret-salt-7f3a' };
    const token = 'prometheus-scrape-token-5d1c9e';
    const guarded = await startServerProcess({ ...production, METRICS_TOKEN: token, DATA_DIR: tempDir() });
    try {
      const scrape = (authorization?: string) =>
        fetch(`${guarded.url}/metrics`, { headers: authorization ? { authorization } : {} });
      expect((await scrape()).status).toBe(401);
      expect((await scrape(`Bearer ${token}x`)).status).toBe(401);
      expect((await scrape(token)).status).toBe(401);
      const ok = await scrape(`Bearer ${token}`);
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('kc_store_reachable 1');
      expect(guarded.output()).not.toContain(token);
    } finally {
      await guarded.stop();
    }
    const open = await startServerProcess({ ...production, DATA_DIR: tempDir() });
    try {
      expect((await fetch(`${open.url}/metrics`)).status).toBe(404);
      await open.waitForOutput('/metrics is off without METRICS_TOKEN');
    } finally {
      await open.stop();
    }
  }, 30_000);
});

describe('a server started without NODE_ENV', () => {
  it("serves officers' data and /metrics without sign-in only on loopback without channel credentials, and says which mode it runs in and why", async () => {
    const local = await startServerProcess({ DATA_DIR: tempDir() });
    try {
      await local.waitForOutput('development mode: NODE_ENV unset, listening on 127.0.0.1 only');
      expect((await fetch(`${local.url}/api/registrations`)).status).toBe(200);
      expect((await fetch(`${local.url}/metrics`)).status).toBe(200);
      // A web page that rebinds its own name to 127.0.0.1 still sends its name as the Host.
      const rebound = await new Promise<number>((resolve, reject) => {
        const req = request(`${local.url}/api/registrations`, { headers: { host: 'attacker.example:80' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
      expect(rebound).toBe(421);
    } finally {
      await local.stop();
    }
    // Zalo fully configured, NODE_ENV forgotten: the owners' channel works, officers' data does not open.
    const zalo = {
      ZALO_APP_ID: '42',
      ZALO_APP_SECRET: 'app-secret-4f1e',
      ZALO_OA_SECRET_KEY: 'oa-secret-9c2d',
      ZALO_OA_ACCESS_TOKEN: 'at',
      ZALO_API_BASE_URL: 'http://127.0.0.1:9',
      ZALO_OAUTH_BASE_URL: 'http://127.0.0.1:9',
    };
    const deployed = await startServerProcess({ ...zalo, DATA_DIR: tempDir() });
    try {
      await deployed.waitForOutput("officers' data needs sign-in because Zalo credentials are set");
      expect((await fetch(`${deployed.url}/api/registrations`)).status).toBe(401);
      expect((await fetch(`${deployed.url}/api/registrations/export.xlsx`)).status).toBe(401);
      expect((await fetch(`${deployed.url}/metrics`)).status).toBe(404);
      // No Teams without credentials either: its local mode answers anyone.
      expect(
        (
          await fetch(`${deployed.url}/api/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{}',
          })
        ).status,
      ).toBe(404);
    } finally {
      await deployed.stop();
    }
  }, 30_000);
});

describe('a failure outside any request', () => {
  it.each(['exception', 'rejection'])(
    'logs a fatal JSON line and exits 1, for a service manager to restart (%s)',
    async (kind) => {
      const server = await startServerProcess({
        DATA_DIR: tempDir(),
        NODE_OPTIONS: `--import=${new URL('../fixtures/crash/on-sigusr2.mjs', import.meta.url).pathname}`,
        CRASH_KIND: kind,
      });
      const exit = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
      server.child.kill('SIGUSR2');
      expect(await exit).toBe(1);
      const fatal = server
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { level: number; msg: string; err?: { message: string } })
        .find((l) => l.level === 60);
      expect(fatal).toMatchObject({
        msg: `crashed: ${kind === 'exception' ? 'uncaught exception' : 'unhandled promise rejection'}`,
        err: { message: `${kind === 'exception' ? 'uncaught exception' : 'unhandled rejection'} for the crash test` },
      });
    },
  );
});
