import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { toCsv, toExported, toXlsx } from '../../adapters/console/registrations-export.ts';
import type { RegistrationRecord } from '../../bot/stores.ts';

const HOSTILE = ['=HYPERLINK("https://evil.example","Bấm vào")', '+cmd|\' /C calc\'!A0', '-2+3', '@SUM(1+1)*cmd|\' /C calc\'!A0', '\t=1+1', '\r=1+1', '＝1+1'];

function record(facilityName: string, n: number): RegistrationRecord {
  const at = new Date('2026-11-26T03:00:00Z');
  return { id: String(n), code: `KC-2026-00000${n}`, userKey: `zalo:${n}`, channel: 'zalo', status: 'submitted', schemaVersion: 1, province: 'Hà Nội', supportArea: null, data: { facilityName, budgetTotal: 1_200_000_000 }, createdAt: at, updatedAt: at, submittedAt: at };
}

describe('exports of registrations whose text looks like a spreadsheet formula', () => {
  const rows = toExported(HOSTILE.map((name, i) => record(name, i + 1)));

  it('neutralise every such CSV cell with a leading apostrophe and keep the rest as typed', () => {
    const csv = toCsv(rows).toString('utf8');
    // Each cell as csv-stringify encodes it alone (quoted where it holds quotes, tabs or returns).
    const encoded = (value: string) => stringify([[value]], { record_delimiter: '' });
    const hasCell = (cell: string) => csv.includes(`,${cell},`) || csv.includes(`,${cell}\n`);
    for (const name of HOSTILE) {
      expect(hasCell(encoded(`'${name}`))).toBe(true);
      expect(hasCell(encoded(name))).toBe(false);
    }
    // Amounts stay numbers, and the codes are untouched.
    expect(csv).toContain(',1200000000,');
    expect(csv).toContain('\nKC-2026-000001,');
  });

  it('write them to XLSX as text cells, never as formulas', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await toXlsx(rows)) as unknown as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0];
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const column = header.indexOf('Tên cơ sở') + 1;
    for (let i = 0; i < HOSTILE.length; i++) {
      const cell = sheet.getRow(i + 2).getCell(column);
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      expect(cell.formula).toBeUndefined();
    }
  });
});
