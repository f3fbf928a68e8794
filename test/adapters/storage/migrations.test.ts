import { describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS } from '../../../adapters/storage/migrations.ts';
import { PostgresClient } from '../../../adapters/storage/postgres-client.ts';
import { SqliteClient } from '../../../adapters/storage/sqlite-client.ts';
import { sqlitePath, storesOn } from '../../../adapters/storage/open-stores.ts';
import type { SqlClient } from '../../../adapters/storage/sql-client.ts';
import { OPEN_DRAFT_OF_USER, registrationListing } from '../../../adapters/storage/sql-records.ts';
import { runTs } from '../../helpers/processes.ts';
import {
  postgresTestDatabase,
  sqliteTestDatabase,
  TEST_DATABASE_URL,
  type TestDatabase,
} from '../../helpers/databases.ts';

const ALL = MIGRATIONS.map((m) => m.version);

describe('migrations on a fresh database opened by three instances at once', () => {
  it('apply once on SQLite (three processes)', async () => {
    const fresh = sqliteTestDatabase();
    await fresh.db.close();
    try {
      const runs = await Promise.all(
        [1, 2, 3].map(() => runTs('test/helpers/run-migrate.ts', [sqlitePath(fresh.location)])),
      );
      expect(runs.map((r) => r.code)).toEqual([0, 0, 0]);
      expect(runs.flatMap((r) => JSON.parse(r.stdout) as number[])).toEqual(ALL);
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
      expect(applied.flat()).toEqual(ALL);
      expect(await migrate(fresh.db)).toEqual([]);
    } finally {
      await Promise.all(others.map((db) => db.close()));
      await fresh.drop();
    }
  });
});

/** The plan the database chose for `sql` with `params`, as text. */
async function planOf(db: SqlClient, sql: string, params: unknown[]): Promise<string> {
  if (db.dialect === 'sqlite') {
    const rows = await db.query<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params);
    return rows.map((r) => r.detail).join('\n');
  }
  // PostgreSQL plans from statistics; give it some, as autovacuum would.
  await db.execute('ANALYZE registrations');
  const literal = (v: unknown) => (typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`);
  const rows = await db.query<Record<string, string>>(
    `EXPLAIN ${sql.replace(/\$(\d+)/g, (_, n: string) => literal(params[Number(n) - 1]))}`,
  );
  return rows.map((r) => Object.values(r).join(' ')).join('\n');
}

/** The plan the database chose for a user's newest draft. */
const draftLookupPlan = (db: SqlClient) => planOf(db, OPEN_DRAFT_OF_USER, ['zalo:u1']);

describe.each([
  ['SQLite', sqliteTestDatabase, false],
  ['PostgreSQL', () => postgresTestDatabase(), !TEST_DATABASE_URL],
] as [string, () => TestDatabase | Promise<TestDatabase>, boolean][])(
  'a database made by the first release, upgraded (%s)',
  (_name, open, skip) => {
    it.skipIf(skip)(
      'keeps one open draft per user, the newest, and finds it through the per-user index, however many drafts there are',
      async () => {
        const database = await open();
        try {
          expect(await migrate(database.db, MIGRATIONS.slice(0, 1))).toEqual([1]);
          const at = new Date('2026-11-01T00:00:00Z').getTime();
          const insert = (
            id: string,
            userKey: string,
            status: 'draft' | 'submitted',
            updatedAt: number,
            data: object,
          ) =>
            database.db.execute(
              'INSERT INTO registrations (id, code, user_key, channel, status, schema_version, data, province, support_area, created_at, updated_at, submitted_at) VALUES ($1, $2, $3, $4, $5, 1, $6, NULL, NULL, $7, $7, NULL)',
              [
                id,
                status === 'submitted' ? `KC-2026-${id}` : null,
                userKey,
                'zalo',
                status,
                JSON.stringify(data),
                updatedAt,
              ],
            );
          // Many users with a draft each: the lookup must not walk them all to find one.
          for (let i = 0; i < 3000; i++) await insert(`d${i}`, `zalo:u${i}`, 'draft', at + i, { i });
          // Two saves that raced under the first release left user u1 two drafts, and a submitted one.
          await insert('d1-older', 'zalo:u1', 'draft', at - 1, { i: 'older' });
          await insert('s1', 'zalo:u1', 'submitted', at - 2, { i: 'sent' });

          expect(await migrate(database.db)).toEqual(ALL.slice(1));
          expect(await draftLookupPlan(database.db)).toMatch(/registrations_open_draft/);
          const stores = storesOn(database.db);
          expect((await stores.registrations.findDraft('zalo:u1'))?.data).toEqual({ i: 1 });
          expect(await stores.registrations.countByStatus()).toEqual({ draft: 3000, submitted: 1 });
          // A page of one status, as the officers' tab reads them, walks an index in the listing's
          // order, not a sort of every row of that status for each page (which is what SQLite did).
          const page = registrationListing({
            status: 'draft',
            limit: 1000,
            after: { createdAt: new Date(at + 2000), id: 'd2000' },
          });
          const plan = await planOf(database.db, page.sql, page.params);
          expect(plan).toMatch(/registrations_(status_)?listing/);
          expect(plan).not.toMatch(/TEMP B-TREE|Sort/);
        } finally {
          await database.drop();
        }
      },
    );

    it.skipIf(skip)(
      'forgets the conversation references kept of Zalo users, and keeps the Teams subscriptions',
      async () => {
        const database = await open();
        try {
          expect(await migrate(database.db, MIGRATIONS.slice(0, 1))).toEqual([1]);
          const stores = storesOn(database.db);
          const now = new Date('2026-11-01T00:00:00Z');
          await stores.references.upsert('zalo:u1', 'zalo', { user: { id: 'u1' } }, now);
          await stores.references.upsert('zalo:u2', 'zalo', { user: { id: 'u2' } }, now);
          await stores.references.upsert('teams-sub:c1', 'msteams', { conversation: { id: 'c1' } }, now);

          expect(await migrate(database.db)).toEqual(ALL.slice(1));
          expect((await stores.references.list()).map((r) => r.key)).toEqual(['teams-sub:c1']);
        } finally {
          await database.drop();
        }
      },
    );
  },
);
