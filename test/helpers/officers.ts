import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JWTVerifyGetKey } from 'jose';
import { expect } from 'vitest';
import { tabAuthOptions, type TabAuthOptions } from '../../adapters/teams/registrations-api.ts';
import { loadConfig } from '../../bot/config.ts';
import type { RegistrationRecord } from '../../bot/stores.ts';
import { ConnectorStandIn } from './connector-standin.ts';
import { EntraStandIn } from './entra-standin.ts';
import { startTestServer, type TestServer } from './server.ts';
import { teamsMessage } from './teams-activity.ts';

const APP_ID = '11111111-2222-3333-4444-555555555555';
const AUDIENCE = `api://kc.example.vn/${APP_ID}`;

/**
 * The officers of these tests: Bắc Ninh's (an Entra group in the tab; in Teams, the sign-in the
 * tab remembered), Huế's (the officers file), an administrator (file), Huế's content curator
 * (file), and a user with no role.
 */
export const OFFICERS = {
  bn: { oid: 'aad-bn', groups: ['g-bn'], name: 'Cán bộ Bắc Ninh' },
  hue: { oid: 'aad-hue', groups: [], name: 'Cán bộ Huế' },
  admin: { oid: 'aad-admin', groups: [], name: 'Quản trị' },
  curHue: { oid: 'aad-cur-hue', groups: [], name: 'Biên tập Huế' },
  none: { oid: 'aad-none', groups: ['g-unrelated'], name: 'Người ngoài' },
} as const;
/** One of OFFICERS. */
export type Who = keyof typeof OFFICERS;

/** The tab's sign-in of these tests (Teams SSO through `entra`, no standalone mode), as startTestServer's `web`. */
export function tabSignIn(entra: EntraStandIn): { auth: TabAuthOptions; jwks: JWTVerifyGetKey } {
  const config = loadConfig({
    MicrosoftAppId: APP_ID,
    PUBLIC_BASE_URL: 'https://kc.example.vn',
    TEAMS_ALLOWED_TENANTS: 'tenant-ok',
    TAB_JWKS_URL: entra.jwksUrl,
  });
  return { auth: { ...tabAuthOptions(config), allowStandalone: false }, jwks: entra.keySet() };
}

/** A tab token of a user of the allowed tenant, for the app of these tests. */
export function tabToken(
  entra: EntraStandIn,
  user: { oid: string; groups: readonly string[]; name?: string },
): Promise<string> {
  return entra.userToken({
    tenant: 'tenant-ok',
    audience: AUDIENCE,
    oid: user.oid,
    ...(user.name ? { name: user.name } : {}),
    groups: [...user.groups],
  });
}

/** A real server whose tab signs users in through an Entra stand-in, the app's variables set. */
export interface TabServer {
  server: TestServer;
  entra: EntraStandIn;
  /** A tab token of user `oid`, a member of the Entra group `group`. */
  token(group: string, oid: string): Promise<string>;
  close(): Promise<void>;
}

/** Starts a server whose OFFICER_GROUPS is `officerGroups` (e.g. "g-bn=curator@Bắc Ninh"), data in a `prefix` folder. */
export async function startTabServer(officerGroups: string, prefix: string): Promise<TabServer> {
  const entra = new EntraStandIn();
  await entra.start();
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const server = await startTestServer({
    dataDir,
    env: {
      MicrosoftAppId: APP_ID,
      PUBLIC_BASE_URL: 'https://kc.example.vn',
      TEAMS_ALLOWED_TENANTS: 'tenant-ok',
      OFFICER_GROUPS: officerGroups,
      TAB_JWKS_URL: entra.jwksUrl,
    },
    web: tabSignIn(entra),
  });
  return {
    server,
    entra,
    token: (group, oid) => tabToken(entra, { oid, groups: [group] }),
    close: async () => {
      await server.close();
      await entra.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A real server with Teams (local mode) against a Bot Connector stand-in, and the tab signed in through an Entra stand-in. */
export interface OfficersServer {
  server: TestServer;
  entra: EntraStandIn;
  connector: ConnectorStandIn;
  /** A tab token of `who`. */
  token(who: Who): Promise<string>;
  /** A tab request as `who`. */
  request(who: Who, path: string, init?: { method?: string; body?: unknown }): Promise<Response>;
  /** A Teams message from `who` in `conversationId` (a channel's, or their personal chat with the bot). */
  tell(who: Who, conversationId: string, text: string, personal?: boolean): Promise<void>;
  /** The bodies posted to a Teams conversation, as JSON text. */
  postedTo(conversationId: string): string[];
  /** A submitted registration of `province`, through the store. */
  submit(key: string, province: string | null, data?: Record<string, unknown>): Promise<RegistrationRecord>;
  close(): Promise<void>;
}

/** Starts the officers' server; `env` adds variables (Zalo's, a digest). */
export async function startOfficersServer(
  options: { env?: Record<string, string>; now?: Date } = {},
): Promise<OfficersServer> {
  const entra = new EntraStandIn();
  await entra.start();
  const connector = new ConnectorStandIn();
  await connector.start();
  const dir = mkdtempSync(join(tmpdir(), 'kc-officers-'));
  const officersFile = join(dir, 'officers.json');
  writeFileSync(
    officersFile,
    JSON.stringify({
      officers: [
        { id: 'aad-hue', name: 'Cán bộ Huế', grants: ['officer@Huế'] },
        { id: 'aad-admin', name: 'Quản trị', grants: ['admin'] },
        { id: 'aad-cur-hue', name: 'Biên tập Huế', grants: ['curator@Huế'] },
      ],
    }),
  );
  const env = {
    TEAMS: 'on',
    TEAMS_ALLOWED_TENANTS: 'tenant-ok',
    OFFICER_GROUPS: 'g-bn=officer@Bắc Ninh',
    OFFICERS_FILE: officersFile,
    ...options.env,
  };
  const server = await startTestServer({ dataDir: dir, env, now: options.now, web: tabSignIn(entra) });
  const token = (who: Who) => tabToken(entra, OFFICERS[who]);
  return {
    server,
    entra,
    connector,
    token,
    request: async (who, path, init = {}) =>
      fetch(`${server.url}${path}`, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: {
          authorization: `Bearer ${await token(who)}`,
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      }),
    tell: async (who, conversationId, text, personal = false) => {
      const res = await fetch(`${server.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(
          teamsMessage(
            {
              serviceUrl: connector.url,
              conversationId,
              tenant: 'tenant-ok',
              from: { id: `user-${who}`, name: OFFICERS[who].name, aadObjectId: OFFICERS[who].oid },
            },
            {
              text,
              ...(personal
                ? { conversation: { id: conversationId, conversationType: 'personal', tenantId: 'tenant-ok' } }
                : {}),
            },
          ),
        ),
      });
      expect(res.status).toBe(200);
    },
    postedTo: (conversationId) =>
      connector.posted.filter((p) => p.conversationId === conversationId).map((p) => JSON.stringify(p.body)),
    submit: async (key, province, data = {}) => {
      const draft = await server.stores.registrations.saveDraft(
        {
          userKey: `webchat:${key}`,
          channel: 'webchat',
          schemaVersion: 1,
          data: { facilityName: `Cơ sở ${key}`, province, consent: true, ...data },
          province,
          supportArea: typeof data.supportArea === 'string' ? data.supportArea : 'may-moc-thiet-bi',
        },
        options.now ?? new Date(),
      );
      return server.stores.registrations.submit(draft.id, options.now ?? new Date());
    },
    close: async () => {
      await server.close();
      await connector.stop();
      await entra.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
