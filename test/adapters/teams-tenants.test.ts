import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { teamsTenantPolicy } from '../../adapters/teams/teams-channel.ts';
import { loadConfig } from '../../bot/config.ts';
import type { RegistrationRecord } from '../../bot/stores.ts';
import { teamsMessage } from '../helpers/teams-activity.ts';
import { ConnectorStandIn } from '../helpers/connector-standin.ts';
import { spawn } from 'node:child_process';
import { ROOT } from '../helpers/processes.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { useTempDirs } from '../helpers/temp-dirs.ts';

const tempDir = useTempDirs('kc-teams-tenants');
let connector: ConnectorStandIn;
let server: TestServer;
let record: RegistrationRecord;

/** A Teams message from a conversation of `tenant`, as the Bot Connector posts it. */
const fromTenant = (tenant: string, conversationId: string, text: string) =>
  teamsMessage({ serviceUrl: connector.url, conversationId, tenant }, { text });

const post = (activity: Record<string, unknown>) =>
  fetch(`${server.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });

beforeAll(async () => {
  connector = new ConnectorStandIn();
  await connector.start();
  // The bot's own tenant is set and TEAMS_ALLOWED_TENANTS is not: that tenant alone is allowed.
  server = await startTestServer({ dataDir: tempDir(), env: { TEAMS: 'on', MicrosoftAppTenantId: 'tenant-own' } });
  const draft = await server.stores.registrations.saveDraft(
    {
      userKey: 'zalo:1',
      channel: 'zalo',
      schemaVersion: 1,
      data: { facilityName: 'Cơ sở Gốm Bát Tràng' },
      province: 'Hà Nội',
      supportArea: 'may-moc-thiet-bi',
    },
    new Date(),
  );
  record = await server.stores.registrations.submit(draft.id, new Date());
});
afterAll(async () => {
  await server.close();
  await connector.stop();
});
beforeEach(() => {
  connector.posted.length = 0;
});

/** Runs the server's entry point; a server that starts after all is stopped after 10 s. */
function startMain(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bot/start.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('production with the officers’ data open to every tenant', () => {
  it('refuses to start a multi-tenant Teams app without TEAMS_ALLOWED_TENANTS, naming the variable', async () => {
    const env = {
      NODE_ENV: 'production',
      USER_HASH_SALT: 'a-real-secret-salt-7f3a',
      MicrosoftAppId: '00000000-0000-0000-0000-0000000000aa',
      MicrosoftAppPassword: 'a-real-app-password-7f3a',
      MicrosoftAppType: 'MultiTenant',
      DATA_DIR: tempDir(),
      PORT: '0',
      HOST: '127.0.0.1',
    };
    const refused = await startMain(env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('TEAMS_ALLOWED_TENANTS');
    expect(refused.stdout).not.toContain('"port"');
  });
});

describe('Teams officers’ commands and notifications, for a tenant that is not allowed', () => {
  it('refuses a foreign tenant’s officers’ commands politely, with no registration in the answer', async () => {
    for (const text of [
      'danh sách đăng ký',
      `chi tiết ${record.code}`,
      'câu hỏi chưa trả lời',
      'nhận thông báo đăng ký',
    ]) {
      expect((await post(fromTenant('tenant-foreign', 'conv-foreign', text))).status).toBe(200);
    }
    const posted = await connector.waitFor(4);
    expect(posted).toHaveLength(4);
    for (const p of posted) {
      expect(String(p.body.text)).toContain('chỉ phục vụ cán bộ');
      expect(JSON.stringify(p.body)).not.toContain('Bát Tràng');
    }
    expect((await server.stores.references.list('msteams')).map((r) => r.key)).not.toContain('teams-sub:conv-foreign');
  });

  it('answers the bot’s own tenant', async () => {
    await post(fromTenant('tenant-own', 'conv-own', 'danh sách đăng ký'));
    const [posted] = await connector.waitFor(1);
    expect(JSON.stringify(posted.body)).toContain('Bát Tràng');
  });

  it('sends no notification to a conversation of a tenant that is not allowed, whenever it subscribed', async () => {
    // Subscribed while the bot was open to every tenant, say; then the list was set.
    const reference = (id: string, tenant: string) => ({
      reference: {
        channelId: 'msteams',
        serviceUrl: connector.url,
        conversation: { id, tenantId: tenant },
        bot: { id: 'bot-1' },
        user: { id: 'u' },
      },
    });
    await server.stores.references.upsert(
      'teams-sub:conv-sub-foreign',
      'msteams',
      reference('conv-sub-foreign', 'tenant-foreign'),
      new Date(),
    );
    await server.stores.references.upsert(
      'teams-sub:conv-sub-own',
      'msteams',
      reference('conv-sub-own', 'tenant-own'),
      new Date(),
    );
    await server.runtime.announceRegistration(record);
    await connector.waitFor(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(connector.posted.map((p) => p.conversationId)).toEqual(['conv-sub-own']);
  });
});

describe('which tenants Teams lets in', () => {
  const dev = { NODE_ENV: 'development' };
  it('only the allowed ones; with none, nobody, except in local mode (no app id, never in production)', () => {
    const listed = teamsTenantPolicy(loadConfig({ ...dev, TEAMS_ALLOWED_TENANTS: 'a, b', MicrosoftAppTenantId: 'c' }));
    expect(['a', 'b', 'c', undefined].map(listed)).toEqual([true, true, false, false]);
    const own = teamsTenantPolicy(
      loadConfig({ ...dev, MicrosoftAppId: 'id', MicrosoftAppPassword: 'p', MicrosoftAppTenantId: 'c' }),
    );
    expect(['c', 'a', undefined].map(own)).toEqual([true, false, false]);
    const multi = teamsTenantPolicy(
      loadConfig({ ...dev, MicrosoftAppId: 'id', MicrosoftAppPassword: 'p', MicrosoftAppType: 'MultiTenant' }),
    );
    expect(['a', 'c', undefined].map(multi)).toEqual([false, false, false]);
    const local = teamsTenantPolicy(loadConfig(dev));
    expect(['a', undefined].map(local)).toEqual([true, true]);
  });
});
