import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { KeyedMutex, type SqlClient } from './sql-client.ts';

/**
 * SQLite through better-sqlite3, in WAL mode. One connection: every operation and transaction
 * is queued so an await inside a transaction never lets another statement slip into it.
 */
export class SqliteClient implements SqlClient {
  readonly dialect = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly queue = new KeyedMutex();
  // Preparing a statement costs more than running it; the few statements the stores use are kept.
  private readonly statements = new Map<string, { statement: Database.Statement; order: number[] }>();

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    // Deleted rows are overwritten with zeros instead of lingering in free pages, so a user's
    // erased data cannot be read back from the file.
    this.db.pragma('secure_delete = ON');
  }

  /**
   * Copies the write-ahead log into the database and empties it: the log still holds earlier
   * versions of pages (with data since deleted) until then.
   */
  checkpoint(): Promise<void> {
    return this.queue.run('db', async () => void this.db.pragma('wal_checkpoint(TRUNCATE)'));
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

  private prepared(sql: string, params: readonly unknown[]): { statement: Database.Statement; args: unknown[] } {
    let entry = this.statements.get(sql);
    if (!entry) {
      const order: number[] = [];
      const text = sql.replace(/\$(\d+)/g, (_m, n: string) => {
        order.push(Number(n) - 1);
        return '?';
      });
      entry = { statement: this.db.prepare(text), order };
      // Statements built from a variable list of keys (IN (...)) are not worth keeping forever.
      if (this.statements.size < 500) this.statements.set(sql, entry);
    }
    return { statement: entry.statement, args: entry.order.map((i) => (typeof params[i] === 'boolean' ? Number(params[i]) : params[i])) };
  }

  private rawQuery<T>(sql: string, params: readonly unknown[]): T[] {
    const { statement, args } = this.prepared(sql, params);
    return statement.all(...args) as T[];
  }

  private rawExecute(sql: string, params: readonly unknown[]): number {
    const { statement, args } = this.prepared(sql, params);
    if (statement.reader) {
      statement.all(...args);
      return 0;
    }
    return statement.run(...args).changes;
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
