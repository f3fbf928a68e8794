import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores } from '../../adapters/storage/open-stores.ts';
import { sqliteTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { runTs } from '../helpers/processes.ts';

let database: TestDatabase;
const now = new Date('2026-11-26T03:00:00Z');

beforeAll(async () => {
  database = sqliteTestDatabase();
  await database.db.close();
  const { stores } = await openStores({ dataDir: database.location });
  const a = await stores.registrations.saveDraft(
    {
      userKey: 'zalo:1',
      channel: 'zalo',
      schemaVersion: 1,
      data: {
        facilityName: 'Cơ sở Gốm Minh Long, "Bát Tràng"',
        phone: '0912345678',
        budgetTotal: 1_200_000_000,
        supportArea: 'may-moc-thiet-bi',
      },
      province: 'Hà Nội',
      supportArea: 'may-moc-thiet-bi',
    },
    now,
  );
  await stores.registrations.submit(a.id, now);
  await stores.registrations.saveDraft(
    {
      userKey: 'zalo:2',
      channel: 'zalo',
      schemaVersion: 1,
      data: { facilityName: 'HTX Mây tre' },
      province: 'Ninh Bình',
    },
    now,
  );
  await stores.close();
});
afterAll(async () => {
  await database.drop();
});

const cli = (args: string[]) => runTs('adapters/console/registrations-cli.ts', args, { DATA_DIR: database.location });

describe('npm run registrations', () => {
  it('lists what was saved', async () => {
    const { code, stdout } = await cli(['list']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/KC-2026-000001\s+submitted\s+Hà Nội/);
    expect(stdout).toMatch(/\(nháp\)\s+draft\s+Ninh Bình/);
  });

  it('exports JSON: an array of records with normalised values', async () => {
    const { code, stdout } = await cli(['export', '--format', 'json', '--status', 'submitted']);
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as Record<string, unknown>[];
    expect(rows).toEqual([
      expect.objectContaining({
        code: 'KC-2026-000001',
        status: 'submitted',
        province: 'Hà Nội',
        submittedAt: '2026-11-26T03:00:00.000Z',
        data: expect.objectContaining({ budgetTotal: 1_200_000_000 }),
      }),
    ]);
    expect(stdout).not.toContain('zalo:1');
  });

  it('exports CSV with quoting and a byte-order mark, and XLSX readable by a spreadsheet', async () => {
    const csv = await cli(['export', '--format', 'csv']);
    expect(csv.stdout.startsWith('\ufeff"Mã đăng ký","Trạng thái","Tình trạng xử lý","Kênh",')).toBe(true);
    expect(csv.stdout).toContain('Ứng dụng máy móc thiết bị tiên tiến');
    expect(csv.stdout).toContain('"Cơ sở Gốm Minh Long, ""Bát Tràng"""');

    const out = join(database.location, 'export.xlsx');
    const xlsx = await cli(['export', '--format', 'xlsx', '--out', out]);
    expect(xlsx.code).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync(out) as unknown as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.rowCount).toBe(3);
    expect(sheet.getRow(1).values).toContain('Tên cơ sở');
    // Amounts stay numbers; the support area reads as its label.
    const header = sheet.getRow(1).values as unknown[];
    expect([2, 3].map((n) => sheet.getRow(n).getCell(header.indexOf('Tổng kinh phí')).value)).toContain(1_200_000_000);
  });

  it('writes one registration as a đề án outline in DOCX', async () => {
    const out = join(database.location, 'KC-2026-000001.docx');
    const { code } = await cli(['export', '--format', 'docx', '--id', 'kc-2026-000001', '--out', out]);
    expect(code).toBe(0);
    const zip = await JSZip.loadAsync(readFileSync(out));
    const xml = (await zip.file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, '');
    expect(xml).toContain('BẢN ĐĂNG KÝ ĐỀ ÁN KHUYẾN CÔNG');
    expect(xml).toContain('KC-2026-000001');
    expect(xml).toContain('Cơ sở Gốm Minh Long, &quot;Bát Tràng&quot;');
    expect(xml).toContain('1.200.000.000 đồng');
    expect(xml).toContain('Ứng dụng máy móc thiết bị tiên tiến');
    expect((await cli(['export', '--format', 'docx', '--id', 'KC-2026-999999', '--out', out])).code).toBe(1);
    expect((await cli(['export', '--format', 'docx'])).code).toBe(2);
  });

  it('records every export in the audit trail', async () => {
    const { stores } = await openStores({ dataDir: database.location });
    try {
      const audit = await stores.audit.list(10);
      expect(
        audit
          .filter((e) => e.action === 'registrations.export')
          .map((e) => e.details.format)
          .sort(),
      ).toEqual(['csv', 'docx', 'json', 'xlsx']);
    } finally {
      await stores.close();
    }
  });

  it('answers --help, and says where an export went', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run registrations -- list \| export/);
    const out = join(database.location, 'help-check.csv');
    const exported = await cli(['export', '--format', 'csv', '--out', out]);
    expect(exported.stderr).toContain(`exported 2 registration(s) as CSV to ${out}`);
  });

  it('refuses an unknown command or format', async () => {
    expect((await cli(['export', '--format', 'pdf'])).code).toBe(2);
    expect((await cli(['delete'])).code).toBe(2);
  });
});
