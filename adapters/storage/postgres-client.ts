import pg from 'pg';
import { lockKey, type SqlClient } from './sql-client.ts';

type Queryable = pg.Pool | pg.PoolClient;

/**
 * A SqlClient over a pool or one checked-out connection. `onLost` hears of a query that failed
 * without the server's word (no answer in time, a dropped connection): that connection is no
 * longer fit to use.
 */
function clientOf(db: Queryable, inTransaction: boolean, onLost?: (error: Error) => void): SqlClient {
  const run = async <T extends pg.QueryResultRow>(sql: string, params: readonly unknown[]) => {
    try {
      return await db.query<T>(sql, params as unknown[]);
    } catch (error) {
      if (!(error instanceof pg.DatabaseError)) onLost?.(error as Error);
      throw error;
    }
  };
  const self: SqlClient = {
    dialect: 'postgres',
    query: async <T>(sql: string, params: readonly unknown[] = []) => (await run(sql, params)).rows as T[],
    execute: async (sql, params = []) => (await run(sql, params)).rowCount ?? 0,
    transaction: (fn) => (inTransaction ? fn(self) : Promise.reject(new Error('cannot nest a transaction'))),
    exclusive: async (name, fn, options) => {
      if (options?.wait === false) {
        const { rows } = await run<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [lockKey(name)]);
        return rows[0]?.ok ? fn(self) : undefined;
      }
      await run('SELECT pg_advisory_xact_lock($1)', [lockKey(name)]);
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
/**
 * How much longer than the server's own timeout the client waits for an answer before it gives
 * up on the connection: the server cancels first whenever it can answer at all.
 */
export const RESPONSE_GRACE_MS = 5_000;

/** PostgreSQL through a pg pool. */
export class PostgresClient implements SqlClient {
  readonly dialect = 'postgres' as const;
  readonly pool: pg.Pool;
  // Turn locks hold a connection for a whole turn; they get their own pool so that waiting
  // turns can never take every connection the turns in progress need for their queries.
  private readonly lockPool: pg.Pool;
  /** Single statements on the pool (pg-pool closes a connection that failed one). */
  private readonly onPool: SqlClient;

  constructor(
    connectionString: string,
    options: {
      max?: number;
      maxLocks?: number;
      statementTimeoutMs?: number;
      lockWaitTimeoutMs?: number;
      responseGraceMs?: number;
    } = {},
  ) {
    // The server cancels a statement that runs too long, so a stuck query or lock cannot hold a
    // turn for ever. A cancelled pg_advisory_lock has not taken the lock, so nothing is left held.
    // A server that does not answer at all (a network partition, a hung host) is given up on by
    // the client a grace period later (query_timeout), and that connection is thrown away rather
    // than handed to the next turn; TCP alone would wait for many minutes. Keep-alive probes find
    // idle connections that died the same way.
    const statementTimeout = options.statementTimeoutMs ?? STATEMENT_TIMEOUT_MS;
    const lockWaitTimeout = options.lockWaitTimeoutMs ?? LOCK_WAIT_TIMEOUT_MS;
    const grace = options.responseGraceMs ?? RESPONSE_GRACE_MS;
    const common = { connectionString, keepAlive: true, keepAliveInitialDelayMillis: 10_000 };
    this.pool = new pg.Pool({
      ...common,
      max: options.max ?? 10,
      connectionTimeoutMillis: 5000,
      statement_timeout: statementTimeout,
      query_timeout: statementTimeout + grace,
    });
    this.lockPool = new pg.Pool({
      ...common,
      max: options.maxLocks ?? 20,
      connectionTimeoutMillis: 30_000,
      statement_timeout: lockWaitTimeout,
      query_timeout: lockWaitTimeout + grace,
    });
    // An idle client that loses its connection must not crash the process; the pool replaces it.
    this.pool.on('error', () => undefined);
    this.lockPool.on('error', () => undefined);
    this.onPool = clientOf(this.pool, false);
  }

  query<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.onPool.query<T>(sql, params);
  }

  execute(sql: string, params: readonly unknown[] = []): Promise<number> {
    return this.onPool.execute(sql, params);
  }

  async transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A connection that stopped answering is closed (which ends its transaction on the server)
    // instead of being rolled back and returned to the pool.
    let lost: Error | undefined;
    const tx = clientOf(client, true, (error) => (lost ??= error));
    try {
      await tx.execute('BEGIN');
      const result = await fn(tx);
      await tx.execute('COMMIT');
      return result;
    } catch (error) {
      if (!lost) await tx.execute('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release(lost);
    }
  }

  async exclusive<T>(
    name: string,
    fn: (tx: SqlClient) => Promise<T>,
    options?: { wait?: boolean },
  ): Promise<T | undefined> {
    return this.transaction((tx) => tx.exclusive(name, fn, options));
  }

  /** Holds a session-level advisory lock on a dedicated connection while `fn` runs. */
  async withSessionLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const client = await this.lockPool.connect();
    const key = lockKey(name);
    // A lock connection that stopped answering is closed, which frees whatever it held once the
    // server sees it go.
    let lost: Error | undefined;
    const session = clientOf(client, false, (error) => (lost ??= error));
    try {
      await session.execute('SELECT pg_advisory_lock($1)', [key]);
      try {
        return await fn();
      } finally {
        await session.execute('SELECT pg_advisory_unlock($1)', [key]);
      }
    } finally {
      client.release(lost);
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.pool.end(), this.lockPool.end()]);
  }
}
