import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadContentOrThrow } from '../../adapters/content/content-files.ts';
import { openStores, type OpenedStores } from '../../adapters/storage/open-stores.ts';
import { directoryFromFile, NO_DIRECTORY } from '../../bot/officers.ts';
import { createTeamsChannel } from '../../adapters/teams/teams-channel.ts';
import { loadConfig } from '../../bot/config.ts';
import { createLogger } from '../../bot/logger.ts';
import { createHttpServer } from '../../bot/server.ts';
import { createRuntime } from '../../bot/runtime.ts';
import type { RegistrationRecord } from '../../bot/stores.ts';
import { BUNDLED_CONTENT_DIR } from '../../knowledge/index.ts';
import { ConnectorStandIn } from '../helpers/connector-standin.ts';
import { EntraStandIn } from '../helpers/entra-standin.ts';
import { useTempDirs } from '../helpers/temp-dirs.ts';

const tempDir = useTempDirs('kc-teams-sign-in');
let entra: EntraStandIn;
let connector: ConnectorStandIn;
let opened: OpenedStores;
const record: RegistrationRecord = {
  id: 'r-1',
  code: 'KC-2026-000001',
  userKey: 'webchat:u',
  channel: 'webchat',
  status: 'submitted',
  schemaVersion: 1,
  data: { facilityName: 'Cơ sở Mộc Hưng', province: 'Bắc Ninh' },
  province: 'Bắc Ninh',
  supportArea: null,
  createdAt: new Date(),
  updatedAt: new Date(),
  submittedAt: new Date(),
  stage: null,
  stageAt: null,
  corrections: {},
};

beforeAll(async () => {
  entra = new EntraStandIn();
  connector = new ConnectorStandIn();
  await Promise.all([entra.start(), connector.start()]);
  opened = await openStores({ dataDir: tempDir() });
});
afterAll(async () => {
  await opened.stores.close();
  await Promise.all([entra.stop(), connector.stop()]);
});

/**
 * The Teams channel of a single-tenant bot with app id `appId`, its sign-in requests bounded by
 * 300 ms, logging into `lines`. Each bot has its own app id, as botbuilder caches tokens by app id
 * for the whole process.
 */
function teamsBot(
  appId: string,
  lines: string[],
  signIn: Parameters<typeof createTeamsChannel>[0]['signIn'],
  appType: 'SingleTenant' | 'MultiTenant' = 'SingleTenant',
) {
  const logger = createLogger(
    'info',
    new Writable({ write: (chunk, _e, done) => done(void lines.push(String(chunk))) }),
  );
  const runtime = createRuntime({
    config: { TZ: 'Asia/Ho_Chi_Minh' },
    logger,
    content: loadContentOrThrow(BUNDLED_CONTENT_DIR),
    storage: opened.storage,
    stores: opened.stores,
  });
  const config = loadConfig({
    MicrosoftAppId: appId,
    MicrosoftAppPassword: 'app-password-for-tests',
    MicrosoftAppType: appType,
    ...(appType === 'SingleTenant' ? { MicrosoftAppTenantId: 'tenant-1' } : { TEAMS_ALLOWED_TENANTS: 'tenant-1' }),
  });
  const { router } = createTeamsChannel({
    config,
    runtime,
    stores: opened.stores,
    logger,
    // The officer who subscribed the conversation is an administrator.
    access: {
      groups: new Map(),
      directory: directoryFromFile({ officers: [{ id: 'aad-admin', grants: ['admin'] }] }),
      remembered: NO_DIRECTORY,
      developmentAdmin: false,
    },
    signIn: { ...signIn, timeoutMs: 300 },
  });
  return { runtime, router, logger };
}

/** A bot that signs in at the stand-in, and a subscribed conversation: a confirmed registration makes it sign in and notify it. */
async function notifyingBot(appId: string, lines: string[], appType?: 'SingleTenant' | 'MultiTenant') {
  const { runtime } = teamsBot(appId, lines, { loginUrl: `${entra.url}/`, agent: entra.agent }, appType);
  const conversationId = `conv-${appId}`;
  const reference = {
    channelId: 'msteams',
    serviceUrl: connector.url,
    conversation: { id: conversationId, tenantId: 'tenant-1' },
    bot: { id: appId },
    user: { id: 'officer' },
  };
  const officer = { id: 'aad-admin', tenantId: 'tenant-1' };
  await opened.stores.references.upsert(`teams-sub:${conversationId}`, 'msteams', { reference, officer }, new Date());
  return { runtime, conversationId };
}

describe('the bot signing in to Microsoft Entra ID for its Teams messages (a stand-in over HTTPS)', () => {
  it('asks its tenant for a Bot Framework token and sends it with the message', async () => {
    const lines: string[] = [];
    const { runtime, conversationId } = await notifyingBot('app-answered', lines);
    await runtime.announceRegistration(record);
    const [posted] = (await connector.waitFor(1)).filter((p) => p.conversationId === conversationId);
    expect(posted?.authorization).toMatch(/^Bearer token-\d+$/);
    const asked = entra.tokenRequests.at(-1)!;
    expect(asked.tenant).toBe('tenant-1');
    expect(Object.fromEntries(asked.form)).toMatchObject({
      grant_type: 'client_credentials',
      client_id: 'app-answered',
      client_secret: 'app-password-for-tests',
      scope: 'https://api.botframework.com/.default',
    });
  });

  it("signs a multi-tenant bot in at the Bot Framework's tenant, as botbuilder does", async () => {
    const { runtime, conversationId } = await notifyingBot('app-multi', [], 'MultiTenant');
    await runtime.announceRegistration(record);
    expect((await connector.waitFor(1)).find((p) => p.conversationId === conversationId)?.authorization).toMatch(
      /^Bearer token-\d+$/,
    );
    expect(entra.tokenRequests.at(-1)).toMatchObject({ tenant: 'botframework.com' });
  });

  it('gives up on a sign-in service that never answers, so the notification fails instead of hanging for ever', async () => {
    const lines: string[] = [];
    const { runtime, conversationId } = await notifyingBot('app-hanging', lines);
    entra.hanging = true;
    const asked = entra.tokenRequests.length;
    try {
      const started = performance.now();
      await runtime.announceRegistration(record);
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(entra.tokenRequests.length).toBeGreaterThan(asked);
      expect(connector.posted.filter((p) => p.conversationId === conversationId)).toHaveLength(0);
      // The notification's turn failed as any turn does, logged with the reason, and let go of its conversation.
      const logged = lines.map((l) => JSON.parse(l) as { msg: string; host?: string });
      expect(logged.find((l) => l.msg.includes('sign-in service did not answer'))).toMatchObject({
        host: new URL(entra.url).host,
        timeoutMs: 300,
      });
      expect(logged.some((l) => l.msg === 'turn failed')).toBe(true);
      expect(lines.join('')).not.toContain('app-password-for-tests');
    } finally {
      entra.hanging = false;
    }
    // Once the service answers again, so does the bot: nothing was left stuck.
    await runtime.announceRegistration(record);
    expect((await connector.waitFor(2)).filter((p) => p.conversationId === conversationId)).toHaveLength(1);
  }, 20_000);

  it("answers a Teams request 500 when the Bot Framework's signing keys do not arrive, instead of holding it for ever", async () => {
    // The OpenID metadata service accepts the connection and never answers.
    let asked = 0;
    const metadata = createServer(() => void (asked += 1));
    await new Promise<void>((resolve) => metadata.listen(0, '127.0.0.1', resolve));
    const lines: string[] = [];
    const { router, logger } = teamsBot('app-inbound', lines, {
      openIdMetadataUrl: `http://127.0.0.1:${(metadata.address() as AddressInfo).port}/openid`,
    });
    const { server } = createHttpServer({ logger, routers: [router], readiness: [] });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const token = `${part({ alg: 'RS256', typ: 'JWT', kid: 'key-1' })}.${part({ iss: 'https://api.botframework.com', aud: 'app-inbound', exp: Math.floor(Date.now() / 1000) + 3600 })}.c2lnbmF0dXJl`;
    // botbuilder's CloudAdapter prints the error it answers 500 with to the console itself.
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const activity = {
      type: 'message',
      id: 'in-1',
      channelId: 'msteams',
      serviceUrl: connector.url,
      from: { id: 'officer' },
      recipient: { id: 'app-inbound' },
      conversation: { id: 'conv-inbound' },
      text: 'xin chào',
    };
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(activity),
        signal: AbortSignal.timeout(10_000),
      });
      expect(res.status).toBe(500);
      expect(asked).toBeGreaterThan(0);
      expect(
        lines
          .map((l) => JSON.parse(l) as { msg: string })
          .some((l) => l.msg.includes('signing keys did not arrive in time')),
      ).toBe(true);
      expect(connector.posted.filter((p) => p.conversationId === 'conv-inbound')).toHaveLength(0);
    } finally {
      server.closeAllConnections();
      metadata.closeAllConnections();
      await Promise.all([
        new Promise((resolve) => server.close(resolve)),
        new Promise((resolve) => metadata.close(resolve)),
      ]);
    }
  }, 20_000);
});
