import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PostgresClient } from '../../adapters/storage/postgres-client.ts';
import type { SqlClient } from '../../adapters/storage/sql-client.ts';
import { SqliteClient } from '../../adapters/storage/sqlite-client.ts';

/** The PostgreSQL server for tests; .ci/run sets it. Without it the PostgreSQL suites are skipped, loudly. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
if (!TEST_DATABASE_URL) {
  process.stderr.write(
    '\n*** TEST_DATABASE_URL is not set: the PostgreSQL test suites are SKIPPED (bash .ci/run sets it) ***\n\n',
  );
}

/** A database that a test owns, and how to throw it away. */
export interface TestDatabase {
  db: SqlClient;
  /** A connection string or file path another process can open. */
  location: string;
  drop(): Promise<void>;
}

/** A fresh SQLite file in a temporary folder. */
export function sqliteTestDatabase(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'kc-sqlite-'));
  const db = new SqliteClient(join(dir, 'khuyencong.db'));
  return {
    db,
    location: dir,
    drop: async () => {
      await db.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh schema on the test PostgreSQL server, selected through the connection's search_path. */
export async function postgresTestDatabase(url = TEST_DATABASE_URL!): Promise<TestDatabase> {
  const schema = `t_${randomUUID().replace(/-/g, '')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const location = withSearchPath(url, schema);
  const db = new PostgresClient(location);
  return {
    db,
    location,
    drop: async () => {
      await db.close().catch(() => undefined);
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`DROP SCHEMA ${schema} CASCADE`);
      await cleanup.end();
    },
  };
}

function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}
