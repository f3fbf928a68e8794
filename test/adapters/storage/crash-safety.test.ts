import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { openStores } from '../../../adapters/storage/open-stores.ts';
import { SqliteClient } from '../../../adapters/storage/sqlite-client.ts';
import { sqlitePath } from '../../../adapters/storage/open-stores.ts';
import { postgresTestDatabase, sqliteTestDatabase, TEST_DATABASE_URL } from '../../helpers/databases.ts';
import { ROOT } from '../../helpers/processes.ts';

/** Starts the writer, lets it write at least `writes` rounds, then kills it with SIGKILL. */
function writeThenKill(location: string, writes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/crash-writer.ts', location], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '' },
    });
    let last = 0;
    let err = '';
    child.stderr.on('data', (d) => (err += String(d)));
    child.stdout.on('data', (d: Buffer) => {
      last = Math.max(last, ...String(d).trim().split('\n').map(Number));
      if (last >= writes) child.kill('SIGKILL');
    });
    child.on('exit', (_code, signal) =>
      signal === 'SIGKILL' ? resolve(last) : reject(new Error(`writer ended without being killed: ${err}`)),
    );
  });
}

async function checkIntact(location: string, written: number) {
  const opened = await openStores(
    location.startsWith('postgres') ? { databaseUrl: location, dataDir: '' } : { dataDir: location },
  );
  try {
    const { left, right } = await opened.storage.read(['left', 'right']);
    // Both halves of every write land together or not at all.
    expect(left?.n).toBe(right?.n);
    expect(left!.n).toBeGreaterThanOrEqual(written);
    const drafts = await opened.stores.registrations.list({ status: 'draft' });
    expect(drafts.length).toBeGreaterThan(0);
    for (const d of drafts) expect(typeof d.data.n).toBe('number');
    // The database still takes writes after the crash.
    await opened.storage.write({ after: { ok: true } });
    expect((await opened.storage.read(['after'])).after?.ok).toBe(true);
  } finally {
    await opened.stores.close();
  }
}

describe('a writer killed with SIGKILL mid-stream leaves the database intact', () => {
  it('on SQLite', async () => {
    const database = sqliteTestDatabase();
    await database.db.close();
    try {
      const written = await writeThenKill(database.location, 200);
      const raw = new SqliteClient(sqlitePath(database.location));
      expect(await raw.query('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
      await raw.close();
      await checkIntact(database.location, written);
    } finally {
      await database.drop();
    }
  });

  it.skipIf(!TEST_DATABASE_URL)('on PostgreSQL', async () => {
    const database = await postgresTestDatabase();
    try {
      const written = await writeThenKill(database.location, 200);
      await checkIntact(database.location, written);
    } finally {
      await database.drop();
    }
  });
});
