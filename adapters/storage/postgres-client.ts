import pg from 'pg';
import { lockKey, type SqlClient } from './sql-client.ts';

type Queryable = pg.Pool | pg.PoolClient;

function clientOf(db: Queryable, inTransaction: boolean): SqlClient {
  const self: SqlClient = {
    dialect: 'postgres',
    query: async <T>(sql: string, params: readonly unknown[] = []) => (await db.query(sql, params as unknown[])).rows as T[],
    execute: async (sql, params = []) => (await db.query(sql, params as unknown[])).rowCount ?? 0,
    transaction: (fn) => (inTransaction ? fn(self) : Promise.reject(new Error('cannot nest a transaction'))),
    exclusive: async (name, fn, options) => {
      if (options?.wait === false) {
        const { rows } = await db.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [lockKey(name)]);
        return rows[0]?.ok ? fn(self) : undefined;
      }
      await db.query('SELECT pg_advisory_xact_lock($1)', [lockKey(name)]);
      return fn(self);
    },
    close: async () => {
      throw new Error('cannot close the pool from inside a transaction');
    },
  };
  return self;
}

/** The longest a statement may run (migrations and retention included) before the server cancels it. */
export const STATEMENT_TIMEOUT_MS = 30_000;
/** The longest a turn waits for its conversation's lock (a turn ahead of it holds it) before it fails. */
export const LOCK_WAIT_TIMEOUT_MS = 60_000;

/** PostgreSQL through a pg pool. */
export class PostgresClient implements SqlClient {
  readonly dialect = 'postgres' as const;
  readonly pool: pg.Pool;
  // Turn locks hold a connection for a whole turn; they get their own pool so that waiting
  // turns can never take every connection the turns in progress need for their queries.
  private readonly lockPool: pg.Pool;

  constructor(connectionString: string, options: { max?: number; maxLocks?: number; statementTimeoutMs?: number; lockWaitTimeoutMs?: number } = {}) {
    // The server cancels a statement that runs too long, so a stuck query or lock cannot hold a
    // turn for ever. A cancelled pg_advisory_lock has not taken the lock, so nothing is left held.
    this.pool = new pg.Pool({ connectionString, max: options.max ?? 10, connectionTimeoutMillis: 5000, statement_timeout: options.statementTimeoutMs ?? STATEMENT_TIMEOUT_MS });
    this.lockPool = new pg.Pool({ connectionString, max: options.maxLocks ?? 20, connectionTimeoutMillis: 30_000, statement_timeout: options.lockWaitTimeoutMs ?? LOCK_WAIT_TIMEOUT_MS });
    // An idle client that loses its connection must not crash the process; the pool replaces it.
    this.pool.on('error', () => undefined);
    this.lockPool.on('error', () => undefined);
  }

  query<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return clientOf(this.pool, false).query<T>(sql, params);
  }

  execute(sql: string, params: readonly unknown[] = []): Promise<number> {
    return clientOf(this.pool, false).execute(sql, params);
  }

  async transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(clientOf(client, true));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async exclusive<T>(name: string, fn: (tx: SqlClient) => Promise<T>, options?: { wait?: boolean }): Promise<T | undefined> {
    return this.transaction((tx) => tx.exclusive(name, fn, options));
  }

  /** Holds a session-level advisory lock on a dedicated connection while `fn` runs. */
  async withSessionLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const client = await this.lockPool.connect();
    const key = lockKey(name);
    try {
      await client.query('SELECT pg_advisory_lock($1)', [key]);
      try {
        return await fn();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [key]);
      }
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.pool.end(), this.lockPool.end()]);
  }
}
