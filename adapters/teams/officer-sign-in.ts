import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { allowedTenants, type Config } from '../../bot/config.ts';
import type { Logger } from '../../bot/logger.ts';
import {
  actorOf,
  DEVELOPMENT_ADMIN,
  identityFromToken,
  type OfficerAccess,
  type OfficerIdentity,
} from '../../bot/officers.ts';
import type { Stores } from '../../bot/stores.ts';

/** Who may read the registrations from the officers' tab. */
export interface TabAuthOptions {
  /** The audiences a token may be issued for (the Teams app's client id, its api:// URI); none: every token is refused. */
  audiences: string[];
  /** Tenants whose officers may read; empty: every token is refused. */
  tenants: string[];
  /** Entra ID key set (tests point it at a local one). */
  jwksUrl: string;
  /** Standalone access without a token: development only. */
  allowStandalone: boolean;
}

/**
 * The tab's sign-in from the configuration alone: the token's audience is the app id, or the
 * Application ID URI the Teams package declares for SSO (`api://<PUBLIC_BASE_URL's host>/<app id>`),
 * never one built from the request, whose Host header the client writes.
 */
export function tabAuthOptions(
  config: Pick<
    Config,
    'MicrosoftAppId' | 'PUBLIC_BASE_URL' | 'TEAMS_ALLOWED_TENANTS' | 'MicrosoftAppTenantId' | 'TAB_JWKS_URL' | 'access'
  >,
): TabAuthOptions {
  const appId = config.MicrosoftAppId;
  const audiences = appId
    ? [appId, ...(config.PUBLIC_BASE_URL ? [`api://${new URL(config.PUBLIC_BASE_URL).host}/${appId}`] : [])]
    : [];
  // Standalone (no token) is for trying the tab on a laptop: only where officers' data is open
  // (loopback, no channel credentials, not production), never once a Teams app is configured,
  // whose officers' data would then be open to anyone who leaves the token out.
  return {
    audiences,
    tenants: allowedTenants(config),
    jwksUrl: config.TAB_JWKS_URL,
    allowStandalone: config.access.officersOpen && !appId,
  };
}

/** The signed-in officer of a request that passed `officerSignIn`. */
export function identityOf(res: Response): OfficerIdentity {
  return res.locals.identity as OfficerIdentity;
}

const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;

/**
 * Express middleware for officers' routes: verifies the Teams SSO token (issuer, audience, tenant,
 * signature, expiry) and resolves who it is (`res.locals.identity`, an OfficerIdentity, and
 * `res.locals.actor` for the audit trail); without a token, 401, except standalone access on a
 * development machine (an administrator). The identity is remembered for the officer's Teams
 * messages. It says nothing of what they may see: the routes ask `canSee` / `hasRole`.
 */
export function officerSignIn(options: {
  auth: TabAuthOptions;
  access: OfficerAccess;
  stores: Pick<Stores, 'officers'>;
  logger: Logger;
  jwks?: JWTVerifyGetKey;
  clock?: () => Date;
}): RequestHandler {
  const { auth, access, logger } = options;
  const jwks = options.jwks ?? createRemoteJWKSet(new URL(auth.jwksUrl), { cacheMaxAge: 24 * 3600_000 });
  const clock = options.clock ?? (() => new Date());
  const signedIn = (res: Response, identity: OfficerIdentity) => {
    res.locals.identity = identity;
    res.locals.actor = actorOf(identity);
  };
  return async (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization');
    if (!header) {
      if (auth.allowStandalone) {
        signedIn(res, DEVELOPMENT_ADMIN);
        return next();
      }
      res.status(401).json({ error: 'unauthorized', message: 'Trang này chỉ mở được trong Microsoft Teams.' });
      return;
    }
    let identity: OfficerIdentity;
    try {
      // Nobody outside the allowed tenants, ever: with none allowed, no token is even verified.
      if (auth.tenants.length === 0 || auth.audiences.length === 0)
        throw new Error('no tenant or audience is configured');
      const token = header.replace(/^Bearer\s+/i, '');
      // A token without an expiry would be good for ever: Entra ID always sets one.
      const { payload } = await jwtVerify(token, jwks, {
        audience: auth.audiences,
        algorithms: ['RS256'],
        requiredClaims: ['exp', 'tid'],
      });
      const tid = String(payload.tid ?? '');
      const issuers = [`https://login.microsoftonline.com/${tid}/v2.0`, `https://sts.windows.net/${tid}/`];
      if (!issuers.includes(String(payload.iss)) || !auth.tenants.includes(tid))
        throw new Error('issuer or tenant not allowed');
      identity = await identityFromToken(
        {
          tid,
          oid: String(payload.oid ?? payload.sub ?? 'unknown'),
          name: typeof payload.name === 'string' ? payload.name : undefined,
          groups: strings(payload.groups),
          roles: strings(payload.roles),
        },
        access,
      );
    } catch (err) {
      logger.info({ reason: err instanceof Error ? err.message : 'invalid token' }, 'tab token refused');
      res.status(401).json({ error: 'unauthorized', message: 'Phiên đăng nhập Teams không hợp lệ.' });
      return;
    }
    signedIn(res, identity);
    // What the groups said is what the Teams commands of this officer will go by, for a while.
    if (identity.grants.length > 0)
      await options.stores.officers
        .remember(identity, clock())
        .catch((err: unknown) =>
          logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'cannot remember a tab sign-in'),
        );
    next();
  };
}
