/**
 * Who an officer is and what they may see: roles per province, resolved from a verified Teams
 * sign-in (the tab's Entra ID token) or from a Teams message (its sender's Entra object id).
 *
 * Two configurations feed it, usable together:
 * - OFFICER_GROUPS maps Entra ID group object ids, or app role values, to a role and a province
 *   ("<group id>=officer@Bắc Ninh; <group id>=admin"); a token's `groups` and `roles` claims are
 *   looked up in it. Bot messages carry no group claims, so Teams commands use the next one (or
 *   what the officer's last tab sign-in said, see `RememberedOfficers`).
 * - OFFICERS_FILE, a JSON file kept by the administrator, lists officers by their Entra object id
 *   with their roles and provinces, for deployments without groups.
 *
 * Province ids are the 34 provincial units' names as registrations store them (`Province.name`).
 */
import { z } from 'zod';
import { findProvinceExact } from '../knowledge/index.ts';

/** What someone may do: handle registrations (officer), teach the bot (curator), everything everywhere (admin). */
export type OfficerRole = 'officer' | 'curator' | 'admin';

/** The roles, in the order they are listed. */
export const OFFICER_ROLES: readonly OfficerRole[] = ['officer', 'curator', 'admin'];

/** One role, in one province (officer, curator) or everywhere (admin, which names no province). */
export interface OfficerGrant {
  role: OfficerRole;
  /** A province's name (`Province.name`); absent for admin. */
  province?: string;
}

/** A signed-in officer, as every officers' surface (tab API, Teams, exports) sees them. */
export interface OfficerIdentity {
  /** The Entra ID object id (`oid`, Teams' `aadObjectId`), or `dev` in open development mode. */
  id: string;
  name?: string;
  tenantId: string;
  /** Every grant; a province's officer and its curator are two grants. */
  grants: OfficerGrant[];
  /** The distinct roles of `grants`. */
  roles: OfficerRole[];
  /** The distinct provinces of `grants` (an admin's are empty: they see all). */
  provinces: string[];
}

/** Builds an identity from its grants (deduplicated), filling `roles` and `provinces`. */
export function officerIdentity(who: { id: string; name?: string; tenantId: string }, grants: OfficerGrant[]) {
  const unique = new Map<string, OfficerGrant>();
  for (const g of grants) unique.set(`${g.role}\u0000${g.province ?? ''}`, g.role === 'admin' ? { role: 'admin' } : g);
  const all = [...unique.values()];
  return {
    ...who,
    grants: all,
    roles: OFFICER_ROLES.filter((r) => all.some((g) => g.role === r)),
    provinces: [...new Set(all.flatMap((g) => (g.province ? [g.province] : [])))],
  } satisfies OfficerIdentity;
}

/** The identity of open development mode (a laptop's `npm start`, no sign-in): an administrator. */
export const DEVELOPMENT_ADMIN: OfficerIdentity = officerIdentity(
  { id: 'dev', name: 'Chế độ phát triển', tenantId: 'local' },
  [{ role: 'admin' }],
);

/** True when the identity has `role` in `province` (any province, when none is given), or is an admin. */
export function hasRole(identity: OfficerIdentity | undefined, role: OfficerRole, province?: string | null): boolean {
  if (!identity) return false;
  if (identity.roles.includes('admin')) return true;
  return identity.grants.some(
    (g) => g.role === role && (province === undefined || (province !== null && g.province === province)),
  );
}

/**
 * Whether the identity may see a registration of `province`: an admin always, an officer of that
 * province; nobody else (a curator handles content, not registrations; a registration without a
 * province is the admin's until an officer corrects it).
 */
export function canSee(identity: OfficerIdentity | undefined, province: string | null | undefined): boolean {
  return hasRole(identity, 'officer', province ?? null);
}

/**
 * The provinces whose registrations the identity sees: 'all' for an admin, else the provinces where
 * it is an officer (empty: nothing at all).
 */
export function visibleProvinces(identity: OfficerIdentity | undefined): 'all' | string[] {
  if (!identity) return [];
  if (identity.roles.includes('admin')) return 'all';
  return [...new Set(identity.grants.flatMap((g) => (g.role === 'officer' && g.province ? [g.province] : [])))];
}

/** A province named in configuration, as registrations store it ("bac ninh", "Bắc Giang" → "Bắc Ninh"). */
export function canonicalProvince(text: string): string | undefined {
  return findProvinceExact(text.trim())?.province.name;
}

/** One grant as configuration writes it: "officer@Bắc Ninh", "curator@Huế", "admin". */
export function parseGrant(text: string): { ok: true; value: OfficerGrant } | { ok: false; reason: string } {
  const [rolePart, provincePart] = text.split('@').map((s) => s.trim());
  const role = OFFICER_ROLES.find((r) => r === rolePart?.toLowerCase());
  if (!role) return { ok: false, reason: `"${rolePart}" is not a role (officer, curator or admin)` };
  if (role === 'admin') {
    if (provincePart) return { ok: false, reason: 'admin names no province: an administrator sees every one' };
    return { ok: true, value: { role } };
  }
  if (!provincePart) return { ok: false, reason: `${role} needs a province: "${role}@Bắc Ninh"` };
  const province = canonicalProvince(provincePart);
  if (!province) return { ok: false, reason: `"${provincePart}" is not one of the 34 provinces` };
  return { ok: true, value: { role, province } };
}

/** Group object ids (or app role values) → the grants they give. */
export type GroupGrants = ReadonlyMap<string, readonly OfficerGrant[]>;

/**
 * Parses OFFICER_GROUPS: entries separated by ";" or new lines, each `<group id or app role>=<grant>`
 * where a grant is "officer@<province>", "curator@<province>" or "admin"; a key may repeat.
 */
export function parseGroupGrants(text: string): { ok: true; value: GroupGrants } | { ok: false; reasons: string[] } {
  const map = new Map<string, OfficerGrant[]>();
  const reasons: string[] = [];
  for (const entry of text.split(/[;\n]/)) {
    if (!entry.trim()) continue;
    const eq = entry.indexOf('=');
    const key = eq > 0 ? entry.slice(0, eq).trim() : '';
    if (!key) {
      reasons.push(`"${entry.trim()}" is not <group id>=<role>@<province>`);
      continue;
    }
    const grant = parseGrant(entry.slice(eq + 1));
    if (!grant.ok) reasons.push(`${key}: ${grant.reason}`);
    else map.set(key, [...(map.get(key) ?? []), grant.value]);
  }
  return reasons.length > 0 ? { ok: false, reasons } : { ok: true, value: map };
}

/** The officers file (OFFICERS_FILE): officers listed by their Entra object id. */
export const OfficersFileSchema = z.object({
  officers: z
    .array(
      z.object({
        /** The Entra ID object id (Teams' aadObjectId, a token's oid). */
        id: z.string().min(1).max(100),
        name: z.string().max(200).optional(),
        /** Their tenant; unset: any allowed tenant. */
        tenantId: z.string().min(1).max(100).optional(),
        /** "officer@Bắc Ninh", "curator@Huế", "admin". */
        grants: z.array(z.string().max(100)).min(1),
      }),
    )
    .max(10_000),
});

/** Officers known by their object id: the officers file, and those the tab's sign-in remembered. */
export interface OfficerDirectory {
  /** What the directory grants this user, or undefined when it does not know them. */
  grantsOf(tenantId: string, objectId: string): Promise<OfficerGrant[] | undefined>;
}

/** A directory from the officers file's parsed content; throws naming every invalid grant. */
export function directoryFromFile(content: unknown): OfficerDirectory {
  const parsed = OfficersFileSchema.safeParse(content);
  if (!parsed.success) throw new Error(`cannot read the officers file because ${z.prettifyError(parsed.error)}`);
  const byId = new Map<string, { tenantId?: string; grants: OfficerGrant[] }>();
  const problems: string[] = [];
  for (const o of parsed.data.officers) {
    const grants: OfficerGrant[] = [];
    for (const text of o.grants) {
      const g = parseGrant(text);
      if (g.ok) grants.push(g.value);
      else problems.push(`${o.id}: ${g.reason}`);
    }
    byId.set(o.id, { tenantId: o.tenantId, grants: [...(byId.get(o.id)?.grants ?? []), ...grants] });
  }
  if (problems.length > 0) throw new Error(`cannot read the officers file because:\n${problems.join('\n')}`);
  return {
    grantsOf: (tenantId, objectId) => {
      const known = byId.get(objectId);
      return Promise.resolve(known && (!known.tenantId || known.tenantId === tenantId) ? known.grants : undefined);
    },
  };
}

/** Several directories read in order; the grants of every one that knows the user are joined. */
export function joinDirectories(...directories: OfficerDirectory[]): OfficerDirectory {
  return {
    grantsOf: async (tenantId, objectId) => {
      let found: OfficerGrant[] | undefined;
      for (const d of directories) {
        const grants = await d.grantsOf(tenantId, objectId);
        if (grants) found = [...(found ?? []), ...grants];
      }
      return found;
    },
  };
}

/** The claims of a verified Entra ID access token that say who someone is. */
export interface TokenClaims {
  tid: string;
  oid: string;
  name?: string;
  /** Group object ids (the app registration's groupMembershipClaims). */
  groups?: string[];
  /** App role values assigned to the user. */
  roles?: string[];
}

/** How officers are recognised: the group map, the directory, and open development mode. */
export interface OfficerAccess {
  groups: GroupGrants;
  /**
   * The tenant whose app-role assignments count as OFFICER_GROUPS names them (the bot's own,
   * MicrosoftAppTenantId). Any tenant's administrator can assign the app's roles to their own users,
   * so another tenant's roles count only as "<tenant id>/<role>" keys. Group object ids are unique.
   */
  roleTenant?: string;
  /** The officers file. */
  directory: OfficerDirectory;
  /**
   * What recent tab sign-ins said, for Teams messages only: a token is judged on its own claims
   * and the file, so a group taken away counts at the officer's next sign-in.
   */
  remembered: OfficerDirectory;
  /**
   * Open development mode with no officer configured at all: everyone is an administrator, as the
   * laptop's tab and Teams local mode always were. With any configuration, it applies there too.
   */
  developmentAdmin: boolean;
}

/**
 * The identity of a tab user from their verified token: the grants of their `groups` and `roles`
 * claims, joined with what the directory says of their object id. No grant: an identity with no
 * roles, which sees nothing.
 */
export async function identityFromToken(claims: TokenClaims, access: OfficerAccess): Promise<OfficerIdentity> {
  const roleKeys = (claims.roles ?? []).flatMap((r) => [
    `${claims.tid}/${r}`,
    ...(access.roleTenant !== undefined && access.roleTenant === claims.tid ? [r] : []),
  ]);
  const fromClaims = [...(claims.groups ?? []), ...roleKeys].flatMap((k) => access.groups.get(k) ?? []);
  const fromDirectory = (await access.directory.grantsOf(claims.tid, claims.oid)) ?? [];
  return officerIdentity({ id: claims.oid, name: claims.name, tenantId: claims.tid }, [
    ...fromClaims,
    ...fromDirectory,
  ]);
}

/**
 * The identity of a Teams message's sender (`from.aadObjectId`, the conversation's tenant): what
 * the officers file says of them, and what their last tab sign-in said (within the configured hours). In open development mode without configuration, an administrator.
 */
export async function identityFromActivity(
  from: { aadObjectId?: string; name?: string; tenantId?: string },
  access: OfficerAccess,
): Promise<OfficerIdentity | undefined> {
  if (access.developmentAdmin) return { ...DEVELOPMENT_ADMIN, name: from.name ?? DEVELOPMENT_ADMIN.name };
  if (!from.aadObjectId || !from.tenantId) return undefined;
  const grants =
    (await joinDirectories(access.directory, access.remembered).grantsOf(from.tenantId, from.aadObjectId)) ?? [];
  return officerIdentity({ id: from.aadObjectId, name: from.name, tenantId: from.tenantId }, grants);
}

/** The audit trail's name for an identity: `aad:<object id>` (`dev` in open development mode). */
export function actorOf(identity: OfficerIdentity): string {
  return identity.id === 'dev' ? 'standalone-dev' : `aad:${identity.id}`;
}

/** A directory that knows nobody. */
export const NO_DIRECTORY: OfficerDirectory = { grantsOf: () => Promise.resolve(undefined) };

/** The store of remembered tab sign-ins as a directory: what an officer's sign-in said within `hours`. */
export function rememberedDirectory(
  store: { recall(tenantId: string, objectId: string, since: Date): Promise<OfficerGrant[] | undefined> },
  hours: number,
  clock: () => Date = () => new Date(),
): OfficerDirectory {
  if (hours <= 0) return NO_DIRECTORY;
  return {
    grantsOf: (tenantId, objectId) => store.recall(tenantId, objectId, new Date(clock().getTime() - hours * 3600_000)),
  };
}

/**
 * How officers are recognised, from the configuration: its group map, the officers file's
 * directory (read by an adapter), the remembered sign-ins; open development mode without any of
 * the first two makes everyone an administrator.
 */
export function officerAccessOf(options: {
  config: {
    OFFICER_GROUPS: GroupGrants;
    OFFICERS_FILE?: string;
    MicrosoftAppTenantId?: string;
    access: { officersOpen: boolean };
  };
  file?: OfficerDirectory;
  remembered?: OfficerDirectory;
}): OfficerAccess {
  const { config } = options;
  return {
    groups: config.OFFICER_GROUPS,
    ...(config.MicrosoftAppTenantId ? { roleTenant: config.MicrosoftAppTenantId } : {}),
    directory: options.file ?? NO_DIRECTORY,
    remembered: options.remembered ?? NO_DIRECTORY,
    developmentAdmin: config.access.officersOpen && config.OFFICER_GROUPS.size === 0 && !config.OFFICERS_FILE,
  };
}
