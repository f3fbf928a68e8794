import { randomUUID } from 'node:crypto';
import type {
  NewRegistrationEvent,
  RegistrationEvent,
  RegistrationRecord,
  RegistrationWorkStore,
} from '../../bot/stores.ts';
import type { Stage } from '../../dialogs/index.ts';
import type { SqlClient } from './sql-client.ts';
import { toRecord, type RegistrationRow } from './sql-records.ts';

interface EventRow {
  id: string;
  registration_id: string;
  kind: RegistrationEvent['kind'];
  actor: string;
  actor_name: string | null;
  details: string;
  created_at: number | string;
}

const toEvent = (r: EventRow): RegistrationEvent => ({
  id: r.id,
  registrationId: r.registration_id,
  kind: r.kind,
  actor: r.actor,
  actorName: r.actor_name,
  details: JSON.parse(r.details) as Record<string, unknown>,
  createdAt: new Date(Number(r.created_at)),
});

let sequence = 0;

/**
 * An event id that sorts in the order this process wrote them (real time, then a counter), so a
 * history read by (created_at, id) keeps the order of events stamped with the same time.
 */
function eventId(): string {
  sequence = (sequence + 1) % 1_000_000;
  return `${String(Date.now()).padStart(15, '0')}${String(sequence).padStart(6, '0')}-${randomUUID().slice(0, 8)}`;
}

async function insertEvent(
  db: SqlClient,
  registrationId: string,
  event: NewRegistrationEvent,
  now: Date,
): Promise<RegistrationEvent> {
  const row: EventRow = {
    id: eventId(),
    registration_id: registrationId,
    kind: event.kind,
    actor: event.actor,
    actor_name: event.actorName,
    details: JSON.stringify(event.details),
    created_at: now.getTime(),
  };
  await db.execute(
    'INSERT INTO registration_events (id, registration_id, kind, actor, actor_name, details, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [row.id, row.registration_id, row.kind, row.actor, row.actor_name, row.details, row.created_at],
  );
  return toEvent(row);
}

/** The columns the listing filters by, which a correction of their field changes too. */
const COLUMNS: Record<string, string> = { province: 'province', supportArea: 'support_area' };

/** Stages, corrections and history on SQL. */
export class SqlRegistrationWorkStore implements RegistrationWorkStore {
  constructor(private readonly db: SqlClient) {}

  moveStage(id: string, from: Stage, to: Stage, event: NewRegistrationEvent, now: Date): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      // Compare-and-set: two officers moving the same registration at once, one wins.
      const moved = await tx.execute(
        `UPDATE registrations SET stage = $1, stage_at = $2 WHERE id = $3 AND status = 'submitted' AND COALESCE(stage, 'submitted') = $4`,
        [to, now.getTime(), id, from],
      );
      if (moved === 0) return false;
      await insertEvent(tx, id, event, now);
      return true;
    });
  }

  correct(
    id: string,
    field: string,
    value: unknown,
    event: NewRegistrationEvent,
    now: Date,
  ): Promise<RegistrationRecord | undefined> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query<RegistrationRow>('SELECT * FROM registrations WHERE id = $1', [id]);
      if (!row) return undefined;
      const corrections = { ...toRecord(row).corrections, [field]: value };
      const column = COLUMNS[field];
      await tx.execute(
        `UPDATE registrations SET corrections = $1${column ? `, ${column} = $3` : ''} WHERE id = $2`,
        column ? [JSON.stringify(corrections), id, value ?? null] : [JSON.stringify(corrections), id],
      );
      await insertEvent(tx, id, event, now);
      const [after] = await tx.query<RegistrationRow>('SELECT * FROM registrations WHERE id = $1', [id]);
      return toRecord(after);
    });
  }

  addEvent(id: string, event: NewRegistrationEvent, now: Date): Promise<RegistrationEvent> {
    return insertEvent(this.db, id, event, now);
  }

  async openThread(userKey: string, since: Date) {
    // Indexes registrations_owner, then registration_events_of: one probe for an owner who has none.
    const rows = await this.db.query<{
      registration_id: string;
      code: string | null;
      actor_name: string | null;
      details: string;
    }>(
      `SELECT e.registration_id, r.code, e.actor_name, e.details FROM registrations r JOIN registration_events e ON e.registration_id = r.id
       WHERE r.user_key = $1 AND r.status = 'submitted' AND e.kind = 'message-out' AND e.created_at >= $2
       ORDER BY e.created_at DESC, e.id DESC LIMIT 10`,
      [userKey, since.getTime()],
    );
    for (const row of rows) {
      const details = JSON.parse(row.details) as { notice?: boolean; conversation?: Record<string, unknown> };
      if (details.notice) continue;
      return {
        registrationId: row.registration_id,
        code: row.code ?? '',
        officerName: row.actor_name,
        ...(details.conversation ? { conversation: details.conversation } : {}),
      };
    }
    return undefined;
  }

  async queueOwnerMessage(
    registration: Pick<RegistrationRecord, 'id' | 'userKey' | 'channel'>,
    text: string,
    now: Date,
  ): Promise<void> {
    await this.db.execute(
      'INSERT INTO owner_messages (id, registration_id, user_key, channel, text, created_at, delivered_at) VALUES ($1, $2, $3, $4, $5, $6, NULL)',
      [eventId(), registration.id, registration.userKey, registration.channel, text, now.getTime()],
    );
  }

  takeOwnerMessages(userKey: string, now: Date) {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<{ id: string; registration_id: string; text: string; created_at: number | string }>(
        'SELECT id, registration_id, text, created_at FROM owner_messages WHERE user_key = $1 AND delivered_at IS NULL ORDER BY created_at, id',
        [userKey],
      );
      for (const r of rows)
        await tx.execute('UPDATE owner_messages SET delivered_at = $1 WHERE id = $2', [now.getTime(), r.id]);
      return rows.map((r) => ({
        registrationId: r.registration_id,
        text: r.text,
        createdAt: new Date(Number(r.created_at)),
      }));
    });
  }

  async history(id: string, limit = 500): Promise<RegistrationEvent[]> {
    const rows = await this.db.query<EventRow>(
      'SELECT * FROM registration_events WHERE registration_id = $1 ORDER BY created_at, id LIMIT $2',
      [id, limit],
    );
    return rows.map(toEvent);
  }
}
