import { readFileSync } from 'node:fs';
import { Agent, createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';

// A self-signed certificate for 127.0.0.1 and localhost, for tests only (MSAL signs in over HTTPS alone).
const cert = readFileSync(new URL('../fixtures/tls/loopback.crt', import.meta.url));
const key = readFileSync(new URL('../fixtures/tls/loopback.key', import.meta.url));

/** A token request the bot made. */
export interface TokenRequest {
  tenant: string;
  form: URLSearchParams;
}

/**
 * A local stand-in of Microsoft Entra ID for a bot's sign-in: a real HTTPS server on 127.0.0.1
 * that serves a tenant's OpenID configuration and issues client-credential tokens, or, for
 * `hanging`, accepts token requests and never answers them.
 */
export class EntraStandIn {
  readonly tokenRequests: TokenRequest[] = [];
  hanging = false;
  url = '';
  /** An agent that trusts this stand-in's certificate. */
  readonly agent = new Agent({ ca: cert });
  private server?: Server;

  async start(): Promise<void> {
    this.server = createServer({ cert, key }, (req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += String(c)));
      req.on('end', () => {
        const [, tenant, rest] = /^\/([^/]+)(\/[^?]*)/.exec(req.url ?? '') ?? [];
        const json = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        if (req.method === 'GET' && rest === '/v2.0/.well-known/openid-configuration') {
          const base = `${this.url}/${tenant}`;
          return json({ issuer: `${base}/v2.0`, authorization_endpoint: `${base}/oauth2/v2.0/authorize`, token_endpoint: `${base}/oauth2/v2.0/token`, end_session_endpoint: `${base}/oauth2/v2.0/logout`, jwks_uri: `${base}/discovery/v2.0/keys` });
        }
        if (req.method === 'POST' && rest === '/oauth2/v2.0/token') {
          this.tokenRequests.push({ tenant: tenant!, form: new URLSearchParams(raw) });
          if (this.hanging) return;
          return json({ token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600, access_token: `token-${this.tokenRequests.length}` });
        }
        res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `https://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.agent.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
