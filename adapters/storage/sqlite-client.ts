import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { KeyedMutex, type SqlClient } from './sql-client.ts';

/** Whether this process may write `file`. */
function writable(file: string): boolean {
  try {
    accessSync(file, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** An error that names the database's files that this process cannot write, keeping the driver's code. */
function explainFailure(path: string, error: unknown, doing: string): Error {
  const files = path === ':memory:' ? [] : [path, `${path}-wal`, `${path}-shm`];
  const blocked = files.filter((f) => existsSync(f) && !writable(f));
  const hint =
    blocked.length > 0
      ? `${blocked.join(' and ')} cannot be written by this process`
      : `this process must be able to read and write ${files.join(', ')} and create files in ${dirname(path)}`;
  const explained = new Error(
    `cannot ${doing} the SQLite database ${path} because ${error instanceof Error ? error.message : String(error)}: ${hint}`,
    { cause: error },
  );
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? Object.assign(explained, { code }) : explained;
}

/**
 * SQLite through better-sqlite3, in WAL mode. One connection: every operation and transaction
 * is queued so an await inside a transaction never lets another statement slip into it.
 */
export class SqliteClient implements SqlClient {
  readonly dialect = 'sqlite' as const;
  private db: Database.Database;
  private readonly queue = new KeyedMutex();
  // Preparing a statement costs more than running it; the few statements the stores use are kept.
  private readonly statements = new Map<string, { statement: Database.Statement; order: number[] }>();

  constructor(private readonly path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = SqliteClient.open(path);
  }

  private static open(path: string): Database.Database {
    let db: Database.Database | undefined;
    try {
      db = new Database(path);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
      db.pragma('foreign_keys = ON');
      // Deleted rows are overwritten with zeros instead of lingering in free pages, so a user's
      // erased data cannot be read back from the file.
      db.pragma('secure_delete = ON');
      return db;
    } catch (error) {
      db?.close();
      throw explainFailure(path, error, 'open');
    }
  }

  /**
   * The error of a write that failed, naming the files at fault: SQLite's own message ("attempt
   * to write a readonly database") names none, and the one at fault is often a companion file
   * (-wal, -shm) left read-only by another run.
   */
  explain(error: unknown): Error {
    return explainFailure(this.path, error, 'write to');
  }

  /**
   * After a write failed because the database was read-only (its files or disk made read-only),
   * opens the database again: SQLite keeps a connection read-only once it was, and shares that
   * state with every connection of the process to the same file, so the old one is closed before
   * the new one opens. Without this the server would stay unready until restarted. Resolves
   * whether it reopened (and the write may be tried again); throws when it cannot open yet.
   */
  reopenIfReadOnly(error: unknown): Promise<boolean> {
    const code = (error as { code?: unknown } | null)?.code;
    const readOnly = typeof code === 'string' && /^SQLITE_(READONLY|CANTOPEN|IOERR)/.test(code);
    return this.queue.run('db', async () => {
      // A connection closed by an earlier try that could not open the next one: open it now.
      if (!readOnly && this.db.open) return false;
      this.statements.clear();
      if (this.db.open) this.db.close();
      this.db = SqliteClient.open(this.path);
      return true;
    });
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
    return {
      statement: entry.statement,
      args: entry.order.map((i) => (typeof params[i] === 'boolean' ? Number(params[i]) : params[i])),
    };
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
