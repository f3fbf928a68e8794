import { describe, expect, it } from 'vitest';
import { allowedTenants, ConfigError, loadConfig } from '../../bot/config.ts';

describe('loadConfig', () => {
  it('uses the embedded defaults on an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3978,
      DATA_DIR: './data',
      TZ: 'Asia/Ho_Chi_Minh',
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      webchatEnabled: true,
      HOST: '127.0.0.1',
    });
    expect(config.access).toMatchObject({ mode: 'development', officersOpen: true });
  });

  it("opens officers' surfaces without sign-in only on a loopback server without channel credentials, and says why", () => {
    const zalo = { ZALO_APP_ID: '1', ZALO_APP_SECRET: 's', ZALO_OA_SECRET_KEY: 'k', ZALO_OA_REFRESH_TOKEN: 'r' };
    expect(loadConfig({ HOST: '::1' }).access.officersOpen).toBe(true);
    const reachable = loadConfig({ HOST: '0.0.0.0' });
    expect(reachable.access).toMatchObject({ mode: 'development', officersOpen: false });
    expect(reachable.access.why).toContain('HOST=0.0.0.0 can be reached from the network');
    expect(reachable.teams).toMatchObject({ enabled: false, localMode: false });
    // A channel's credentials close them whatever NODE_ENV says, short of production's own checks.
    for (const env of [
      zalo,
      { ...zalo, NODE_ENV: 'development' },
      { MicrosoftAppId: 'id', MicrosoftAppPassword: 'p', MicrosoftAppTenantId: 't' },
    ]) {
      const config = loadConfig(env);
      expect(config.access.officersOpen).toBe(false);
      expect(config.access.why).toMatch(/credentials are set/);
    }
    expect(loadConfig({ NODE_ENV: 'production', USER_HASH_SALT: 'a-real-secret-salt-7f3a' })).toMatchObject({
      HOST: '0.0.0.0',
      access: { mode: 'production', officersOpen: false },
    });
    // Behind a reverse proxy on the same machine, loopback is reachable by everyone the proxy serves.
    expect(loadConfig({ HOST: '127.0.0.1', TRUST_PROXY: 'loopback' }).access).toMatchObject({
      officersOpen: false,
      why: expect.stringContaining('TRUST_PROXY'),
    });
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://kc.example.vn' }).access).toMatchObject({
      officersOpen: false,
      why: expect.stringContaining('PUBLIC_BASE_URL'),
    });
  });

  it('coerces the port and treats empty values as unset', () => {
    const config = loadConfig({ PORT: '8080', KNOWLEDGE_DIR: '' });
    expect(config.PORT).toBe(8080);
    expect(config.KNOWLEDGE_DIR).toBeUndefined();
  });

  it('reads the trusted reverse proxies as a list, and refuses what is not an address, subnet or range name', () => {
    expect(loadConfig({}).TRUST_PROXY).toEqual([]);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,192.168.1.5' }).TRUST_PROXY).toEqual([
      'loopback',
      '10.0.0.0/8',
      '192.168.1.5',
    ]);
    expect(() => loadConfig({ TRUST_PROXY: 'nginx' })).toThrow(/TRUST_PROXY/);
  });

  const PROD = { NODE_ENV: 'production', USER_HASH_SALT: 'a-real-secret-salt-7f3a' };

  it('turns the web chat off in production unless asked', () => {
    expect(loadConfig(PROD).webchatEnabled).toBe(false);
    expect(loadConfig({ ...PROD, WEBCHAT_ENABLED: 'true' }).webchatEnabled).toBe(true);
  });

  it('refuses to start in production with placeholder or missing secrets, naming each without its value', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/USER_HASH_SALT must be set/);
    let message = '';
    try {
      loadConfig({
        ...PROD,
        ZALO_APP_ID: '1',
        ZALO_APP_SECRET: 'changeme',
        MicrosoftAppId: 'id',
        MicrosoftAppTenantId: 't',
      });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('ZALO_APP_SECRET looks like a placeholder');
    expect(message).toContain('Zalo is half-configured: set ZALO_OA_SECRET_KEY');
    expect(message).toContain('MicrosoftAppPassword is required');
    expect(message).not.toContain('changeme');
  });

  it('refuses to start in production with a multi-tenant Teams app and no TEAMS_ALLOWED_TENANTS, naming the variable', () => {
    const multi = {
      ...PROD,
      MicrosoftAppId: 'id',
      MicrosoftAppPassword: 'a-real-app-password-7f3a',
      MicrosoftAppType: 'MultiTenant',
    };
    expect(() => loadConfig(multi)).toThrow(ConfigError);
    expect(() => loadConfig(multi)).toThrow(/TEAMS_ALLOWED_TENANTS must list the tenant ids/);
    // The bot's own tenant id says nothing about the tenants a multi-tenant app is meant for.
    expect(() => loadConfig({ ...multi, MicrosoftAppTenantId: 't' })).toThrow(/TEAMS_ALLOWED_TENANTS/);
    expect(loadConfig({ ...multi, TEAMS_ALLOWED_TENANTS: 'tenant-a, tenant-b' }).teams.enabled).toBe(true);
    expect(
      loadConfig({
        ...PROD,
        MicrosoftAppId: 'id',
        MicrosoftAppPassword: 'a-real-app-password-7f3a',
        MicrosoftAppTenantId: 't',
      }).teams.enabled,
    ).toBe(true);
  });

  it('allows the tenants listed, else the bot’s own tenant, else none', () => {
    expect(allowedTenants(loadConfig({ TEAMS_ALLOWED_TENANTS: 'a,b', MicrosoftAppTenantId: 'c' }))).toEqual(['a', 'b']);
    expect(allowedTenants(loadConfig({ MicrosoftAppTenantId: 'c' }))).toEqual(['c']);
    expect(allowedTenants(loadConfig({}))).toEqual([]);
  });

  it('enables Zalo only when complete, and Teams in local mode only outside production', () => {
    expect(loadConfig({}).zalo).toEqual({
      enabled: false,
      missing: [
        'ZALO_APP_ID',
        'ZALO_APP_SECRET',
        'ZALO_OA_SECRET_KEY',
        'ZALO_OA_ACCESS_TOKEN or ZALO_OA_REFRESH_TOKEN',
      ],
    });
    expect(
      loadConfig({ ZALO_APP_ID: '1', ZALO_APP_SECRET: 's', ZALO_OA_SECRET_KEY: 'k', ZALO_OA_REFRESH_TOKEN: 'r' }).zalo
        .enabled,
    ).toBe(true);
    expect(loadConfig({}).teams).toMatchObject({ enabled: true, localMode: true });
    expect(loadConfig({ NODE_ENV: 'production', USER_HASH_SALT: 'a-real-secret-salt-7f3a' }).teams).toMatchObject({
      enabled: false,
      localMode: false,
    });
    expect(loadConfig({ MicrosoftAppId: 'id' }).teams).toMatchObject({
      enabled: false,
      missing: ['MicrosoftAppPassword', 'MicrosoftAppTenantId'],
    });
    expect(
      loadConfig({
        MicrosoftAppId: 'id',
        MicrosoftAppPassword: 'p',
        MicrosoftAppTenantId: 't',
        TEAMS_ALLOWED_TENANTS: 't, u',
      }),
    ).toMatchObject({ teams: { enabled: true, localMode: false }, TEAMS_ALLOWED_TENANTS: ['t', 'u'] });
  });

  it('reports every invalid variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'abc', LOG_LEVEL: 'loud', TZ: 'Mars/Olympus', WEBCHAT_ENABLED: 'maybe' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of ['PORT', 'LOG_LEVEL', 'TZ', 'WEBCHAT_ENABLED']) expect(message).toContain(name);
  });
});
