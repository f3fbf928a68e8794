import { MemoryStorage } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEEP_ALIVE_MARGIN_MS, ZaloClient, ZaloHttpError } from '../../adapters/zalo/zalo-client.ts';
import { createLogger } from '../../bot/logger.ts';
import { startTestServer } from '../helpers/server.ts';
import { useTempDirs } from '../helpers/temp-dirs.ts';
import { ZaloStandIn } from '../helpers/zalo-standin.ts';

const tempDir = useTempDirs('kc-zalo-keepalive');
const HOUR = 3_600_000;
let standIn: ZaloStandIn;

beforeAll(async () => {
  standIn = new ZaloStandIn();
  await standIn.start();
});
afterAll(async () => {
  await standIn.stop();
});

describe('Zalo tokens kept alive without traffic', () => {
  it('refreshes only when the access token is about to lapse, each time with the refresh token the last refresh gave', async () => {
    let now = Date.parse('2026-11-27T00:00:00Z');
    const storage = new MemoryStorage();
    await storage.write({
      'zalo/tokens': { accessToken: 'at-initial', refreshToken: 'rt-initial', expiresAt: now + 3 * HOUR },
    });
    const client = new ZaloClient({
      apiBaseUrl: standIn.url,
      oauthBaseUrl: standIn.url,
      appId: '42',
      appSecret: standIn.appSecret,
      storage,
      initial: {},
      logger: createLogger('silent'),
      clock: () => now,
    });
    const before = standIn.refreshes.length;

    expect(await client.keepAlive()).toBe(false);
    now += 3 * HOUR - KEEP_ALIVE_MARGIN_MS + 1;
    expect(await client.keepAlive()).toBe(true);
    expect(await client.keepAlive()).toBe(false);
    // A quiet OA, checked day after day: every refresh spends the single-use token the last one gave.
    for (let day = 0; day < 5; day++) {
      now += 24 * HOUR;
      expect(await client.keepAlive()).toBe(true);
    }
    // The stand-in accepts a refresh token once; six refreshes that all succeeded used six tokens.
    const used = standIn.refreshes.slice(before).map((r) => r.body.refresh_token);
    expect(used[0]).toBe('rt-initial');
    expect(new Set(used).size).toBe(6);
  });

  it('is checked on a schedule by the running channel, with no message at all', async () => {
    standIn.validRefreshTokens.add('rt-configured');
    const before = standIn.refreshes.length;
    const server = await startTestServer({
      dataDir: tempDir(),
      zaloKeepAliveEveryMs: 50,
      env: {
        ZALO_APP_ID: '42',
        ZALO_APP_SECRET: standIn.appSecret,
        ZALO_OA_SECRET_KEY: 'oa-secret',
        ZALO_OA_ACCESS_TOKEN: 'at-configured',
        ZALO_OA_REFRESH_TOKEN: 'rt-configured',
        ZALO_API_BASE_URL: standIn.url,
        ZALO_OAUTH_BASE_URL: standIn.url,
      },
    });
    try {
      // A configured access token is of unknown age, so it is counted as lapsing within the hour.
      for (let i = 0; i < 100 && standIn.refreshes.length === before; i++)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(standIn.refreshes.slice(before).map((r) => r.body.refresh_token)).toEqual(['rt-configured']);
      expect(standIn.sent.length).toBe(0);
    } finally {
      await server.close();
    }
  });
});

describe('Zalo network failures', () => {
  it('keep the underlying error as the cause of ZaloHttpError, for the logs', async () => {
    // Port 9 (discard) on loopback: nothing listens, the connection is refused.
    const client = new ZaloClient({
      apiBaseUrl: 'http://127.0.0.1:9',
      oauthBaseUrl: 'http://127.0.0.1:9',
      appId: '42',
      appSecret: 's',
      storage: new MemoryStorage(),
      initial: { accessToken: 'at', refreshToken: 'rt' },
      logger: createLogger('silent'),
    });
    const sent = await client.send({ recipient: { user_id: '1' }, message: { text: 'x' } }).catch((e: unknown) => e);
    expect(sent).toBeInstanceOf(ZaloHttpError);
    expect((sent as Error).message).toBe('cannot send a Zalo message because the network failed');
    expect((sent as Error).cause).toBeInstanceOf(Error);
    const refreshed = await client.refresh(await client.tokens()).catch((e: unknown) => e);
    expect(refreshed).toBeInstanceOf(ZaloHttpError);
    expect((refreshed as Error).cause).toBeInstanceOf(Error);
  });
});
