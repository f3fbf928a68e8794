import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the stand-in answers the next message sends. */
export type SendBehaviour = 'ok' | 'token-expired' | 'rate-limited' | 'http-500' | 'slow' | 'user-silent';

/** A recorded request to the stand-in. */
export interface Recorded {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

/**
 * A local stand-in for Zalo's OpenAPI (/v3.0/oa/message/cs) and OAuth (/v4/oa/access_token)
 * servers: a real HTTP server on 127.0.0.1 that checks tokens, rotates single-use refresh
 * tokens, records every request and answers as scripted.
 */
export class ZaloStandIn {
  readonly sent: Recorded[] = [];
  readonly refreshes: Recorded[] = [];
  validAccessTokens = new Set<string>(['at-initial']);
  validRefreshTokens = new Set<string>(['rt-initial']);
  appSecret = 'app-secret';
  /** How long a token refresh takes to answer (a slow refresh widens any race between refreshers). */
  refreshDelayMs = 0;
  /** How long a message send takes to answer, and the most sends that were waiting at once. */
  sendDelayMs = 0;
  maxSendsInFlight = 0;
  private sendsInFlight = 0;
  private queue: SendBehaviour[] = [];
  private issued = 0;
  private server?: Server;
  url = '';

  /** The next sends answer in this order, then "ok". */
  script(...behaviours: SendBehaviour[]): void {
    this.queue.push(...behaviours);
  }

  /** Makes every current access token invalid, as when it expires. */
  expireAccessTokens(): void {
    this.validAccessTokens.clear();
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += String(c)));
      req.on('end', () => {
        const json = (status: number, body: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        };
        if (req.url === '/v3.0/oa/message/cs' && req.method === 'POST') {
          const body = JSON.parse(raw) as Record<string, unknown>;
          const behaviour = this.queue.shift() ?? 'ok';
          if (behaviour === 'http-500') return json(500, { error: 'internal' });
          if (behaviour === 'slow') return void setTimeout(() => json(200, { error: 0, data: { message_id: 'late' } }), 6000);
          if (behaviour === 'rate-limited') return json(200, { error: -32, message: 'Request exceeds limit' });
          if (behaviour === 'user-silent') return json(200, { error: -230, message: 'User has not interacted with the OA in the last 7 days' });
          if (behaviour === 'token-expired' || !this.validAccessTokens.has(String(req.headers.access_token))) return json(200, { error: -216, message: 'Access token is invalid' });
          this.sendsInFlight += 1;
          this.maxSendsInFlight = Math.max(this.maxSendsInFlight, this.sendsInFlight);
          return void setTimeout(() => {
            this.sendsInFlight -= 1;
            this.sent.push({ path: req.url!, headers: req.headers, body });
            json(200, { error: 0, message: 'Success', data: { message_id: `mid-${this.sent.length}`, user_id: (body.recipient as { user_id: string }).user_id } });
          }, this.sendDelayMs);
        }
        if (req.url === '/v4/oa/access_token' && req.method === 'POST') {
          const form = Object.fromEntries(new URLSearchParams(raw));
          this.refreshes.push({ path: req.url, headers: req.headers, body: form });
          if (req.headers.secret_key !== this.appSecret || form.grant_type !== 'refresh_token' || !this.validRefreshTokens.has(form.refresh_token ?? '')) {
            return json(200, { error: -14014, error_name: 'Invalid refresh token', error_description: 'refresh token is invalid' });
          }
          this.validRefreshTokens.delete(form.refresh_token!);
          this.issued += 1;
          const access = `at-${this.issued}`;
          const refresh = `rt-${this.issued}`;
          this.validAccessTokens.add(access);
          this.validRefreshTokens.add(refresh);
          return void setTimeout(() => json(200, { access_token: access, refresh_token: refresh, expires_in: '90000' }), this.refreshDelayMs);
        }
        json(404, { error: 'not found' });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Waits until at least `n` messages were sent (or the time is up) and returns them. */
  async waitForSent(n: number, timeoutMs = 5000): Promise<Recorded[]> {
    const until = Date.now() + timeoutMs;
    while (this.sent.length < n && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    return this.sent;
  }
}
