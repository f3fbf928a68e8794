import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An activity the bot posted to the Bot Connector. */
export interface Posted {
  conversationId: string;
  body: Record<string, unknown>;
  authorization?: string;
}

/**
 * A local stand-in of the Bot Connector service: a real HTTP server on 127.0.0.1 that records
 * the activities the bot posts to its serviceUrl (/v3/conversations/{id}/activities[/{replyTo}]).
 */
export class ConnectorStandIn {
  readonly posted: Posted[] = [];
  /** Conversations whose posts are never answered (a connector that hangs); each attempt is counted. */
  readonly hanging = new Set<string>();
  hungAttempts = 0;
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += String(c)));
      req.on('end', () => {
        const m = /^\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
        if (req.method === 'POST' && m && this.hanging.has(decodeURIComponent(m[1]))) {
          this.hungAttempts += 1;
          return;
        }
        if (req.method === 'POST' && m) {
          this.posted.push({
            conversationId: decodeURIComponent(m[1]),
            body: JSON.parse(raw || '{}') as Record<string, unknown>,
            authorization: req.headers.authorization,
          });
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ id: `act-${this.posted.length}` }));
          return;
        }
        res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Waits until at least `n` activities were posted. */
  async waitFor(n: number, timeoutMs = 5000): Promise<Posted[]> {
    const until = Date.now() + timeoutMs;
    while (this.posted.length < n && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    return this.posted;
  }
}
