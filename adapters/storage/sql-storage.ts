import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import { EtagConflictError, type BotStateStore } from '../../bot/stores.ts';
import type { SqlClient } from './sql-client.ts';

export { EtagConflictError };

const UPSERT =
  'INSERT INTO bot_state (key, etag, doc, updated_at) VALUES ($1, $2, $3, $4) ' +
  'ON CONFLICT (key) DO UPDATE SET etag = excluded.etag, doc = excluded.doc, updated_at = excluded.updated_at';

/** Writes one document under the eTag contract. */
async function writeOne(db: SqlClient, key: string, item: unknown, now: number): Promise<void> {
  const { eTag, ...doc } = (item ?? {}) as { eTag?: string };
  const params = [key, randomUUID(), JSON.stringify(doc), now];
  if (eTag === undefined || eTag === '*' || eTag === '') {
    await db.execute(UPSERT, params);
    return;
  }
  // A document that does not exist yet is written whatever eTag came with it, as in botbuilder's
  // MemoryStorage; an existing one only when the eTag still matches.
  const changed = await db.execute(`${UPSERT} WHERE bot_state.etag = $5`, [...params, eTag]);
  if (changed === 0) throw new EtagConflictError(key);
}

/**
 * botbuilder's Storage on SQLite or PostgreSQL with the eTag contract: no eTag or "*" writes
 * unconditionally, a matching eTag writes, a stale eTag is refused. A write of several keys is
 * one transaction, so a refused key leaves the others unwritten too.
 */
export class SqlStorage implements Storage {
  constructor(private readonly db: SqlClient) {}

  async read(keys: string[]): Promise<StoreItems> {
    if (keys.length === 0) return {};
    const placeholders = keys.map((_, i) => `$${i + 1}`).join(', ');
    const rows = await this.db.query<{ key: string; etag: string; doc: string }>(
      `SELECT key, etag, doc FROM bot_state WHERE key IN (${placeholders})`,
      keys,
    );
    const items: StoreItems = {};
    for (const row of rows) items[row.key] = { ...(JSON.parse(row.doc) as object), eTag: row.etag };
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const entries = Object.entries(changes);
    if (entries.length === 0) return;
    const now = Date.now();
    // One key (every turn's save) is one statement, atomic by itself; several share a transaction.
    if (entries.length === 1) return writeOne(this.db, entries[0][0], entries[0][1], now);
    await this.db.transaction(async (tx) => {
      for (const [key, item] of entries) await writeOne(tx, key, item, now);
    });
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    const placeholders = keys.map((_, i) => `$${i + 1}`).join(', ');
    await this.db.execute(`DELETE FROM bot_state WHERE key IN (${placeholders})`, keys);
  }
}

/**
 * Retention of the bot state on SQL: what names a user only — conversation state, under botbuilder
 * ConversationState's keys (`<channel>/conversations/<id>/...`), and the Zalo adapter's officer
 * pauses (`zalo/pause/<user id>`); other documents (the Zalo tokens) stay.
 */
export class SqlBotStateStore implements BotStateStore {
  constructor(private readonly db: SqlClient) {}

  purgeUserState(before: Date): Promise<number> {
    return this.db.execute(
      "DELETE FROM bot_state WHERE updated_at < $1 AND (key LIKE '%/conversations/%' OR key LIKE 'zalo/pause/%')",
      [before.getTime()],
    );
  }
}
