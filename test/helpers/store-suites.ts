import { afterAll, beforeAll } from 'vitest';
import { migrate } from '../../adapters/storage/migrations.ts';
import { storesOn } from '../../adapters/storage/open-stores.ts';
import type { Stores } from '../../bot/stores.ts';
import { postgresTestDatabase, sqliteTestDatabase, TEST_DATABASE_URL, type TestDatabase } from './databases.ts';

/** An engine a store suite runs on: its name, how to open a fresh database, and whether it is skipped. */
export type StoreEngine = [name: string, open: () => Promise<TestDatabase> | TestDatabase, skip: boolean];

/** SQLite, and PostgreSQL unless no test server is set, for `describe.each(STORE_ENGINES)`. */
export const STORE_ENGINES: StoreEngine[] = [
  ['SQLite', sqliteTestDatabase, false],
  ['PostgreSQL', () => postgresTestDatabase(), !TEST_DATABASE_URL],
];

/**
 * Opens a fresh database of one engine before the suite's tests, migrates it, hands it and the
 * stores on it to `ready`, and drops it after the suite; does nothing on a skipped engine.
 */
export function useMigratedStores(
  open: StoreEngine[1],
  skip: boolean,
  ready: (database: TestDatabase, stores: Stores) => void,
): void {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    if (skip) return;
    database = await open();
    await migrate(database.db);
    ready(database, storesOn(database.db));
  });
  afterAll(async () => {
    if (!skip) await database?.drop();
  });
}
