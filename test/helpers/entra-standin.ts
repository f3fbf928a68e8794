import { readFileSync } from 'node:fs';
import { Agent, createServer, get, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  createRemoteJWKSet,
  customFetch,
  exportJWK,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';

// A self-signed certificate for 127.0.0.1 and localhost, for tests only (MSAL signs in over HTTPS alone).
const cert = readFileSync(new URL('../fixtures/tls/loopback.crt', import.meta.url));
const key = readFileSync(new URL('../fixtures/tls/loopback.key', import.meta.url));

/** A token request the bot made. */
export interface TokenRequest {
  tenant: string;
  form: URLSearchParams;
}

/** What a user's access token for the officers' tab says (Teams SSO, Entra ID v2.0). */
export interface UserTokenClaims {
  /** The user's tenant, `tid`; the issuer is that tenant's, as Entra ID writes it. */
  tenant: string;
  audience: string;
  oid?: string;
  /** How long it lasts (jose's notation); `null`: a token without `exp`. */
  expiresIn?: string | null;
  issuer?: string;
  name?: string;
  /** Entra ID group object ids (`groups`), as an app registration with groupMembershipClaims emits them. */
  groups?: string[];
  /** App role values (`roles`). */
  roles?: string[];
}

/**
 * A local stand-in of Microsoft Entra ID: a real HTTPS server on 127.0.0.1 that serves a tenant's
 * OpenID configuration and issues client-credential tokens to a bot (or, for `hanging`, accepts
 * token requests and never answers them), and signs users' access tokens of any tenant, with the
 * key set it publishes at `jwksUrl` (as Entra ID publishes one key set for every tenant).
 */
export class EntraStandIn {
  readonly tokenRequests: TokenRequest[] = [];
  hanging = false;
  url = '';
  /** An agent that trusts this stand-in's certificate. */
  readonly agent = new Agent({ ca: cert });
  private server?: Server;
  private signingKey?: CryptoKey;
  private publicJwk?: JWK;

  /** The published key set, as TAB_JWKS_URL names Entra ID's. */
  get jwksUrl(): string {
    return `${this.url}/common/discovery/v2.0/keys`;
  }

  /** The key set read from this stand-in over HTTPS, trusting its certificate, as the tab's API reads Entra ID's. */
  keySet(): JWTVerifyGetKey {
    return createRemoteJWKSet(new URL(this.jwksUrl), {
      [customFetch]: (url, init) =>
        new Promise<Response>((resolve, reject) => {
          get(
            url,
            { agent: this.agent, headers: Object.fromEntries(init.headers.entries()), signal: init.signal },
            (res) => {
              const chunks: Buffer[] = [];
              res.on('data', (c: Buffer) => chunks.push(c));
              res.on('end', () =>
                resolve(
                  new Response(Buffer.concat(chunks), {
                    status: res.statusCode ?? 500,
                    headers: { 'content-type': String(res.headers['content-type'] ?? '') },
                  }),
                ),
              );
              res.on('error', reject);
            },
          ).on('error', reject);
        }),
    });
  }

  /** A user's access token, signed with the published key (or with `signer`, a key nobody published). */
  async userToken(claims: UserTokenClaims, signer?: CryptoKey): Promise<string> {
    const jwt = new SignJWT({
      tid: claims.tenant,
      oid: claims.oid ?? `oid-${claims.tenant}`,
      ver: '2.0',
      ...(claims.name ? { name: claims.name } : {}),
      ...(claims.groups ? { groups: claims.groups } : {}),
      ...(claims.roles ? { roles: claims.roles } : {}),
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'entra-standin', typ: 'JWT' })
      .setIssuer(claims.issuer ?? `https://login.microsoftonline.com/${claims.tenant}/v2.0`)
      .setAudience(claims.audience)
      .setIssuedAt()
      .setNotBefore('0s');
    if (claims.expiresIn !== null) jwt.setExpirationTime(claims.expiresIn ?? '1h');
    return jwt.sign(signer ?? this.signingKey!);
  }

  async start(): Promise<void> {
    const pair = await generateKeyPair('RS256', { extractable: true });
    this.signingKey = pair.privateKey;
    this.publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'entra-standin', alg: 'RS256', use: 'sig' };
    this.server = createServer({ cert, key }, (req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += String(c)));
      req.on('end', () => {
        const [, tenant, rest] = /^\/([^/]+)(\/[^?]*)/.exec(req.url ?? '') ?? [];
        const json = (body: unknown) =>
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        if (req.method === 'GET' && rest === '/v2.0/.well-known/openid-configuration') {
          const base = `${this.url}/${tenant}`;
          return json({
            issuer: `${base}/v2.0`,
            authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
            token_endpoint: `${base}/oauth2/v2.0/token`,
            end_session_endpoint: `${base}/oauth2/v2.0/logout`,
            jwks_uri: `${base}/discovery/v2.0/keys`,
          });
        }
        if (req.method === 'GET' && rest === '/discovery/v2.0/keys') return json({ keys: [this.publicJwk] });
        if (req.method === 'POST' && rest === '/oauth2/v2.0/token') {
          this.tokenRequests.push({ tenant: tenant, form: new URLSearchParams(raw) });
          if (this.hanging) return;
          return json({
            token_type: 'Bearer',
            expires_in: 3600,
            ext_expires_in: 3600,
            access_token: `token-${this.tokenRequests.length}`,
          });
        }
        res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.agent.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
