import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sqlitePath } from '../../../adapters/storage/open-stores.ts';
import { TURN_ERROR_TEXT } from '../../../bot/turn-error.ts';
import { ROOT, startServerProcess } from '../../helpers/processes.ts';
import { say } from '../../helpers/server.ts';

// Root writes read-only files anyway: as root, the server runs as nobody, as a service would.
// That needs this Node and the project to be readable by nobody (a Node under /root is not).
const asRoot = process.getuid?.() === 0;
const user = asRoot ? { uid: 65534, gid: 65534 } : undefined;
const canRun =
  !user ||
  spawnSync(process.execPath, ['-e', `require('node:fs').accessSync(${JSON.stringify(join(ROOT, 'package.json'))})`], {
    ...user,
  }).status === 0;
const dataDir = mkdtempSync(join(tmpdir(), 'kc-readonly-'));
if (asRoot) {
  chmodSync(dataDir, 0o755);
  chownSync(dataDir, 65534, 65534);
}
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe.skipIf(!canRun)('a SQLite database whose files are read-only', () => {
  it('is served unready with the files named, and ready again once they are writable, without a restart', async () => {
    const path = sqlitePath(dataDir);
    const files = [path, `${path}-wal`, `${path}-shm`];
    const first = await startServerProcess({ DATA_DIR: dataDir }, undefined, user);
    // A conversation that keeps something (the form started): the database is written to.
    await say(first.url, 'c-ro', 'tôi muốn đăng ký');
    // A crash leaves the write-ahead log and its index beside the database…
    await first.stop('SIGKILL');
    // …and an operator, a backup tool or a run as another user leaves all three read-only.
    for (const f of files) chmodSync(f, 0o444);

    const server = await startServerProcess({ DATA_DIR: dataDir }, undefined, user);
    try {
      const ready = async () => {
        const res = await fetch(`${server.url}/readyz`);
        return { status: res.status, body: (await res.json()) as { checks: Record<string, boolean> } };
      };
      const reachable = async () =>
        /kc_store_reachable (\d)/.exec(await (await fetch(`${server.url}/metrics`)).text())?.[1];
      expect(await ready()).toMatchObject({ status: 503, body: { checks: { store: false, knowledge: true } } });
      expect(await reachable()).toBe('0');
      await server.waitForOutput('the store does not accept writes');
      expect(server.output()).toContain(`${path}-shm`);
      // A user is told, and nothing crashes.
      const refused = await fetch(`${server.url}/api/webchat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ conversationId: 'c-ro-2', userId: 'u1', text: 'tôi muốn đăng ký' }),
      });
      // The owner is read and the turn runs; the write of the form's first state fails, so its last word is the apology.
      expect(refused.status).toBe(200);
      const { activities } = (await refused.json()) as { activities: { text: string }[] };
      expect(activities.at(-1)?.text).toBe(TURN_ERROR_TEXT);

      // The database file alone made writable again: the leftover companions still block it.
      chmodSync(path, 0o644);
      expect((await ready()).status).toBe(503);
      for (const f of files) chmodSync(f, 0o644);
      expect(await ready()).toMatchObject({ status: 200, body: { checks: { store: true } } });
      expect(await reachable()).toBe('1');
      expect((await say(server.url, 'c-ro-3', 'vốn đối ứng là gì'))[0].text).toContain('đối ứng');
    } finally {
      await server.stop();
    }
  }, 30_000);
});
