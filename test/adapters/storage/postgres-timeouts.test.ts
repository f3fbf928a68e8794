import { describe, expect, it } from 'vitest';
import { PostgresClient } from '../../../adapters/storage/postgres-client.ts';
import { postgresTestDatabase, TEST_DATABASE_URL } from '../../helpers/databases.ts';
import { proxyInFront } from '../../helpers/tcp-proxy.ts';

describe.skipIf(!TEST_DATABASE_URL)('PostgreSQL timeouts', () => {
  it('has the server cancel a statement that runs too long, and a turn lock waited for too long, without leaving the lock held', async () => {
    const database = await postgresTestDatabase();
    const db = new PostgresClient(database.location, { statementTimeoutMs: 200, lockWaitTimeoutMs: 300 });
    try {
      await expect(db.query('SELECT pg_sleep(2)')).rejects.toThrow(/statement timeout/);
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const first = db.withSessionLock('turn:c1', () => held);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await expect(db.withSessionLock('turn:c1', async () => 'second')).rejects.toThrow(/statement timeout/);
      release();
      await first;
      // The cancelled wait took nothing: the lock is free for the next turn at once.
      expect(await db.withSessionLock('turn:c1', async () => 'third')).toBe('third');
    } finally {
      await db.close();
      await database.drop();
    }
  });
});

describe.skipIf(!TEST_DATABASE_URL)('PostgreSQL that stops answering', () => {
  it('gives up on every kind of call after the grace period, and hands out no stuck connection once the server answers again', async () => {
    const database = await postgresTestDatabase();
    const { proxy, url } = await proxyInFront(database.location);
    const db = new PostgresClient(url, {
      statementTimeoutMs: 200,
      lockWaitTimeoutMs: 200,
      responseGraceMs: 300,
      max: 2,
      maxLocks: 2,
    });
    try {
      // Two open connections in the main pool and one in the lock pool, so each call below goes
      // to an open connection that stops answering. Without the client's own timeout each would
      // wait for TCP to give up, many minutes, and the test would time out.
      await Promise.all([1, 2].map(() => db.transaction(async (tx) => tx.query('SELECT pg_sleep(0.05)'))));
      await db.withSessionLock('turn:p1', async () => undefined);
      proxy.freeze();
      await expect(db.query('SELECT 1')).rejects.toThrow(/read timeout/);
      await expect(db.transaction(async (tx) => tx.query('SELECT 1'))).rejects.toThrow(/read timeout/);
      await expect(db.withSessionLock('turn:p2', async () => 'never')).rejects.toThrow(/read timeout/);
      proxy.thaw();
      // The connections that stopped answering were thrown away, not returned to the pools: with
      // two connections a pool, a stuck one handed out again would fail these.
      for (let i = 0; i < 3; i++) {
        expect(await db.query<{ n: number }>('SELECT 1 AS n')).toEqual([{ n: 1 }]);
        expect(await db.transaction(async (tx) => tx.query<{ n: number }>('SELECT 2 AS n'))).toEqual([{ n: 2 }]);
        expect(await db.withSessionLock('turn:p2', async () => 'taken')).toBe('taken');
      }
    } finally {
      await db.close();
      await proxy.close();
      await database.drop();
    }
  }, 20_000);
});
