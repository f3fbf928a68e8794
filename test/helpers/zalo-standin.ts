import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Stores } from '../../bot/stores.ts';

/** How the stand-in answers the next message sends. */
export type SendBehaviour =
  'ok' | 'token-expired' | 'rate-limited' | 'http-500' | 'slow' | 'user-silent' | 'hang' | `error:${number}`;

/** Where the stand-in delivers the echo of each message it takes, as Zalo does (oa_send_text), before it answers the send. */
export interface EchoTarget {
  webhookUrl: string;
  appId: string;
  sign: (raw: string, timestamp: string) => string;
}

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
  /** Every call to the message API, whatever it answered (each counts against the OA's quota). */
  calls = 0;
  /** When each message was taken (epoch ms), in the order of `sent`. */
  readonly sentAt: number[] = [];
  /** Every send answers nothing, for ever (a Zalo that hangs); the message is not taken. */
  hangAll = false;
  /** With a target, each message taken is echoed there first, and the send answered after the echo's 200. */
  echoTo?: EchoTarget;
  private sendsInFlight = 0;
  private messageIds = 0;
  private queue: SendBehaviour[] = [];
  private issued = 0;
  private server?: Server;
  url = '';

  /**
   * The configuration of a server whose Zalo is this stand-in: the OA `appId` and its secret key,
   * no request limit to speak of, and `extra` variables.
   */
  env(appId: string, oaSecretKey: string, extra: Record<string, string> = {}): Record<string, string> {
    return {
      ZALO_APP_ID: appId,
      ZALO_APP_SECRET: this.appSecret,
      ZALO_OA_SECRET_KEY: oaSecretKey,
      ZALO_OA_ACCESS_TOKEN: 'at-initial',
      ZALO_OA_REFRESH_TOKEN: 'rt-initial',
      ZALO_API_BASE_URL: this.url,
      ZALO_OAUTH_BASE_URL: this.url,
      ZALO_REQUESTS_PER_MINUTE: '100000',
      ...extra,
    };
  }

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
          this.calls += 1;
          const behaviour = this.hangAll ? 'hang' : (this.queue.shift() ?? 'ok');
          if (behaviour === 'hang') return;
          if (behaviour.startsWith('error:'))
            return json(200, { error: Number(behaviour.slice('error:'.length)), message: 'scripted error' });
          if (behaviour === 'http-500') return json(500, { error: 'internal' });
          if (behaviour === 'slow')
            return void setTimeout(() => json(200, { error: 0, data: { message_id: 'late' } }), 6000);
          if (behaviour === 'rate-limited') return json(200, { error: -32, message: 'Request exceeds limit' });
          if (behaviour === 'user-silent')
            return json(200, { error: -230, message: 'User has not interacted with the OA in the last 7 days' });
          if (behaviour === 'token-expired' || !this.validAccessTokens.has(String(req.headers.access_token)))
            return json(200, { error: -216, message: 'Access token is invalid' });
          this.sendsInFlight += 1;
          this.maxSendsInFlight = Math.max(this.maxSendsInFlight, this.sendsInFlight);
          const userId = (body.recipient as { user_id: string }).user_id;
          return void setTimeout(() => {
            this.sendsInFlight -= 1;
            this.sent.push({ path: req.url!, headers: req.headers, body });
            this.sentAt.push(Date.now());
            const messageId = this.echoTo ? `echoed-${++this.messageIds}` : `mid-${this.sent.length}`;
            const answer = () =>
              json(200, { error: 0, message: 'Success', data: { message_id: messageId, user_id: userId } });
            if (!this.echoTo) return answer();
            void this.echo(this.echoTo, userId, messageId, (body.message as { text?: string }).text).finally(answer);
          }, this.sendDelayMs);
        }
        if (req.url === '/v4/oa/access_token' && req.method === 'POST') {
          const form = Object.fromEntries(new URLSearchParams(raw));
          this.refreshes.push({ path: req.url, headers: req.headers, body: form });
          if (
            req.headers.secret_key !== this.appSecret ||
            form.grant_type !== 'refresh_token' ||
            !this.validRefreshTokens.has(form.refresh_token ?? '')
          ) {
            return json(200, {
              error: -14014,
              error_name: 'Invalid refresh token',
              error_description: 'refresh token is invalid',
            });
          }
          this.validRefreshTokens.delete(form.refresh_token);
          this.issued += 1;
          const access = `at-${this.issued}`;
          const refresh = `rt-${this.issued}`;
          this.validAccessTokens.add(access);
          this.validRefreshTokens.add(refresh);
          return void setTimeout(
            () => json(200, { access_token: access, refresh_token: refresh, expires_in: '90000' }),
            this.refreshDelayMs,
          );
        }
        json(404, { error: 'not found' });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Delivers the oa_send_text echo of a message the OA sent, signed, and waits for the answer. */
  private async echo(target: EchoTarget, userId: string, messageId: string, text: string | undefined): Promise<void> {
    const timestamp = String(Date.now());
    const raw = JSON.stringify({
      app_id: target.appId,
      sender: { id: 'oa-id' },
      recipient: { id: userId },
      event_name: 'oa_send_text',
      message: { text: text ?? '', msg_id: messageId },
      timestamp,
    });
    await fetch(target.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-zevent-signature': `mac=${target.sign(raw, timestamp)}` },
      body: raw,
    }).catch(() => undefined);
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

/** Records, through the store, that Zalo user `userId` last wrote to the OA at `at` (the OA's windows count from it). */
export async function zaloUserWroteAt(stores: Pick<Stores, 'zalo'>, userId: string, at: Date): Promise<void> {
  await stores.zalo.accept(
    { key: `seen-${userId}-${at.getTime()}`, userId, event: {}, eventAt: at, interactionAt: at, claimUntil: at },
    at,
  );
  await stores.zalo.finish(`seen-${userId}-${at.getTime()}`, [], at);
}
