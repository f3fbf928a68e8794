import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { postgresTestDatabase, TEST_DATABASE_URL } from '../helpers/databases.ts';
import { startServerProcess, type ServerProcess } from '../helpers/processes.ts';
import { say } from '../helpers/server.ts';
import { proxyInFront } from '../helpers/tcp-proxy.ts';
import { useTempDirs } from '../helpers/temp-dirs.ts';

const tempDir = useTempDirs('kc-shutdown');

/** Posts web chat messages on `connections` connections for about `ms`, bounded in count. */
async function drive(url: string, connections: number, ms: number): Promise<number> {
  const { port } = new URL(url);
  const post = () =>
    new Promise<void>((resolve) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/api/webchat',
          method: 'POST',
          headers: { 'content-type': 'application/json' },
        },
        (res) => {
          res.resume();
          res.on('end', resolve);
        },
      );
      req.on('error', () => resolve());
      req.end(JSON.stringify({ conversationId: 'c1', userId: 'u1', text: 'hạn nộp hồ sơ' }));
    });
  const until = Date.now() + ms;
  let sent = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < until && sent < 20_000) {
        sent += 1;
        await post();
      }
    }),
  );
  return sent;
}

/** Whether the child process exits within `ms`. */
async function exitsWithin(child: ServerProcess['child'], ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

describe('shutdown', () => {
  // The documented bound is 10 s; a little margin for the process to end.
  const BOUND_MS = 12_000;

  it('ends within 10 s of SIGTERM after its log reader has gone', async () => {
    const server = await startServerProcess({ DATA_DIR: tempDir() });
    try {
      // Thousands of lines are logged (most requests are refused by the per-address limit)…
      const sent = await drive(server.url, 16, 1_500);
      expect(sent).toBeGreaterThan(200);
      // Let the log batches drain while the streams are still read.
      for (let last = ''; last !== server.output();) {
        last = server.output();
        await new Promise((r) => setTimeout(r, 400));
      }
      // …then whoever read its standard output and error goes away, as a supervisor that died would.
      server.child.stdout?.destroy();
      server.child.stderr?.destroy();
      await new Promise((r) => setTimeout(r, 50));
      server.child.kill('SIGTERM');
      const exited = await exitsWithin(server.child, BOUND_MS);
      if (!exited) server.child.kill('SIGKILL');
      expect(exited).toBe(true);
    } finally {
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    }
  }, 40_000);
});

describe.skipIf(!TEST_DATABASE_URL)('shutdown with a store that stops answering', () => {
  it('ends within 10 s of SIGTERM while a turn waits on the store for ever', async () => {
    const database = await postgresTestDatabase();
    const { proxy, url } = await proxyInFront(database.location);
    const server = await startServerProcess({ DATABASE_URL: url, DATA_DIR: tempDir() });
    try {
      await say(server.url, 'before', 'vốn đối ứng là gì');
      proxy.freeze();
      // A turn that will wait for the store, then the signal while it waits.
      const stuck = say(server.url, 'stuck', 'mức hỗ trợ máy móc').catch(() => undefined);
      await new Promise((r) => setTimeout(r, 300));
      server.child.kill('SIGTERM');
      const exited = await exitsWithin(server.child, 12_000);
      expect(exited).toBe(true);
      await stuck;
      expect(server.output()).toContain('shutdown did not finish in time');
    } finally {
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
      await proxy.close();
      await database.drop();
    }
  }, 40_000);
});
