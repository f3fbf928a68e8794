import type { SqlClient } from './sql-client.ts';
import { searchColumns } from './search-columns.ts';

/** One schema change. Statements must run on both SQLite and PostgreSQL. */
export interface Migration {
  version: number;
  name: string;
  statements: string[];
  /** Data the statements cannot compute alike on both engines, filled in code, in the same transaction. */
  backfill?: (tx: SqlClient) => Promise<void>;
}

/** The schema, in order. Never edit a released migration: add a new one. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'bot state and records',
    statements: [
      `CREATE TABLE bot_state (key TEXT PRIMARY KEY, etag TEXT NOT NULL, doc TEXT NOT NULL, updated_at BIGINT NOT NULL)`,
      `CREATE TABLE registrations (
        id TEXT PRIMARY KEY, code TEXT UNIQUE, user_key TEXT NOT NULL, channel TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('draft', 'submitted')), schema_version INTEGER NOT NULL,
        data TEXT NOT NULL, province TEXT, support_area TEXT,
        created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, submitted_at BIGINT)`,
      `CREATE INDEX registrations_user ON registrations (user_key, status)`,
      `CREATE INDEX registrations_status_updated ON registrations (status, updated_at)`,
      `CREATE TABLE delivery_keys (key TEXT PRIMARY KEY, seen_at BIGINT NOT NULL)`,
      `CREATE INDEX delivery_keys_seen ON delivery_keys (seen_at)`,
      `CREATE TABLE conversation_refs (key TEXT PRIMARY KEY, channel TEXT NOT NULL, reference TEXT NOT NULL, updated_at BIGINT NOT NULL)`,
      `CREATE TABLE unanswered_questions (
        id TEXT PRIMARY KEY, text TEXT NOT NULL, normalized TEXT NOT NULL, channel TEXT NOT NULL,
        user_hash TEXT NOT NULL, reason TEXT NOT NULL, created_at BIGINT NOT NULL)`,
      `CREATE INDEX unanswered_created ON unanswered_questions (created_at)`,
      `CREATE TABLE audit_log (id TEXT PRIMARY KEY, action TEXT NOT NULL, actor TEXT NOT NULL, details TEXT NOT NULL, created_at BIGINT NOT NULL)`,
      `CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL)`,
    ],
  },
  {
    version: 2,
    name: 'one open draft per user, found through its own index',
    // A user's open draft is read and written in nearly every registration turn. With only
    // (user_key, status), SQLite's planner took (status, updated_at) to save the sort and walked
    // every draft to find one user's: its cost grew with the number of drafts kept. A unique index
    // on the user's open draft answers the lookup, and lets a draft be saved in one statement
    // (an upsert) that can never leave two. Two could exist before on PostgreSQL, when two saves of
    // one user raced; only the newest was ever read, so the older ones go.
    statements: [
      `DELETE FROM registrations WHERE status = 'draft' AND EXISTS (
        SELECT 1 FROM registrations newer WHERE newer.user_key = registrations.user_key AND newer.status = 'draft'
          AND (newer.updated_at > registrations.updated_at OR (newer.updated_at = registrations.updated_at AND newer.id > registrations.id)))`,
      `CREATE UNIQUE INDEX registrations_open_draft ON registrations (user_key) WHERE status = 'draft'`,
      `DROP INDEX registrations_user`,
    ],
  },
  {
    version: 3,
    name: 'bot state found by age, for retention',
    statements: [`CREATE INDEX bot_state_updated ON bot_state (updated_at)`],
  },
  {
    version: 4,
    name: 'no Zalo conversation references',
    // Earlier releases stored a conversation reference for every Zalo user who wrote, and kept it
    // until they unfollowed. Nothing is ever sent to a Zalo user unprompted, so they served no
    // purpose and only kept user ids; they are no longer written, and those kept go.
    statements: [`DELETE FROM conversation_refs WHERE channel = 'zalo'`],
  },
  {
    version: 5,
    name: 'registrations listed newest first, a page at a time',
    // The officers' tab reads registrations in pages (newest first, then by id); each page
    // continues from the last one's position instead of sorting every row again.
    statements: [`CREATE INDEX registrations_listing ON registrations (created_at DESC, id)`],
  },
  {
    version: 6,
    name: 'registrations of one status listed a page at a time',
    // Under a status filter (the tab's "Đã gửi"), SQLite took the (status, updated_at) index and
    // sorted every registration of that status for each page, so reading them all cost pages ×
    // rows. This one walks them in the listing's order.
    statements: [`CREATE INDEX registrations_status_listing ON registrations (status, created_at DESC, id)`],
  },
  {
    version: 7,
    name: "Zalo inbox, outbox and each user's last interaction",
    // A Zalo delivery is recorded before it is acknowledged and marked done once its turn's
    // replies are queued; the replies wait in the outbox until Zalo has taken them, at the rate the
    // OA's package allows. A user's last interaction decides what the OA may still send them.
    statements: [
      `CREATE TABLE zalo_inbox (key TEXT PRIMARY KEY, user_id TEXT NOT NULL, event TEXT NOT NULL, event_at BIGINT NOT NULL, received_at BIGINT NOT NULL, claimed_until BIGINT NOT NULL, done_at BIGINT)`,
      `CREATE INDEX zalo_inbox_unfinished ON zalo_inbox (event_at, received_at) WHERE done_at IS NULL`,
      `CREATE INDEX zalo_inbox_received ON zalo_inbox (received_at)`,
      `CREATE TABLE zalo_outbox (
        id TEXT PRIMARY KEY, user_id TEXT NOT NULL, body TEXT NOT NULL, text_hash TEXT, created_at BIGINT NOT NULL, seq INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')), attempts INTEGER NOT NULL, next_at BIGINT NOT NULL,
        message_id TEXT, echoed INTEGER NOT NULL, finished_at BIGINT, error TEXT)`,
      `CREATE INDEX zalo_outbox_pending ON zalo_outbox (created_at, seq) WHERE status = 'pending'`,
      `CREATE INDEX zalo_outbox_user ON zalo_outbox (user_id, status, created_at, seq)`,
      `CREATE TABLE zalo_interactions (user_id TEXT PRIMARY KEY, last_at BIGINT NOT NULL)`,
    ],
  },
  {
    version: 8,
    name: 'conversation owners, and unanswered questions found by their user',
    // A web chat conversation belongs to the user who opened it (its ids are the browser's, so
    // another user id must not continue it), and "xóa dữ liệu của tôi" finds every conversation
    // and every unanswered question of the user who asks.
    statements: [
      `CREATE TABLE conversation_owners (channel TEXT NOT NULL, conversation_id TEXT NOT NULL, user_key TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (channel, conversation_id))`,
      `CREATE INDEX conversation_owners_user ON conversation_owners (user_key)`,
      `CREATE INDEX conversation_owners_created ON conversation_owners (created_at)`,
      `CREATE INDEX unanswered_questions_user ON unanswered_questions (user_hash)`,
    ],
  },
  {
    version: 9,
    name: "officers' work: stages, history, corrections, messages to owners, remembered officers",
    // A submitted registration moves through the Sở's stages (received … included / not included),
    // each step, note, correction and message kept in its history; corrections are an overlay,
    // the owner's own answers stay in `data`. Search, duplicate flags and the owner's own
    // registrations are read through columns of their own, filled from `data` when it is written.
    // Officers' messages wait for owners who come back to the web chat; a tab sign-in's groups are
    // remembered for the Teams commands of the same officer, whose messages carry none.
    statements: [
      `ALTER TABLE registrations ADD COLUMN stage TEXT`,
      `ALTER TABLE registrations ADD COLUMN stage_at BIGINT`,
      `ALTER TABLE registrations ADD COLUMN corrections TEXT`,
      `ALTER TABLE registrations ADD COLUMN search_text TEXT`,
      `ALTER TABLE registrations ADD COLUMN tax_code TEXT`,
      `ALTER TABLE registrations ADD COLUMN phone TEXT`,
      // Whether officers may see it (submitted, or a draft whose owner consented): counted without reading `data`.
      `ALTER TABLE registrations ADD COLUMN shown_to_officers INTEGER NOT NULL DEFAULT 0`,
      // Officers' listing newest first and its counts, each walked without the table (search_text
      // is in both, so a search reads the index, not every row).
      `CREATE INDEX registrations_officers_listing ON registrations (shown_to_officers, created_at DESC, id, search_text)`,
      `CREATE INDEX registrations_officers_counts ON registrations (shown_to_officers, province, support_area, search_text)`,
      `CREATE INDEX registrations_province_listing ON registrations (province, created_at DESC, id)`,
      `CREATE INDEX registrations_owner ON registrations (user_key, created_at)`,
      `CREATE INDEX registrations_tax_code ON registrations (tax_code) WHERE tax_code IS NOT NULL`,
      `CREATE INDEX registrations_phone ON registrations (phone) WHERE phone IS NOT NULL`,
      `CREATE TABLE registration_events (
        id TEXT PRIMARY KEY, registration_id TEXT NOT NULL, kind TEXT NOT NULL, actor TEXT NOT NULL, actor_name TEXT,
        details TEXT NOT NULL, created_at BIGINT NOT NULL)`,
      `CREATE INDEX registration_events_of ON registration_events (registration_id, created_at)`,
      `CREATE TABLE owner_messages (
        id TEXT PRIMARY KEY, registration_id TEXT NOT NULL, user_key TEXT NOT NULL, channel TEXT NOT NULL, text TEXT NOT NULL,
        created_at BIGINT NOT NULL, delivered_at BIGINT)`,
      `CREATE INDEX owner_messages_waiting ON owner_messages (user_key, created_at) WHERE delivered_at IS NULL`,
      `CREATE TABLE officer_identities (
        tenant_id TEXT NOT NULL, object_id TEXT NOT NULL, name TEXT, grants TEXT NOT NULL, seen_at BIGINT NOT NULL,
        PRIMARY KEY (tenant_id, object_id))`,
    ],
    backfill: async (tx) => {
      const rows = await tx.query<{ id: string; data: string; status: string; code: string | null }>(
        'SELECT id, data, status, code FROM registrations',
      );
      for (const row of rows) {
        const data = JSON.parse(row.data) as Record<string, unknown>;
        const columns = searchColumns(data, row.code);
        await tx.execute(
          'UPDATE registrations SET search_text = $1, tax_code = $2, phone = $3, shown_to_officers = $4 WHERE id = $5',
          [
            columns.searchText,
            columns.taxCode,
            columns.phone,
            row.status === 'submitted' || data.consent === true ? 1 : 0,
            row.id,
          ],
        );
      }
    },
  },
  {
    version: 10,
    name: 'knowledge content versions and drafts, unanswered questions by province and marked',
    // Curators publish the knowledge content as versions (the newest is live, on every instance);
    // drafts wait beside them until they are checked and published. Content is JSON text.
    statements: [
      `CREATE TABLE content_versions (version INTEGER PRIMARY KEY, content TEXT NOT NULL, author TEXT NOT NULL, note TEXT NOT NULL, restored_from INTEGER, created_at BIGINT NOT NULL)`,
      `CREATE TABLE content_drafts (id TEXT PRIMARY KEY, content TEXT NOT NULL, author TEXT NOT NULL, note TEXT NOT NULL, base_version INTEGER NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)`,
      `CREATE INDEX content_drafts_updated ON content_drafts (updated_at)`,
      // Unanswered questions carry the asker's province where the conversation knew it, and
      // curators mark what they handled or set aside, by the normalised text.
      `ALTER TABLE unanswered_questions ADD COLUMN province TEXT`,
      `CREATE TABLE unanswered_marks (normalized TEXT PRIMARY KEY, status TEXT NOT NULL CHECK (status IN ('handled', 'ignored')), actor TEXT NOT NULL, updated_at BIGINT NOT NULL)`,
    ],
  },
  {
    version: 11,
    name: "curators' marks by province, owners waiting for the next cycle's deadlines",
    statements: [
      // A mark is a province's (its curators') or the administrators' (scope ''): one province's
      // curator no longer closes another province's questions. Earlier marks were everyone's and
      // stay the administrators'.
      `CREATE TABLE unanswered_marks_scoped (normalized TEXT NOT NULL, scope TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('handled', 'ignored')), actor TEXT NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (normalized, scope))`,
      `INSERT INTO unanswered_marks_scoped (normalized, scope, status, actor, updated_at) SELECT normalized, '', status, actor, updated_at FROM unanswered_marks`,
      `DROP TABLE unanswered_marks`,
      `ALTER TABLE unanswered_marks_scoped RENAME TO unanswered_marks`,
      // "Báo cho tôi khi có hạn mới": who asked, and the newest plan year they had then. Told once,
      // proactively where the channel allows it or with their next message.
      `CREATE TABLE deadline_watches (user_key TEXT PRIMARY KEY, plan_year INTEGER NOT NULL, created_at BIGINT NOT NULL)`,
      `CREATE INDEX deadline_watches_plan_year ON deadline_watches (plan_year)`,
    ],
  },
  {
    version: 12,
    name: 'deadline watches remember that the owner was told; marks go with their questions',
    statements: [
      // told_at keeps "told" apart from "never asked" until the row is purged, so whoever tells
      // first (the owner's next message, or a Zalo round) claims the row once.
      `ALTER TABLE deadline_watches ADD COLUMN told_at BIGINT`,
      `DROP INDEX deadline_watches_plan_year`,
      `CREATE INDEX deadline_watches_waiting ON deadline_watches (plan_year) WHERE told_at IS NULL`,
      // Marks whose questions are all gone (retention, erasure) are deleted with them, by text.
      `CREATE INDEX unanswered_questions_normalized ON unanswered_questions (normalized)`,
    ],
  },
];

/**
 * Applies the pending migrations in one transaction under a database-wide lock, so two
 * instances starting together apply each migration once. Safe to run at every start.
 */
export async function migrate(
  db: SqlClient,
  migrations: readonly Migration[] = MIGRATIONS,
  now = Date.now(),
): Promise<number[]> {
  // Up to date: nothing to write, so no write lock is taken (a store that has turned read-only
  // still starts, unready, and says why, instead of failing to start).
  const applied = await db.query<{ version: number }>('SELECT version FROM schema_migrations').catch(() => undefined);
  if (applied && migrations.every((m) => applied.some((r) => Number(r.version) === m.version))) return [];
  const result = await db.exclusive('khuyencong:migrations', async (tx) => {
    await tx.execute(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
    );
    const done = new Set(
      (await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)),
    );
    const ran: number[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      for (const statement of m.statements) await tx.execute(statement);
      await m.backfill?.(tx);
      await tx.execute('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        m.version,
        m.name,
        now,
      ]);
      ran.push(m.version);
    }
    return ran;
  });
  return result ?? [];
}
