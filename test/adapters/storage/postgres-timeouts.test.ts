import { describe, expect, it } from 'vitest';
import { PostgresClient } from '../../../adapters/storage/postgres-client.ts';
import { postgresTestDatabase, TEST_DATABASE_URL } from '../../helpers/databases.ts';

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
