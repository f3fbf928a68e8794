import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { webchatRouter } from '../../adapters/webchat/webchat-route.ts';
import { loadContentOrThrow } from '../../adapters/content/content-files.ts';
import { createLogger } from '../../bot/logger.ts';
import { createRuntime, type BotRuntime } from '../../bot/runtime.ts';
import { createHttpApp } from '../../bot/server.ts';
import { BUNDLED_CONTENT_DIR } from '../../knowledge/index.ts';

/** A real HTTP server on 127.0.0.1 with the web chat channel, and the log lines it wrote. */
export interface TestServer {
  url: string;
  runtime: BotRuntime;
  logs: string[];
  close(): Promise<void>;
}

/** Starts the bot's HTTP app on an ephemeral loopback port with a fixed clock. */
export async function startTestServer(now = new Date('2026-11-26T09:00:00+07:00')): Promise<TestServer> {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const logger = createLogger('info', sink);
  const runtime = createRuntime({ config: { TZ: 'Asia/Ho_Chi_Minh' }, logger, content: loadContentOrThrow(BUNDLED_CONTENT_DIR), clock: () => now });
  const app = createHttpApp({ logger, routers: [webchatRouter(runtime)], readiness: [{ name: 'knowledge', check: () => true }] });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    runtime,
    logs,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
