import type { ZaloOutboxMessage, ZaloStore } from '../../bot/stores.ts';
import type { SqlClient } from './sql-client.ts';

interface OutboxRow {
  id: string;
  user_id: string;
  body: string;
  attempts: number | string;
  created_at: number | string;
}

/** The oldest waiting message of each user, oldest first (index zalo_outbox_pending, then zalo_outbox_user). */
const NEXT_TO_SEND =
  "SELECT id, user_id, body, attempts, created_at FROM zalo_outbox o WHERE o.status = 'pending' AND o.next_at <= $1 " +
  "AND NOT EXISTS (SELECT 1 FROM zalo_outbox e WHERE e.user_id = o.user_id AND e.status = 'pending' AND (e.created_at < o.created_at OR (e.created_at = o.created_at AND e.seq < o.seq))) " +
  'ORDER BY o.created_at, o.seq LIMIT $2';

/**
 * A message known by Zalo's id is ours however often it is asked; a text fingerprint stands for
 * one echo only (the same text twice is two messages), so an officer who types what the bot
 * just sent is told apart from the second echo.
 */
const CLAIM_ECHO =
  'UPDATE zalo_outbox SET echoed = 1 WHERE id IN (SELECT id FROM zalo_outbox WHERE user_id = $1 AND created_at >= $4 ' +
  'AND (message_id = $2 OR (text_hash = $3 AND echoed = 0)) ORDER BY CASE WHEN message_id = $2 THEN 0 ELSE 1 END, created_at, seq LIMIT 1)';

/**
 * The Zalo inbox, outbox and interaction times on SQL. Queue times come from a clock that never
 * goes back within the process, so a user's replies keep their order even within a millisecond.
 */
export class SqlZaloStore implements ZaloStore {
  private lastQueued = 0;

  constructor(private readonly db: SqlClient) {}

  async accept(
    entry: { key: string; userId: string; event: unknown; eventAt: Date; interactionAt?: Date; claimUntil: Date },
    now: Date,
  ): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const inserted = await tx.execute(
        'INSERT INTO zalo_inbox (key, user_id, event, event_at, received_at, claimed_until, done_at) VALUES ($1, $2, $3, $4, $5, $6, NULL) ON CONFLICT (key) DO NOTHING',
        [
          entry.key,
          entry.userId,
          JSON.stringify(entry.event),
          entry.eventAt.getTime(),
          now.getTime(),
          entry.claimUntil.getTime(),
        ],
      );
      if (inserted === 1 && entry.interactionAt) {
        await tx.execute(
          'INSERT INTO zalo_interactions (user_id, last_at) VALUES ($1, $2) ON CONFLICT (user_id) DO UPDATE SET last_at = CASE WHEN excluded.last_at > zalo_interactions.last_at THEN excluded.last_at ELSE zalo_interactions.last_at END',
          [entry.userId, entry.interactionAt.getTime()],
        );
      }
      return inserted === 1;
    });
  }

  async takeUnfinished(
    now: Date,
    until: Date,
    all = false,
  ): Promise<{ key: string; userId: string; event: unknown }[]> {
    const rows = await this.db.query<{ key: string; user_id: string; event: string }>(
      `SELECT key, user_id, event FROM zalo_inbox WHERE done_at IS NULL ${all ? '' : 'AND claimed_until <= $1'} ORDER BY event_at, received_at, key`,
      all ? [] : [now.getTime()],
    );
    const taken: { key: string; userId: string; event: unknown }[] = [];
    for (const r of rows) {
      // Another instance sweeping at the same moment takes each event at most once between them.
      const changed = all
        ? await this.db.execute('UPDATE zalo_inbox SET claimed_until = $2 WHERE key = $1 AND done_at IS NULL', [
            r.key,
            until.getTime(),
          ])
        : await this.db.execute(
            'UPDATE zalo_inbox SET claimed_until = $2 WHERE key = $1 AND done_at IS NULL AND claimed_until <= $3',
            [r.key, until.getTime(), now.getTime()],
          );
      if (changed === 1) taken.push({ key: r.key, userId: r.user_id, event: JSON.parse(r.event) as unknown });
    }
    return taken;
  }

  async renewClaims(keys: readonly string[], until: Date): Promise<void> {
    for (let i = 0; i < keys.length; i += 500) {
      const chunk = keys.slice(i, i + 500);
      await this.db.execute(
        `UPDATE zalo_inbox SET claimed_until = $1 WHERE done_at IS NULL AND key IN (${chunk.map((_, j) => `$${j + 2}`).join(', ')})`,
        [until.getTime(), ...chunk],
      );
    }
  }

  async finish(
    key: string,
    messages: { userId: string; body: Record<string, unknown>; textHash: string | null }[],
    now: Date,
  ): Promise<void> {
    const queuedAt = Math.max(now.getTime(), this.lastQueued + 1);
    this.lastQueued = queuedAt;
    await this.db.transaction(async (tx) => {
      for (const [seq, m] of messages.entries()) {
        await tx.execute(
          "INSERT INTO zalo_outbox (id, user_id, body, text_hash, created_at, seq, status, attempts, next_at, message_id, echoed, finished_at, error) VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $5, NULL, 0, NULL, NULL) ON CONFLICT (id) DO NOTHING",
          [`${key}#${seq}`, m.userId, JSON.stringify(m.body), m.textHash, queuedAt, seq],
        );
      }
      // The event's content is no longer needed once its replies are queued; its key stays to
      // recognise Zalo's redeliveries.
      await tx.execute("UPDATE zalo_inbox SET done_at = $2, event = '{}' WHERE key = $1 AND done_at IS NULL", [
        key,
        now.getTime(),
      ]);
    });
  }

  async nextToSend(now: Date, limit: number): Promise<ZaloOutboxMessage[]> {
    const rows = await this.db.query<OutboxRow>(NEXT_TO_SEND, [now.getTime(), limit]);
    return rows.map((r) => ({
      id: r.id,
      userId: r.user_id,
      body: JSON.parse(r.body) as Record<string, unknown>,
      attempts: Number(r.attempts),
      createdAt: new Date(Number(r.created_at)),
    }));
  }

  async claim(id: string, now: Date, until: Date): Promise<boolean> {
    return (
      (await this.db.execute(
        "UPDATE zalo_outbox SET next_at = $3 WHERE id = $1 AND status = 'pending' AND next_at <= $2",
        [id, now.getTime(), until.getTime()],
      )) === 1
    );
  }

  releaseClaims(now: Date): Promise<number> {
    return this.db.execute("UPDATE zalo_outbox SET next_at = $1 WHERE status = 'pending' AND next_at > $1", [
      now.getTime(),
    ]);
  }

  async markSent(id: string, messageId: string | null, now: Date): Promise<void> {
    // The text may name the user (a registration's summary): only its fingerprint stays.
    await this.db.execute(
      "UPDATE zalo_outbox SET status = 'sent', message_id = $2, finished_at = $3, body = '{}', attempts = attempts + 1 WHERE id = $1",
      [id, messageId, now.getTime()],
    );
  }

  async markFailed(id: string, reason: string, now: Date): Promise<void> {
    await this.db.execute(
      "UPDATE zalo_outbox SET status = 'failed', error = $2, finished_at = $3, body = '{}', attempts = attempts + 1 WHERE id = $1",
      [id, reason, now.getTime()],
    );
  }

  async retryLater(id: string, at: Date): Promise<void> {
    await this.db.execute('UPDATE zalo_outbox SET next_at = $2, attempts = attempts + 1 WHERE id = $1', [
      id,
      at.getTime(),
    ]);
  }

  async claimEcho(userId: string, messageId: string, textHash: string | null, since: Date): Promise<boolean> {
    return (await this.db.execute(CLAIM_ECHO, [userId, messageId, textHash, since.getTime()])) > 0;
  }

  async lastInteraction(userId: string): Promise<Date | undefined> {
    const [row] = await this.db.query<{ last_at: number | string }>(
      'SELECT last_at FROM zalo_interactions WHERE user_id = $1',
      [userId],
    );
    return row ? new Date(Number(row.last_at)) : undefined;
  }

  async pendingCount(): Promise<number> {
    const [row] = await this.db.query<{ n: number | string }>(
      "SELECT COUNT(*) AS n FROM zalo_outbox WHERE status = 'pending'",
    );
    return Number(row?.n ?? 0);
  }

  async forgetUser(userId: string): Promise<number> {
    return this.db.transaction((tx) => forgetZaloUser(tx, userId));
  }

  async purge(before: Date, interactionsBefore?: Date): Promise<number> {
    const inbox = await this.db.execute('DELETE FROM zalo_inbox WHERE done_at IS NOT NULL AND received_at < $1', [
      before.getTime(),
    ]);
    const outbox = await this.db.execute("DELETE FROM zalo_outbox WHERE status <> 'pending' AND created_at < $1", [
      before.getTime(),
    ]);
    const seen = interactionsBefore
      ? await this.db.execute('DELETE FROM zalo_interactions WHERE last_at < $1', [interactionsBefore.getTime()])
      : 0;
    return inbox + outbox + seen;
  }
}

/**
 * Deletes what the Zalo inbox and outbox keep of a user (done events, finished messages, the last
 * interaction); what is still to be answered or sent stays until it is. Runs in `tx`. A done
 * event keeps its key, emptied of the user and the message, until the purge: Zalo redelivers
 * for a while, and a redelivery after the erasure must not be answered again (and rebuild a draft).
 */
export async function forgetZaloUser(tx: SqlClient, userId: string): Promise<number> {
  const inbox = await tx.execute(
    "UPDATE zalo_inbox SET user_id = '', event = '{}' WHERE user_id = $1 AND done_at IS NOT NULL",
    [userId],
  );
  // Sent messages, and the proactive news not yet sent (nobody waits for it any more); a reply
  // still waiting answers what the user asked, and goes.
  const outbox = await tx.execute(
    "DELETE FROM zalo_outbox WHERE user_id = $1 AND (status <> 'pending' OR id LIKE 'deadline-news:%')",
    [userId],
  );
  const seen = await tx.execute('DELETE FROM zalo_interactions WHERE user_id = $1', [userId]);
  return inbox + outbox + seen;
}
