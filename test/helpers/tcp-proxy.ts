import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of a real server, which can be made to stop passing anything
 * while every connection stays open: what a client sees of a network partition or a server that
 * hangs without closing its sockets.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private frozen = false;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<void> {
    // Half-open sockets, so that an end is passed on (or, frozen, lost) like any other packet.
    this.server = createServer({ allowHalfOpen: true }, (client) => {
      const upstream = connect({ port: this.targetPort, host: this.targetHost, allowHalfOpen: true });
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      // What arrives while frozen is lost, as a partition loses it: bytes, ends and closes.
      client.on('data', (chunk) => void (this.frozen || upstream.write(chunk)));
      upstream.on('data', (chunk) => void (this.frozen || client.write(chunk)));
      client.on('end', () => void (this.frozen || upstream.end()));
      upstream.on('end', () => void (this.frozen || client.end()));
      client.on('close', () => void (this.frozen || upstream.destroy()));
      upstream.on('close', () => void (this.frozen || client.destroy()));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Stops passing bytes both ways, leaving the connections open. */
  freeze(): void {
    this.frozen = true;
  }

  /** Passes bytes again (what was dropped meanwhile is lost). */
  thaw(): void {
    this.frozen = false;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** A started proxy in front of the database server of `databaseUrl`, and the same URL through it. */
export async function proxyInFront(databaseUrl: string): Promise<{ proxy: TcpProxy; url: string }> {
  const url = new URL(databaseUrl);
  const proxy = new TcpProxy(url.hostname, Number(url.port || 5432));
  await proxy.start();
  url.host = `127.0.0.1:${proxy.port}`;
  return { proxy, url: url.toString() };
}
