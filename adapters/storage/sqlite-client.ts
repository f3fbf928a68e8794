import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { KeyedMutex, type SqlClient } from './sql-client.ts';

/** Rewrites $1-style placeholders to SQLite's positional ones, reordering the parameters. */
export function toSqlite(sql: string, params: readonly unknown[]): { sql: string; params: unknown[] } {
  const ordered: unknown[] = [];
  const text = sql.replace(/\$(\d+)/g, (_m, n: string) => {
    ordered.push(params[Number(n) - 1]);
    return '?';
  });
  return { sql: text, params: ordered.map((p) => (typeof p === 'boolean' ? Number(p) : p)) };
}

/**
 * SQLite through better-sqlite3, in WAL mode. One connection: every operation and transaction
 * is queued so an await inside a transaction never lets another statement slip into it.
 */
export class SqliteClient implements SqlClient {
  readonly dialect = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly queue = new KeyedMutex();

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
  }

  query<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.queue.run('db', async () => this.rawQuery<T>(sql, params));
  }

  execute(sql: string, params: readonly unknown[] = []): Promise<number> {
    return this.queue.run('db', async () => this.rawExecute(sql, params));
  }

  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
    return this.queue.run('db', () => this.inTransaction(fn));
  }

  async exclusive<T>(_name: string, fn: (tx: SqlClient) => Promise<T>): Promise<T | undefined> {
    // BEGIN IMMEDIATE takes SQLite's single write lock, which already excludes other processes.
    return this.transaction(fn);
  }

  async close(): Promise<void> {
    await this.queue.run('db', async () => this.db.close());
  }

  private rawQuery<T>(sql: string, params: readonly unknown[]): T[] {
    const q = toSqlite(sql, params);
    return this.db.prepare(q.sql).all(...q.params) as T[];
  }

  private rawExecute(sql: string, params: readonly unknown[]): number {
    const q = toSqlite(sql, params);
    const statement = this.db.prepare(q.sql);
    if (statement.reader) {
      statement.all(...q.params);
      return 0;
    }
    return statement.run(...q.params).changes;
  }

  private async inTransaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
    this.db.exec('BEGIN IMMEDIATE');
    const tx: SqlClient = {
      dialect: 'sqlite',
      query: async (sql, params = []) => this.rawQuery(sql, params),
      execute: async (sql, params = []) => this.rawExecute(sql, params),
      transaction: (inner) => inner(tx),
      exclusive: (_name, inner) => inner(tx),
      close: async () => {
        throw new Error('cannot close the database from inside a transaction');
      },
    };
    try {
      const result = await fn(tx);
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }
}
