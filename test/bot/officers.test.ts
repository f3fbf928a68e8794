import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { officersFileDirectory } from '../../adapters/teams/officers-file.ts';
import { ConfigError, loadConfig } from '../../bot/config.ts';
import { createLogger } from '../../bot/logger.ts';
import {
  canSee,
  directoryFromFile,
  hasRole,
  identityFromActivity,
  identityFromToken,
  NO_DIRECTORY,
  officerAccessOf,
  parseGroupGrants,
  visibleProvinces,
  type OfficerAccess,
} from '../../bot/officers.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const quiet = createLogger('silent', new Writable({ write: (_c, _e, done) => done() }));

describe("officers' roles from configuration", () => {
  it('reads group ids and app roles mapped to grants, provinces written any way, every problem named', () => {
    const parsed = parseGroupGrants(
      'g-bn=officer@bac ninh; g-bn=curator@Bắc Giang\ng-admin=admin;Officer.Hue=officer@Huế',
    );
    expect(parsed).toEqual({
      ok: true,
      value: new Map([
        [
          'g-bn',
          [
            { role: 'officer', province: 'Bắc Ninh' },
            { role: 'curator', province: 'Bắc Ninh' },
          ],
        ],
        ['g-admin', [{ role: 'admin' }]],
        ['Officer.Hue', [{ role: 'officer', province: 'Huế' }]],
      ]),
    });
    expect(() => loadConfig({ OFFICER_GROUPS: 'g1=officer@Atlantis; g2=boss; g3=officer; g4=admin@Huế' })).toThrow(
      ConfigError,
    );
    try {
      loadConfig({ OFFICER_GROUPS: 'g1=officer@Atlantis; g2=boss' });
    } catch (error) {
      expect((error as Error).message).toContain('"Atlantis" is not one of the 34 provinces');
      expect((error as Error).message).toContain('"boss" is not a role');
    }
  });

  it('gives a token the grants of its groups and roles claims and of the officers file; no grant, no registration', async () => {
    const access: OfficerAccess = {
      groups: new Map([
        ['g-bn', [{ role: 'officer', province: 'Bắc Ninh' }]],
        ['Admin', [{ role: 'admin' }]],
      ]),
      directory: directoryFromFile({ officers: [{ id: 'oid-file', grants: ['officer@Huế', 'curator@Huế'] }] }),
      remembered: NO_DIRECTORY,
      developmentAdmin: false,
      roleTenant: 't',
    };
    const bn = await identityFromToken({ tid: 't', oid: 'o1', groups: ['g-other', 'g-bn'] }, access);
    expect(bn).toMatchObject({ roles: ['officer'], provinces: ['Bắc Ninh'] });
    expect(canSee(bn, 'Bắc Ninh')).toBe(true);
    expect(canSee(bn, 'Huế')).toBe(false);
    expect(canSee(bn, null)).toBe(false);
    const admin = await identityFromToken({ tid: 't', oid: 'o2', roles: ['Admin'] }, access);
    expect(visibleProvinces(admin)).toBe('all');
    expect(canSee(admin, null)).toBe(true);
    expect(hasRole(admin, 'curator', 'Huế')).toBe(true);
    // Another tenant's administrator can give their own users the app's roles: those count only
    // where OFFICER_GROUPS names them with that tenant.
    expect((await identityFromToken({ tid: 'other', oid: 'o9', roles: ['Admin'] }, access)).roles).toEqual([]);
    const qualified: OfficerAccess = { ...access, groups: new Map([['other/Admin', [{ role: 'admin' }]]]) };
    expect((await identityFromToken({ tid: 'other', oid: 'o9', roles: ['Admin'] }, qualified)).roles).toEqual([
      'admin',
    ]);
    const fromFile = await identityFromToken({ tid: 't', oid: 'oid-file' }, access);
    expect(hasRole(fromFile, 'curator', 'Huế')).toBe(true);
    expect(hasRole(fromFile, 'curator', 'Bắc Ninh')).toBe(false);
    const nobody = await identityFromToken({ tid: 't', oid: 'o3', groups: ['g-other'] }, access);
    expect(nobody.roles).toEqual([]);
    expect(visibleProvinces(nobody)).toEqual([]);
    expect(canSee(nobody, 'Bắc Ninh')).toBe(false);
  });

  it('knows a Teams sender by the officers file or a recent tab sign-in; in open development mode without configuration, an administrator', async () => {
    const remembered = {
      grantsOf: (_t: string, id: string) =>
        Promise.resolve(id === 'o-tab' ? [{ role: 'officer' as const, province: 'Huế' }] : undefined),
    };
    const access = officerAccessOf({
      config: { OFFICER_GROUPS: new Map(), OFFICERS_FILE: 'x', access: { officersOpen: true } },
      file: directoryFromFile({ officers: [{ id: 'o-file', tenantId: 't1', grants: ['officer@Cần Thơ'] }] }),
      remembered,
    });
    expect(access.developmentAdmin).toBe(false);
    expect(await identityFromActivity({ aadObjectId: 'o-file', tenantId: 't1' }, access)).toMatchObject({
      provinces: ['Cần Thơ'],
    });
    // Listed for another tenant: unknown here.
    expect((await identityFromActivity({ aadObjectId: 'o-file', tenantId: 't2' }, access))!.roles).toEqual([]);
    expect(await identityFromActivity({ aadObjectId: 'o-tab', tenantId: 't1' }, access)).toMatchObject({
      provinces: ['Huế'],
    });
    expect(await identityFromActivity({ tenantId: 't1' }, access)).toBeUndefined();
    const open = officerAccessOf({ config: { OFFICER_GROUPS: new Map(), access: { officersOpen: true } } });
    expect((await identityFromActivity({ aadObjectId: 'x', tenantId: 't' }, open))!.roles).toEqual(['admin']);
    const closed = officerAccessOf({ config: { OFFICER_GROUPS: new Map(), access: { officersOpen: false } } });
    expect((await identityFromActivity({ aadObjectId: 'x', tenantId: 't' }, closed))!.roles).toEqual([]);
  });

  it('reads the officers file again when it changes, keeping the last valid content through a bad edit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kc-officers-'));
    dirs.push(dir);
    const path = join(dir, 'officers.json');
    writeFileSync(path, JSON.stringify({ officers: [{ id: 'a', grants: ['officer@Huế'] }] }));
    let now = 0;
    const directory = officersFileDirectory(path, quiet, () => now);
    expect(await directory.grantsOf('t', 'a')).toEqual([{ role: 'officer', province: 'Huế' }]);
    writeFileSync(path, JSON.stringify({ officers: [{ id: 'a', grants: ['admin'] }] }));
    utimesSync(path, new Date(), new Date(Date.now() + 10_000));
    now += 10_000;
    expect(await directory.grantsOf('t', 'a')).toEqual([{ role: 'admin' }]);
    writeFileSync(path, '{ not json');
    utimesSync(path, new Date(), new Date(Date.now() + 20_000));
    now += 10_000;
    expect(await directory.grantsOf('t', 'a')).toEqual([{ role: 'admin' }]);
    writeFileSync(path, JSON.stringify({ officers: [{ id: 'a', grants: ['officer@Nowhere'] }] }));
    expect(() => officersFileDirectory(path, quiet)).toThrow(/"Nowhere" is not one of the 34 provinces/);
  });
});
