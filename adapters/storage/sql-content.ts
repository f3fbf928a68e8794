import { randomUUID } from 'node:crypto';
import {
  ContentVersionConflictError,
  type ContentDraft,
  type ContentStore,
  type ContentVersion,
  type ContentVersionInfo,
} from '../../bot/stores.ts';
import type { KnowledgeContent } from '../../knowledge/index.ts';
import type { SqlClient } from './sql-client.ts';

interface VersionRow {
  version: number | string;
  author: string;
  note: string;
  restored_from: number | string | null;
  created_at: number | string;
  content?: string;
}

interface DraftRow {
  id: string;
  author: string;
  note: string;
  base_version: number | string;
  created_at: number | string;
  updated_at: number | string;
  content?: string;
}

const date = (ms: number | string) => new Date(Number(ms));

function toInfo(row: VersionRow): ContentVersionInfo {
  return {
    version: Number(row.version),
    author: row.author,
    note: row.note,
    restoredFrom: row.restored_from === null ? null : Number(row.restored_from),
    createdAt: date(row.created_at),
  };
}

function toDraftInfo(row: DraftRow): Omit<ContentDraft, 'content'> {
  return {
    id: row.id,
    author: row.author,
    note: row.note,
    baseVersion: Number(row.base_version),
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
  };
}

const INFO = 'version, author, note, restored_from, created_at';

/** Knowledge content versions and drafts on SQL. */
export class SqlContentStore implements ContentStore {
  constructor(private readonly db: SqlClient) {}

  async liveVersion(): Promise<number> {
    const [row] = await this.db.query<{ v: number | string | null }>('SELECT MAX(version) AS v FROM content_versions');
    return row?.v === null || row?.v === undefined ? 0 : Number(row.v);
  }

  async get(version: number): Promise<ContentVersion | undefined> {
    const [row] = await this.db.query<VersionRow>(`SELECT ${INFO}, content FROM content_versions WHERE version = $1`, [
      version,
    ]);
    return row ? { ...toInfo(row), content: JSON.parse(row.content!) as KnowledgeContent } : undefined;
  }

  async list(limit: number): Promise<ContentVersionInfo[]> {
    const rows = await this.db.query<VersionRow>(
      `SELECT ${INFO} FROM content_versions ORDER BY version DESC LIMIT $1`,
      [limit],
    );
    return rows.map(toInfo);
  }

  async publish(input: Parameters<ContentStore['publish']>[0], now: Date): Promise<ContentVersionInfo> {
    // One publisher at a time, across instances: the next number is read and written under the lock.
    const info = await this.db.exclusive('khuyencong:content-publish', async (tx) => {
      const [row] = await tx.query<{ v: number | string | null }>('SELECT MAX(version) AS v FROM content_versions');
      const live = row?.v === null || row?.v === undefined ? 0 : Number(row.v);
      if (input.expectedLive !== undefined && input.expectedLive !== live)
        throw new ContentVersionConflictError(input.expectedLive, live);
      const insert = `INSERT INTO content_versions (version, content, author, note, restored_from, created_at) VALUES ($1, $2, $3, $4, $5, $6)`;
      if (row?.v === null || row?.v === undefined)
        await tx.execute(insert, [
          0,
          JSON.stringify(input.seed),
          'seed',
          'Nội dung đi kèm phần mềm',
          null,
          now.getTime(),
        ]);
      const version = live + 1;
      await tx.execute(insert, [
        version,
        JSON.stringify(input.content),
        input.author,
        input.note,
        input.restoredFrom ?? null,
        now.getTime(),
      ]);
      return {
        version,
        author: input.author,
        note: input.note,
        restoredFrom: input.restoredFrom ?? null,
        createdAt: now,
      };
    });
    return info!;
  }

  async saveDraft(input: Parameters<ContentStore['saveDraft']>[0], now: Date): Promise<ContentDraft> {
    const id = input.id ?? randomUUID();
    const [row] = await this.db.query<DraftRow>(
      'INSERT INTO content_drafts (id, content, author, note, base_version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) ' +
        'ON CONFLICT (id) DO UPDATE SET content = excluded.content, author = excluded.author, note = excluded.note, base_version = excluded.base_version, updated_at = excluded.updated_at ' +
        'RETURNING id, author, note, base_version, created_at, updated_at',
      [id, JSON.stringify(input.content), input.author, input.note, input.baseVersion, now.getTime()],
    );
    return { ...toDraftInfo(row), content: input.content };
  }

  async getDraft(id: string): Promise<ContentDraft | undefined> {
    const [row] = await this.db.query<DraftRow>('SELECT * FROM content_drafts WHERE id = $1', [id]);
    return row ? { ...toDraftInfo(row), content: JSON.parse(row.content!) as KnowledgeContent } : undefined;
  }

  async listDrafts(limit: number): Promise<Omit<ContentDraft, 'content'>[]> {
    const rows = await this.db.query<DraftRow>(
      'SELECT id, author, note, base_version, created_at, updated_at FROM content_drafts ORDER BY updated_at DESC, id LIMIT $1',
      [limit],
    );
    return rows.map(toDraftInfo);
  }

  async deleteDraft(id: string): Promise<boolean> {
    return (await this.db.execute('DELETE FROM content_drafts WHERE id = $1', [id])) > 0;
  }
}
