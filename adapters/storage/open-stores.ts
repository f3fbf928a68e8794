import { join } from 'node:path';
import type { Storage } from 'botbuilder';
import type { Stores } from '../../bot/stores.ts';
import { migrate } from './migrations.ts';
import { PostgresClient } from './postgres-client.ts';
import { KeyedMutex, type SqlClient } from './sql-client.ts';
import { SqliteClient } from './sqlite-client.ts';
import {
  SqlAuditLog,
  SqlConversationOwnerStore,
  SqlConversationReferenceStore,
  SqlDeadlineWatchStore,
  SqlDeliveryKeyStore,
  SqlPersonalDataStore,
  SqlRegistrationStore,
  SqlRememberedOfficerStore,
  SqlUnansweredStore,
} from './sql-records.ts';
import { SqlContentStore } from './sql-content.ts';
import { SqlRegistrationWorkStore } from './sql-registration-work.ts';
import { SqlBotStateStore, SqlStorage } from './sql-storage.ts';
import { SqlZaloStore } from './sql-zalo.ts';

/** Where the data lives: PostgreSQL when a URL is given, otherwise SQLite under the data folder. */
export interface DatabaseOptions {
  databaseUrl?: string;
  dataDir: string;
}

/** The bot state storage and the record stores of one database, migrated and ready. */
export interface OpenedStores {
  storage: Storage;
  stores: Stores;
  db: SqlClient;
}

/** The SQLite file used when no DATABASE_URL is set. */
export function sqlitePath(dataDir: string): string {
  return join(dataDir, 'khuyencong.db');
}

/** Opens the configured database and runs pending migrations. */
export async function openStores(options: DatabaseOptions): Promise<OpenedStores> {
  const db: SqlClient = options.databaseUrl
    ? new PostgresClient(options.databaseUrl)
    : new SqliteClient(sqlitePath(options.dataDir));
  try {
    await migrate(db);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw db instanceof SqliteClient ? db.explain(error) : error;
  }
  return { db, storage: new SqlStorage(db), stores: storesOn(db) };
}

/** SQLite serves one instance, so a job only has to exclude itself within the process. */
function localJobLock(): Stores['jobLock'] {
  const running = new Set<string>();
  return {
    async tryRun(name, fn) {
      if (running.has(name)) return undefined;
      running.add(name);
      try {
        return await fn();
      } finally {
        running.delete(name);
      }
    },
  };
}

/** The record stores over an open, migrated database. */
export function storesOn(db: SqlClient): Stores {
  // SQLite keeps earlier versions of pages in its write-ahead log until a checkpoint empties it;
  // PostgreSQL's are reclaimed by VACUUM, which autovacuum runs.
  const scrub = db instanceof SqliteClient ? () => db.checkpoint() : async () => undefined;
  const local = new KeyedMutex();
  // A process serialises a conversation's turns itself; PostgreSQL also locks across instances.
  const turnLock =
    db instanceof PostgresClient
      ? {
          withLock: <T>(key: string, fn: () => Promise<T>) =>
            local.run(key, () => db.withSessionLock(`turn:${key}`, fn)),
        }
      : { withLock: <T>(key: string, fn: () => Promise<T>) => local.run(key, fn) };
  return {
    engine: db.dialect,
    registrations: new SqlRegistrationStore(db, scrub),
    work: new SqlRegistrationWorkStore(db),
    deliveryKeys: new SqlDeliveryKeyStore(db),
    zalo: new SqlZaloStore(db),
    references: new SqlConversationReferenceStore(db),
    deadlineWatches: new SqlDeadlineWatchStore(db),
    unanswered: new SqlUnansweredStore(db),
    content: new SqlContentStore(db),
    audit: new SqlAuditLog(db),
    botState: new SqlBotStateStore(db),
    conversations: new SqlConversationOwnerStore(db),
    personalData: new SqlPersonalDataStore(db, scrub),
    officers: new SqlRememberedOfficerStore(db),
    scrub,
    turnLock,
    jobLock:
      db instanceof PostgresClient
        ? { tryRun: (name, fn) => db.exclusive(`job:${name}`, () => fn(), { wait: false }) }
        : localJobLock(),
    ping: async () => {
      // A real, committed write: a database that only reads (a read-only disk or file, a full
      // disk, a read-only replica) is not ready to serve turns, which all write.
      const probe = () =>
        db.execute(
          "INSERT INTO counters (name, value) VALUES ('store_probe', $1) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
          [Date.now()],
        );
      try {
        await probe();
      } catch (error) {
        if (!(db instanceof SqliteClient)) throw error;
        // SQLite keeps a connection read-only once the file was: reopen it, so the store is
        // ready again as soon as the files are writable, without a restart.
        try {
          if (!(await db.reopenIfReadOnly(error))) throw error;
          await probe();
        } catch (again) {
          throw db.explain(again);
        }
      }
      return true;
    },
    close: () => db.close(),
  };
}
