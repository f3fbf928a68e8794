import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer } from '../helpers/server.ts';

/** Registrations in the store: a large province's years of them, and more. */
export const TAB_REGISTRATIONS = 50_000;
const REGISTRATIONS = TAB_REGISTRATIONS;
const PROVINCES = ['Bắc Ninh', 'Hà Nội', 'Thái Nguyên', 'Lào Cai', 'Nghệ An'];

/** Measures `fn` and the longest time the event loop went without running a 1 ms timer meanwhile. */
export async function withStall<T>(fn: () => Promise<T>): Promise<{ ms: number; stallMs: number; result: T }> {
  await new Promise((resolve) => setTimeout(resolve, 20));
  let last = performance.now();
  let stallMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, 1);
  const t0 = performance.now();
  const result = await fn();
  const ms = performance.now() - t0;
  await new Promise((resolve) => setTimeout(resolve, 5));
  clearInterval(timer);
  return { ms, stallMs, result };
}

/**
 * The officers' tab over 50,000 registrations (SQLite), served in this process: how long list
 * pages (the first, a province, a search, a deep page, sorted by name) and a streamed XLSX export
 * take, and the longest the thread could serve nothing else meanwhile (on the main thread, that is
 * how long web chat and Zalo requests wait), with a small request's wait during the export.
 */
export async function benchTab(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'kc-tbench-'));
  const server = await startTestServer({ dataDir: dir, web: {} });
  try {
    const { registrations } = server.stores;
    for (let i = 0; i < REGISTRATIONS; i++) {
      const data = {
        facilityName: `Cơ sở Mộc Hưng ${i}`,
        entityType: 'ho-kinh-doanh',
        commune: 'xã Tân Mỹ',
        address: 'thôn Đông',
        contactName: 'Lê Văn Hưng',
        phone: '0912345678',
        projectName: 'Ứng dụng máy móc tiên tiến',
        objective: 'Nâng cao năng suất',
        timeline: '2026',
        budgetTotal: 500_000_000,
        budgetRequested: 200_000_000,
      };
      const draft = await registrations.saveDraft(
        {
          userKey: `zalo:bench-${i}`,
          channel: 'zalo',
          schemaVersion: 1,
          province: PROVINCES[i % PROVINCES.length],
          supportArea: 'may-moc',
          data,
        },
        new Date(Date.now() - i * 60_000),
      );
      if (i % 2 === 0) await registrations.submit(draft.id, new Date());
    }
    const get = (path: string) =>
      withStall(async () => Buffer.from(await (await fetch(`${server.url}${path}`)).arrayBuffer()).length);
    await get('/api/registrations/export.xlsx?status=submitted&pageSize=1'); // loads exceljs
    const first = await get('/api/registrations');
    const firstAgain = await get('/api/registrations');
    const province = await get(`/api/registrations?province=${encodeURIComponent('Bắc Ninh')}&status=submitted`);
    const search = await get(`/api/registrations?q=${encodeURIComponent('moc hung 4999')}`);
    const deep = await get('/api/registrations?page=900');
    const byName = await get('/api/registrations?sort=facilityName&dir=asc');
    // A small request while the export streams: how long it waits is what other users feel.
    const during: number[] = [];
    const xlsx = await withStall(async () => {
      const file = fetch(`${server.url}/api/registrations/export.xlsx`).then(
        async (r) => (await r.arrayBuffer()).byteLength,
      );
      let done = false;
      void file.then(() => (done = true));
      while (!done) {
        const t0 = performance.now();
        await fetch(`${server.url}/healthz`).then((r) => r.arrayBuffer());
        during.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 20));
      }
      return file;
    });
    const line = (name: string, r: { ms: number; stallMs: number }) =>
      `${name.padEnd(52)} ${r.ms.toFixed(0).padStart(6)} ms   longest stall ${r.stallMs.toFixed(0).padStart(5)} ms`;
    return [
      line('first page, newest first (GET /api/registrations)', first),
      line('  the same, again', firstAgain),
      line('one province, submitted ones', province),
      line('search without diacritics ("moc hung 4999")', search),
      line('page 900 of 1,000 (offset 44,950)', deep),
      line('first page sorted by name (Vietnamese, in memory)', byName),
      line(`XLSX of all ${REGISTRATIONS.toLocaleString('en')}, streamed (…/export.xlsx)`, xlsx),
      `${'  /healthz while it streams: slowest of'.padEnd(40)} ${String(during.length).padStart(4)}  ${Math.max(
        ...during,
      )
        .toFixed(0)
        .padStart(6)} ms  (${(xlsx.result / 1e6).toFixed(1)} MB)`,
    ];
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
