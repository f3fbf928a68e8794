import { describe, expect, it } from 'vitest';
import { migrate } from '../../../adapters/storage/migrations.ts';
import { PostgresClient } from '../../../adapters/storage/postgres-client.ts';
import { SqliteClient } from '../../../adapters/storage/sqlite-client.ts';
import { sqlitePath } from '../../../adapters/storage/open-stores.ts';
import { runTs } from '../../helpers/processes.ts';
import { postgresTestDatabase, sqliteTestDatabase, TEST_DATABASE_URL } from '../../helpers/databases.ts';

describe('migrations on a fresh database opened by three instances at once', () => {
  it('apply once on SQLite (three processes)', async () => {
    const fresh = sqliteTestDatabase();
    await fresh.db.close();
    try {
      const runs = await Promise.all([1, 2, 3].map(() => runTs('test/helpers/run-migrate.ts', [sqlitePath(fresh.location)])));
      expect(runs.map((r) => r.code)).toEqual([0, 0, 0]);
      expect(runs.flatMap((r) => JSON.parse(r.stdout) as number[])).toEqual([1]);
      const again = new SqliteClient(sqlitePath(fresh.location));
      expect(await migrate(again)).toEqual([]);
      await again.close();
    } finally {
      await fresh.drop();
    }
  });

  it.skipIf(!TEST_DATABASE_URL)('apply once on PostgreSQL', async () => {
    const fresh = await postgresTestDatabase();
    const others = [new PostgresClient(fresh.location), new PostgresClient(fresh.location)];
    try {
      const applied = await Promise.all([fresh.db, ...others].map((db) => migrate(db)));
      expect(applied.flat()).toEqual([1]);
      expect(await migrate(fresh.db)).toEqual([]);
    } finally {
      await Promise.all(others.map((db) => db.close()));
      await fresh.drop();
    }
  });
});
