import { randomUUID } from 'node:crypto';
import type {
  AuditLog,
  ConversationOwnerStore,
  ConversationReferenceStore,
  DeadlineWatch,
  DeadlineWatchStore,
  DeliveryKeyStore,
  ErasureCounts,
  PersonalDataStore,
  RegistrationFilter,
  RegistrationCounts,
  RegistrationRecord,
  RegistrationStore,
  RememberedOfficerStore,
  UnansweredMark,
  UnansweredQuestion,
  UnansweredStore,
  UserErasure,
} from '../../bot/stores.ts';
import type { OfficerGrant, OfficerIdentity } from '../../bot/officers.ts';
import type { Stage } from '../../dialogs/index.ts';
import type { SqlClient } from './sql-client.ts';
import { forgetZaloUser } from './sql-zalo.ts';
import { searchColumns, searchFold } from './search-columns.ts';

/** A registrations row as both engines return it. */
export interface RegistrationRow {
  id: string;
  code: string | null;
  user_key: string;
  channel: string;
  status: 'draft' | 'submitted';
  schema_version: number | string;
  data: string;
  province: string | null;
  support_area: string | null;
  created_at: number | string;
  updated_at: number | string;
  submitted_at: number | string | null;
  stage: Stage | null;
  stage_at: number | string | null;
  corrections: string | null;
}

const date = (ms: number | string) => new Date(Number(ms));

/** A stored row as a record. */
export function toRecord(row: RegistrationRow): RegistrationRecord {
  return {
    id: row.id,
    code: row.code,
    userKey: row.user_key,
    channel: row.channel,
    status: row.status,
    schemaVersion: Number(row.schema_version),
    data: JSON.parse(row.data) as Record<string, unknown>,
    province: row.province,
    supportArea: row.support_area,
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
    submittedAt: row.submitted_at === null ? null : date(row.submitted_at),
    stage: row.stage ?? null,
    stageAt: row.stage_at === null || row.stage_at === undefined ? null : date(row.stage_at),
    corrections: row.corrections ? (JSON.parse(row.corrections) as Record<string, unknown>) : {},
  };
}

/** "KC-2026-000123": the year of submission and a per-year sequence. */
export function referenceCode(year: number, sequence: number): string {
  return `KC-${year}-${String(sequence).padStart(6, '0')}`;
}

/** A user's open draft (index registrations_open_draft, migration 2). */
export const OPEN_DRAFT_OF_USER = "SELECT * FROM registrations WHERE user_key = $1 AND status = 'draft'";

/**
 * One page of registrations, newest first (then by id), continuing after `filter.after`: a page
 * walks an index in that order (registrations_listing, or registrations_status_listing under a
 * status filter) instead of sorting every matching row again.
 */
export function registrationListing(filter: RegistrationFilter): { sql: string; params: unknown[] } {
  const { where, params } = registrationWhere(filter);
  if (filter.after) {
    params.push(filter.after.createdAt.getTime(), filter.after.id);
    // Written as a range on created_at first, so the engine seeks into the index instead of
    // scanning it from the top for every page.
    where.push(
      `created_at <= $${params.length - 1} AND (created_at < $${params.length - 1} OR id > $${params.length})`,
    );
  }
  const columns = { createdAt: 'created_at', code: 'code', province: 'province', supportArea: 'support_area' };
  const order =
    filter.order && filter.order.by !== 'createdAt'
      ? `${columns[filter.order.by]} ${filter.order.dir === 'asc' ? 'ASC' : 'DESC'}, created_at DESC, id`
      : filter.order?.dir === 'asc'
        ? 'created_at ASC, id DESC'
        : 'created_at DESC, id';
  params.push(Math.min(Math.max(filter.limit ?? 1000, 1), 100_000));
  const limit = `LIMIT $${params.length}`;
  params.push(Math.max(0, Math.floor(filter.offset ?? 0)));
  return {
    sql: `SELECT * FROM registrations ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} ${limit} OFFSET $${params.length}`,
    params,
  };
}

/** A LIKE pattern that finds `text` anywhere, literally (with ESCAPE '\\'). */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The WHERE clauses of a filter, as a listing and a count share them. */
export function registrationWhere(filter: RegistrationFilter): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, ...values: unknown[]) => {
    let text = sql;
    for (const value of values) {
      params.push(value);
      text = text.replace('?', `$${params.length}`);
    }
    where.push(text);
  };
  if (filter.status) add('status = ?', filter.status);
  if (filter.province) add('province = ?', filter.province);
  if (filter.provinces) {
    if (filter.provinces.length === 0) where.push('1 = 0');
    else add(`province IN (${filter.provinces.map(() => '?').join(', ')})`, ...filter.provinces);
  }
  if (filter.supportArea) add('support_area = ?', filter.supportArea);
  if (filter.userKey) add('user_key = ?', filter.userKey);
  // Submitted, or a draft whose owner consented (migration 9 keeps it in a column).
  if (filter.consentedOnly) where.push('shown_to_officers = 1');
  if (filter.stage === 'draft') where.push("status = 'draft'");
  else if (filter.stage) add("status = 'submitted' AND COALESCE(stage, 'submitted') = ?", filter.stage);
  if (filter.createdFrom) add('created_at >= ?', filter.createdFrom.getTime());
  if (filter.createdBefore) add('created_at < ?', filter.createdBefore.getTime());
  if (filter.updatedBefore) add('updated_at < ?', filter.updatedBefore.getTime());
  if (filter.withPhone) where.push('phone IS NOT NULL');
  const search = searchFold(filter.search ?? '');
  const digits = search.replace(/[\s.-]/g, '');
  // search_text holds the code and the phone and tax code as digits (search-columns.ts), so a
  // search reads the officers' indexes only, never the rows.
  const words = /^\d{4,}$/.test(digits) ? [digits] : search.split(' ').filter(Boolean).slice(0, 8);
  for (const word of words) add("search_text LIKE ? ESCAPE '\\'", containing(word));
  return { where, params };
}

/** Creates the user's open draft or replaces its content, in one statement (index registrations_open_draft). */
const SAVE_DRAFT =
  'INSERT INTO registrations (id, code, user_key, channel, status, schema_version, data, province, support_area, created_at, updated_at, submitted_at, search_text, tax_code, phone, shown_to_officers) ' +
  "VALUES ($1, NULL, $2, $3, 'draft', $4, $5, $6, $7, $8, $8, NULL, $9, $10, $11, $12) " +
  "ON CONFLICT (user_key) WHERE status = 'draft' DO UPDATE SET channel = excluded.channel, schema_version = excluded.schema_version, data = excluded.data, " +
  'province = excluded.province, support_area = excluded.support_area, updated_at = excluded.updated_at, ' +
  'search_text = excluded.search_text, tax_code = excluded.tax_code, phone = excluded.phone, shown_to_officers = excluded.shown_to_officers RETURNING *';

/** Registrations on SQL. */
export class SqlRegistrationStore implements RegistrationStore {
  constructor(
    private readonly db: SqlClient,
    /** Overwrites what was deleted where the engine keeps it (SQLite's write-ahead log). */
    private readonly scrub: () => Promise<void> = async () => undefined,
  ) {}

  async saveDraft(input: Parameters<RegistrationStore['saveDraft']>[0], now: Date): Promise<RegistrationRecord> {
    const columns = searchColumns(input.data);
    const [row] = await this.db.query<RegistrationRow>(SAVE_DRAFT, [
      randomUUID(),
      input.userKey,
      input.channel,
      input.schemaVersion,
      JSON.stringify(input.data),
      input.province ?? null,
      input.supportArea ?? null,
      now.getTime(),
      columns.searchText,
      columns.taxCode,
      columns.phone,
      input.data.consent === true ? 1 : 0,
    ]);
    return toRecord(row);
  }

  async findDraft(userKey: string): Promise<RegistrationRecord | undefined> {
    const rows = await this.db.query<RegistrationRow>(OPEN_DRAFT_OF_USER, [userKey]);
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  async submit(id: string, now: Date): Promise<RegistrationRecord> {
    return this.db.transaction(async (tx) => {
      const year = now.getUTCFullYear();
      const [counter] = await tx.query<{ value: number | string }>(
        'INSERT INTO counters (name, value) VALUES ($1, 1) ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value',
        [`registration:${year}`],
      );
      const code = referenceCode(year, Number(counter.value));
      const changed = await tx.execute(
        "UPDATE registrations SET status = 'submitted', code = $1, submitted_at = $2, updated_at = $2, shown_to_officers = 1, search_text = COALESCE(search_text, '') || $4 WHERE id = $3 AND status = 'draft'",
        [code, now.getTime(), id, ` \u0001 ${searchFold(code)}`],
      );
      if (changed === 0) throw new Error(`cannot submit registration ${id} because it is not an open draft`);
      const [row] = await tx.query<RegistrationRow>('SELECT * FROM registrations WHERE id = $1', [id]);
      return toRecord(row);
    });
  }

  async getByCode(code: string): Promise<RegistrationRecord | undefined> {
    const rows = await this.db.query<RegistrationRow>('SELECT * FROM registrations WHERE code = $1', [
      code.toUpperCase(),
    ]);
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  async list(filter: RegistrationFilter = {}): Promise<RegistrationRecord[]> {
    const { sql, params } = registrationListing(filter);
    return (await this.db.query<RegistrationRow>(sql, params)).map(toRecord);
  }

  async deleteDraftsOf(userKey: string): Promise<number> {
    // A cancelled draft ("hủy") is gone from the files too, not only from the table.
    const deleted = await this.db.execute("DELETE FROM registrations WHERE user_key = $1 AND status = 'draft'", [
      userKey,
    ]);
    if (deleted > 0) await this.scrub();
    return deleted;
  }

  purgeDrafts(before: Date): Promise<number> {
    return this.db.execute("DELETE FROM registrations WHERE status = 'draft' AND updated_at < $1", [before.getTime()]);
  }

  async count(filter: RegistrationFilter): Promise<RegistrationCounts> {
    const { where, params } = registrationWhere(filter);
    // One pass gives the total and both breakdowns.
    const rows = await this.db.query<{ province: string | null; support_area: string | null; n: number | string }>(
      `SELECT province, support_area, COUNT(*) AS n FROM registrations ${where.length ? `WHERE ${where.join(' AND ')}` : ''} GROUP BY province, support_area`,
      params,
    );
    const cells = rows.map((r) => ({ province: r.province, supportArea: r.support_area, n: Number(r.n) }));
    return { total: cells.reduce((sum, c) => sum + c.n, 0), cells };
  }

  async sharing(field: 'taxCode' | 'phone', values: readonly string[]): Promise<Record<string, number>> {
    const wanted = [...new Set(values.filter(Boolean))];
    if (wanted.length === 0) return {};
    const column = field === 'taxCode' ? 'tax_code' : 'phone';
    // Indexes registrations_tax_code and registrations_phone (migration 9).
    const rows = await this.db.query<{ v: string; n: number | string }>(
      `SELECT ${column} AS v, COUNT(*) AS n FROM registrations WHERE ${column} IN (${wanted.map((_, i) => `$${i + 1}`).join(', ')}) AND status = 'submitted' GROUP BY ${column}`,
      wanted,
    );
    return Object.fromEntries(rows.map((r) => [r.v, Number(r.n)]));
  }

  async countByStatus(): Promise<Record<string, number>> {
    const rows = await this.db.query<{ status: string; n: number | string }>(
      'SELECT status, COUNT(*) AS n FROM registrations GROUP BY status',
    );
    return Object.fromEntries([['draft', 0], ['submitted', 0], ...rows.map((r) => [r.status, Number(r.n)] as const)]);
  }
}

/** Delivery keys on SQL: the primary key makes a claim atomic across instances. */
export class SqlDeliveryKeyStore implements DeliveryKeyStore {
  constructor(private readonly db: SqlClient) {}

  async claim(key: string, now: Date): Promise<boolean> {
    return (
      (await this.db.execute('INSERT INTO delivery_keys (key, seen_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [
        key,
        now.getTime(),
      ])) === 1
    );
  }

  purge(before: Date): Promise<number> {
    return this.db.execute('DELETE FROM delivery_keys WHERE seen_at < $1', [before.getTime()]);
  }
}

/** Conversation references on SQL. */
export class SqlConversationReferenceStore implements ConversationReferenceStore {
  constructor(private readonly db: SqlClient) {}

  async upsert(key: string, channel: string, reference: Record<string, unknown>, now: Date): Promise<void> {
    await this.db.execute(
      'INSERT INTO conversation_refs (key, channel, reference, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO UPDATE SET channel = excluded.channel, reference = excluded.reference, updated_at = excluded.updated_at',
      [key, channel, JSON.stringify(reference), now.getTime()],
    );
  }

  async remove(key: string): Promise<void> {
    await this.db.execute('DELETE FROM conversation_refs WHERE key = $1', [key]);
  }

  async list(channel?: string) {
    const rows = channel
      ? await this.db.query<{ key: string; channel: string; reference: string }>(
          'SELECT key, channel, reference FROM conversation_refs WHERE channel = $1 ORDER BY key',
          [channel],
        )
      : await this.db.query<{ key: string; channel: string; reference: string }>(
          'SELECT key, channel, reference FROM conversation_refs ORDER BY key',
        );
    return rows.map((r) => ({
      key: r.key,
      channel: r.channel,
      reference: JSON.parse(r.reference) as Record<string, unknown>,
    }));
  }
}

/** Owners waiting for the next cycle's deadlines, on SQL. */
export class SqlDeadlineWatchStore implements DeadlineWatchStore {
  constructor(private readonly db: SqlClient) {}

  async watch(userKey: string, planYear: number, now: Date): Promise<void> {
    await this.db.execute(
      'INSERT INTO deadline_watches (user_key, plan_year, created_at, told_at) VALUES ($1, $2, $3, NULL) ON CONFLICT (user_key) DO UPDATE SET plan_year = excluded.plan_year, created_at = excluded.created_at, told_at = NULL',
      [userKey, planYear, now.getTime()],
    );
  }

  async claim(userKey: string, latest: number, now: Date): Promise<'claimed' | 'told' | 'none'> {
    const claimed = await this.db.execute(
      'UPDATE deadline_watches SET told_at = $3 WHERE user_key = $1 AND told_at IS NULL AND plan_year < $2',
      [userKey, latest, now.getTime()],
    );
    if (claimed > 0) return 'claimed';
    const [row] = await this.db.query<{ told_at: number | string | null }>(
      'SELECT told_at FROM deadline_watches WHERE user_key = $1',
      [userKey],
    );
    return row && row.told_at !== null ? 'told' : 'none';
  }

  async pending(latest: number, limit: number): Promise<string[]> {
    const rows = await this.db.query<{ user_key: string }>(
      'SELECT user_key FROM deadline_watches WHERE told_at IS NULL AND plan_year < $1 LIMIT $2',
      [latest, limit],
    );
    return rows.map((r) => r.user_key);
  }

  async zaloWithinWindow(latest: number, since: Date, limit: number): Promise<DeadlineWatch[]> {
    const rows = await this.db.query<{ user_key: string; plan_year: number | string; created_at: number | string }>(
      "SELECT w.user_key, w.plan_year, w.created_at FROM deadline_watches w JOIN zalo_interactions i ON i.user_id = substr(w.user_key, 6) WHERE w.user_key LIKE 'zalo:%' AND w.told_at IS NULL AND w.plan_year < $1 AND i.last_at >= $2 ORDER BY i.last_at DESC, w.user_key LIMIT $3",
      [latest, since.getTime(), limit],
    );
    return rows.map((r) => ({ userKey: r.user_key, planYear: Number(r.plan_year), createdAt: date(r.created_at) }));
  }

  purge(before: Date, toldBefore: Date): Promise<number> {
    return this.db.execute('DELETE FROM deadline_watches WHERE created_at < $1 OR told_at < $2', [
      before.getTime(),
      toldBefore.getTime(),
    ]);
  }
}

/** Curators' marks whose text no question has any more (their words go with the questions). */
const ORPHAN_MARKS =
  'DELETE FROM unanswered_marks WHERE NOT EXISTS (SELECT 1 FROM unanswered_questions q WHERE q.normalized = unanswered_marks.normalized)';

interface UnansweredRow {
  text: string;
  normalized: string;
  channel: string;
  user_hash: string;
  reason: UnansweredQuestion['reason'];
  created_at: number | string;
  province: string | null;
}

function toUnanswered(r: UnansweredRow): UnansweredQuestion {
  return {
    text: r.text,
    normalized: r.normalized,
    channel: r.channel,
    userHash: r.user_hash,
    reason: r.reason,
    createdAt: date(r.created_at),
    province: r.province,
  };
}

/** Unanswered questions on SQL. */
export class SqlUnansweredStore implements UnansweredStore {
  constructor(private readonly db: SqlClient) {}

  async record(q: UnansweredQuestion): Promise<void> {
    await this.db.execute(
      'INSERT INTO unanswered_questions (id, text, normalized, channel, user_hash, reason, created_at, province) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [randomUUID(), q.text, q.normalized, q.channel, q.userHash, q.reason, q.createdAt.getTime(), q.province ?? null],
    );
  }

  async since(since: Date, limit: number): Promise<UnansweredQuestion[]> {
    const rows = await this.db.query<UnansweredRow>(
      'SELECT text, normalized, channel, user_hash, reason, created_at, province FROM unanswered_questions WHERE created_at >= $1 ORDER BY created_at DESC LIMIT $2',
      [since.getTime(), limit],
    );
    return rows.map(toUnanswered);
  }

  async marks(scopes: readonly string[]): Promise<UnansweredMark[]> {
    if (scopes.length === 0) return [];
    const rows = await this.db.query<{
      normalized: string;
      scope: string;
      status: UnansweredMark['status'];
      actor: string;
      updated_at: number | string;
    }>(
      `SELECT normalized, scope, status, actor, updated_at FROM unanswered_marks WHERE scope IN (${scopes.map((_, i) => `$${i + 1}`).join(', ')})`,
      [...scopes],
    );
    return rows.map((r) => ({
      normalized: r.normalized,
      scope: r.scope,
      status: r.status,
      actor: r.actor,
      updatedAt: date(r.updated_at),
    }));
  }

  async mark(
    normalized: readonly string[],
    status: UnansweredMark['status'] | null,
    actor: string,
    now: Date,
    scope: string,
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const n of normalized) {
        if (status === null)
          await tx.execute('DELETE FROM unanswered_marks WHERE normalized = $1 AND scope = $2', [n, scope]);
        else
          await tx.execute(
            'INSERT INTO unanswered_marks (normalized, scope, status, actor, updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (normalized, scope) DO UPDATE SET status = excluded.status, actor = excluded.actor, updated_at = excluded.updated_at',
            [n, scope, status, actor, now.getTime()],
          );
      }
    });
  }

  async latest(limit: number): Promise<UnansweredQuestion[]> {
    const rows = await this.db.query<UnansweredRow>(
      'SELECT text, normalized, channel, user_hash, reason, created_at, province FROM unanswered_questions ORDER BY created_at DESC LIMIT $1',
      [limit],
    );
    return rows.map(toUnanswered);
  }

  async purge(before: Date): Promise<number> {
    const purged = await this.db.execute('DELETE FROM unanswered_questions WHERE created_at < $1', [before.getTime()]);
    // A mark holds the question's words: it goes once no question of its text is left.
    if (purged > 0) await this.db.execute(ORPHAN_MARKS);
    return purged;
  }
}

/** The export audit trail on SQL. */
export class SqlAuditLog implements AuditLog {
  constructor(private readonly db: SqlClient) {}

  async record(entry: { action: string; actor: string; details: Record<string, unknown> }, now: Date): Promise<void> {
    await this.db.execute(
      'INSERT INTO audit_log (id, action, actor, details, created_at) VALUES ($1, $2, $3, $4, $5)',
      [randomUUID(), entry.action, entry.actor, JSON.stringify(entry.details), now.getTime()],
    );
  }

  async list(limit: number) {
    const rows = await this.db.query<{ action: string; actor: string; details: string; created_at: number | string }>(
      'SELECT action, actor, details, created_at FROM audit_log ORDER BY created_at DESC LIMIT $1',
      [limit],
    );
    return rows.map((r) => ({
      action: r.action,
      actor: r.actor,
      details: JSON.parse(r.details) as Record<string, unknown>,
      createdAt: date(r.created_at),
    }));
  }
}

/** Officers' tab sign-ins on SQL. */
export class SqlRememberedOfficerStore implements RememberedOfficerStore {
  constructor(private readonly db: SqlClient) {}

  async remember(identity: OfficerIdentity, now: Date): Promise<void> {
    await this.db.execute(
      'INSERT INTO officer_identities (tenant_id, object_id, name, grants, seen_at) VALUES ($1, $2, $3, $4, $5) ' +
        'ON CONFLICT (tenant_id, object_id) DO UPDATE SET name = excluded.name, grants = excluded.grants, seen_at = excluded.seen_at',
      [identity.tenantId, identity.id, identity.name ?? null, JSON.stringify(identity.grants), now.getTime()],
    );
  }

  async recall(tenantId: string, objectId: string, since: Date): Promise<OfficerGrant[] | undefined> {
    const [row] = await this.db.query<{ grants: string }>(
      'SELECT grants FROM officer_identities WHERE tenant_id = $1 AND object_id = $2 AND seen_at >= $3',
      [tenantId, objectId, since.getTime()],
    );
    return row ? (JSON.parse(row.grants) as OfficerGrant[]) : undefined;
  }
}

/** Owners remembered in memory per process: a conversation's owner never changes once claimed. */
const OWNERS_CACHED = 10_000;

const keyOf = (channel: string, conversationId: string) => `${channel}\u0000${conversationId}`;

/** Conversation owners on SQL; the primary key makes the first claim win across instances. */
export class SqlConversationOwnerStore implements ConversationOwnerStore {
  private readonly known = new Map<string, string>();

  constructor(private readonly db: SqlClient) {}

  async claim(channel: string, conversationId: string, userKey: string, now: Date): Promise<boolean> {
    const known = this.known.get(keyOf(channel, conversationId));
    if (known !== undefined) return known === userKey;
    // RETURNING gives the row only when this claim inserted it; a conflict (rare: a conversation
    // is claimed once) reads the owner that won.
    const inserted = await this.db.query<{ user_key: string }>(
      'INSERT INTO conversation_owners (channel, conversation_id, user_key, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (channel, conversation_id) DO NOTHING RETURNING user_key',
      [channel, conversationId, userKey, now.getTime()],
    );
    const owner = inserted[0]?.user_key ?? (await this.ownerOf(channel, conversationId)) ?? userKey;
    this.remember(channel, conversationId, owner);
    return owner === userKey;
  }

  async ownerOf(channel: string, conversationId: string): Promise<string | undefined> {
    const known = this.known.get(keyOf(channel, conversationId));
    if (known !== undefined) return known;
    const rows = await this.db.query<{ user_key: string }>(
      'SELECT user_key FROM conversation_owners WHERE channel = $1 AND conversation_id = $2',
      [channel, conversationId],
    );
    // Only an owner is remembered: an unclaimed conversation may be claimed by another instance.
    const owner = rows[0]?.user_key;
    if (owner !== undefined) this.remember(channel, conversationId, owner);
    return owner;
  }

  private remember(channel: string, conversationId: string, owner: string): void {
    if (this.known.size >= OWNERS_CACHED) this.known.delete(this.known.keys().next().value!);
    this.known.set(keyOf(channel, conversationId), owner);
  }

  /**
   * Forgets the owners of old conversations that keep no state: a conversation whose state is
   * still kept (a form continued last week) stays its owner's, or another user id could take it
   * over once the owner was forgotten. (An id's "_" matches any character in LIKE: such an owner
   * is kept a little longer, never forgotten too soon.)
   */
  purge(before: Date): Promise<number> {
    return this.db.execute(
      `DELETE FROM conversation_owners WHERE created_at < $1 AND NOT EXISTS (
        SELECT 1 FROM bot_state WHERE bot_state.key LIKE conversation_owners.channel || '/conversations/' || conversation_owners.conversation_id || '/%')`,
      [before.getTime()],
    );
  }
}

/** A LIKE pattern that matches `prefix` literally, then anything (with ESCAPE '\\'). */
function startsWith(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Erasure of one user's data on SQL, in one transaction. */
export class SqlPersonalDataStore implements PersonalDataStore {
  constructor(
    private readonly db: SqlClient,
    /** Overwrites what was deleted where the engine keeps it (SQLite's write-ahead log). */
    private readonly scrub: () => Promise<void> = async () => undefined,
  ) {}

  async erase(user: UserErasure): Promise<ErasureCounts> {
    const counts = await this.db.transaction(async (tx) => {
      const owned = await tx.query<{ conversation_id: string }>(
        'SELECT conversation_id FROM conversation_owners WHERE user_key = $1 AND channel = $2',
        [user.userKey, user.channel],
      );
      // On Zalo the conversation is the user; elsewhere the ones they own.
      const conversations = new Set([
        ...owned.map((r) => r.conversation_id),
        ...(user.channel === 'zalo' ? [user.userId] : []),
      ]);
      let states = 0;
      for (const id of conversations) {
        states += await tx.execute("DELETE FROM bot_state WHERE key LIKE $1 ESCAPE '\\'", [
          startsWith(`${user.channel}/conversations/${id}/`),
        ]);
      }
      // On Zalo, the officer pause names the user too, and so do the inbox and outbox.
      if (user.channel === 'zalo') {
        await tx.execute('DELETE FROM bot_state WHERE key = $1', [`zalo/pause/${user.userId}`]);
        await forgetZaloUser(tx, user.userId);
      }
      const drafts = await tx.execute("DELETE FROM registrations WHERE user_key = $1 AND status = 'draft'", [
        user.userKey,
      ]);
      const unanswered = await tx.execute('DELETE FROM unanswered_questions WHERE user_hash = $1', [user.userHash]);
      if (unanswered > 0) await tx.execute(ORPHAN_MARKS);
      await tx.execute('DELETE FROM conversation_owners WHERE user_key = $1', [user.userKey]);
      await tx.execute('DELETE FROM deadline_watches WHERE user_key = $1', [user.userKey]);
      return { drafts, conversations: states, unanswered };
    });
    await this.scrub();
    return counts;
  }
}
