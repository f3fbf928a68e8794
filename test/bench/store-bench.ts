import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Writable } from 'node:stream';
import { loadContentOrThrow } from '../../adapters/content/content-files.ts';
import { InProcessAdapter } from '../../adapters/local/in-process-adapter.ts';
import { openStores, type OpenedStores } from '../../adapters/storage/open-stores.ts';
import { createLogger } from '../../bot/logger.ts';
import { createRuntime } from '../../bot/runtime.ts';
import { BUNDLED_CONTENT_DIR } from '../../knowledge/index.ts';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** State read + write of one turn, as ConversationState does it, repeated. */
async function stateRoundTrips(opened: OpenedStores, n: number): Promise<{ p50: number; p99: number }> {
  const times: number[] = [];
  const doc = {
    dialogState: {
      dialogStack: [{ id: 'main', state: { version: 1, pending: { ids: ['a', 'b'], question: 'hạn' } } }],
    },
  };
  for (let i = 0; i < n; i++) {
    const key = `bench/conversations/c${i % 50}`;
    const t = performance.now();
    const items = await opened.storage.read([key]);
    await opened.storage.write({ [key]: { ...doc, eTag: (items[key]?.eTag as string | undefined) ?? '*' } });
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

/** Whole bot turns per second: one conversation turn after turn, and many conversations at once. */
async function turnsPerSecond(opened: OpenedStores): Promise<{ one: number; many: number }> {
  const logger = createLogger('silent', new Writable({ write: (_c, _e, done) => done() }));
  const runtime = createRuntime({
    config: { TZ: 'Asia/Ho_Chi_Minh' },
    logger,
    content: loadContentOrThrow(BUNDLED_CONTENT_DIR),
    storage: opened.storage,
    stores: opened.stores,
  });
  const adapter = new InProcessAdapter('bench');
  runtime.attach(adapter);
  const turn = (conversationId: string) =>
    adapter.send({ conversationId, userId: 'u', text: 'hạn' }, (c) => runtime.bot.run(c));
  let t = performance.now();
  for (let i = 0; i < 300; i++) await turn('one');
  const one = 300 / ((performance.now() - t) / 1000);
  t = performance.now();
  await Promise.all(
    Array.from({ length: 30 }, async (_, c) => {
      for (let i = 0; i < 10; i++) await turn(`many-${c}`);
    }),
  );
  const many = 300 / ((performance.now() - t) / 1000);
  return { one, many };
}

/** Runs the store benchmark on SQLite and, when a server answers, PostgreSQL; returns printable lines. */
export async function benchStores(postgresAdminUrl: string | undefined): Promise<string[]> {
  const lines: string[] = [];
  const row = (name: string, rt: { p50: number; p99: number }, tps: { one: number; many: number }) =>
    `${name.padEnd(12)}${rt.p50.toFixed(3).padStart(10)}${rt.p99.toFixed(3).padStart(10)}${tps.one.toFixed(0).padStart(14)}${tps.many.toFixed(0).padStart(14)}`;
  lines.push(
    `${'store'.padEnd(12)}${'p50 ms'.padStart(10)}${'p99 ms'.padStart(10)}${'1 conv t/s'.padStart(14)}${'30 conv t/s'.padStart(14)}   (state read+write per turn; whole turns/s)`,
  );

  const dir = mkdtempSync(join(tmpdir(), 'kc-bench-'));
  const sqlite = await openStores({ dataDir: dir });
  try {
    await stateRoundTrips(sqlite, 200);
    lines.push(row('SQLite', await stateRoundTrips(sqlite, 3000), await turnsPerSecond(sqlite)));
  } finally {
    await sqlite.stores.close();
    rmSync(dir, { recursive: true, force: true });
  }

  if (!postgresAdminUrl) {
    lines.push('PostgreSQL  skipped: set TEST_DATABASE_URL (bash .ci/run does) to include it');
    return lines;
  }
  const name = `kc_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (error) {
    lines.push(`PostgreSQL  skipped: ${(error as Error).message}`);
    await admin.end().catch(() => undefined);
    return lines;
  }
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  const postgres = await openStores({ databaseUrl: url.toString(), dataDir: '' });
  try {
    await stateRoundTrips(postgres, 200);
    lines.push(row('PostgreSQL', await stateRoundTrips(postgres, 3000), await turnsPerSecond(postgres)));
  } finally {
    await postgres.stores.close();
    await admin.query(`DROP DATABASE ${name}`);
    await admin.end();
  }
  return lines;
}
