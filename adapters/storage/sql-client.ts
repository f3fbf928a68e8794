import { createHash } from 'node:crypto';

/**
 * The little SQL both engines share. Statements use PostgreSQL's $1, $2 placeholders; the
 * SQLite client rewrites them. Times are stored as epoch milliseconds (BIGINT) and documents as
 * JSON text, so one set of statements serves both engines.
 */
export interface SqlClient {
  readonly dialect: 'sqlite' | 'postgres';
  /** Rows of a query. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Rows affected by a statement. */
  execute(sql: string, params?: readonly unknown[]): Promise<number>;
  /** Runs `fn` in one transaction; rolls back if it throws. */
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` in a transaction that holds a database-wide lock named `name` (PostgreSQL advisory
   * lock; SQLite's write lock). With `wait: false`, returns undefined when another holds it.
   */
  exclusive<T>(name: string, fn: (tx: SqlClient) => Promise<T>, options?: { wait?: boolean }): Promise<T | undefined>;
  close(): Promise<void>;
}

/** A stable signed 64-bit key for a lock name, as PostgreSQL's advisory locks want. */
export function lockKey(name: string): string {
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}

/** A queue that runs async work one piece at a time, per key. */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `fn` after every earlier call with the same key has settled. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(fn, fn);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
