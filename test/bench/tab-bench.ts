import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toExported, toTable, toXlsx } from '../../adapters/console/registrations-export.ts';
import { startTestServer } from '../helpers/server.ts';

const REGISTRATIONS = 10_000;
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
 * The officers' tab over 10,000 registrations (SQLite), served in this process: how long a list
 * page and an XLSX export take, and the longest the thread could serve nothing else meanwhile
 * (on the main thread, that is how long web chat and Zalo requests wait). Beside it, the same
 * rows through exceljs's in-memory writer, the library's usual way to write a workbook.
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
    await get('/api/registrations/export.xlsx'); // loads exceljs
    const page = await get('/api/registrations?sort=facilityName&dir=asc');
    const xlsx = await get('/api/registrations/export.xlsx');
    const rows = toExported(await registrations.list({ limit: REGISTRATIONS }));
    const peer = await withStall(async () => {
      const { default: ExcelJS } = await import('exceljs');
      const { header, body } = toTable(rows);
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('Đăng ký khuyến công');
      sheet.addRow(header).font = { bold: true };
      for (const row of body) sheet.addRow(row);
      return (await workbook.xlsx.writeBuffer()).byteLength;
    });
    const ours = await withStall(async () => (await toXlsx(rows)).length);
    const line = (name: string, r: { ms: number; stallMs: number }) =>
      `${name.padEnd(52)} ${r.ms.toFixed(0).padStart(6)} ms   longest stall ${r.stallMs.toFixed(0).padStart(5)} ms`;
    return [
      line(`list page, sorted by name (GET /api/registrations)`, page),
      line(`XLSX of all ${REGISTRATIONS} (GET …/export.xlsx)`, xlsx),
      line(`  the workbook alone: ours (streamed, in slices)`, ours),
      line(`  the workbook alone: exceljs in-memory writer (peer)`, peer),
    ];
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
