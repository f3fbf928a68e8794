import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { toCsv, toExported, toXlsx } from '../../adapters/console/registrations-export.ts';
import type { RegistrationRecord } from '../../bot/stores.ts';

const HOSTILE = [
  '=HYPERLINK("https://evil.example","Bấm vào")',
  "+cmd|' /C calc'!A0",
  '-2+3',
  "@SUM(1+1)*cmd|' /C calc'!A0",
  '\t=1+1',
  '\r=1+1',
  '＝1+1',
];
// No formula at the start, but one after a separator that a spreadsheet may split on.
const SPLIT = 'Xưởng An;=1+2;-3+4';

/** The cells of a CSV as a spreadsheet program reads them with `separator` (quotes kept together). */
function readCsv(text: string, separator: string): string[][] {
  const rows: string[][] = [[]];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === separator || c === '\n') {
      rows.at(-1)!.push(cell);
      cell = '';
      if (c === '\n') rows.push([]);
    } else cell += c;
  }
  if (cell !== '') rows.at(-1)!.push(cell);
  return rows.filter((r) => r.length > 0);
}

function record(facilityName: string, n: number): RegistrationRecord {
  const at = new Date('2026-11-26T03:00:00Z');
  return {
    id: String(n),
    code: `KC-2026-00000${n}`,
    userKey: `zalo:${n}`,
    channel: 'zalo',
    status: 'submitted',
    schemaVersion: 1,
    province: 'Hà Nội',
    supportArea: null,
    data: { facilityName, budgetTotal: 1_200_000_000 },
    createdAt: at,
    updatedAt: at,
    submittedAt: at,
    stage: null,
    stageAt: null,
    corrections: {},
  };
}

describe('exports of registrations whose text looks like a spreadsheet formula', () => {
  const rows = toExported(HOSTILE.map((name, i) => record(name, i + 1)));

  it('neutralise every such CSV cell with a leading apostrophe and keep the rest as typed', () => {
    const table = readCsv(
      toCsv([...rows, ...toExported([record(SPLIT, 9)])])
        .toString('utf8')
        .replace(/^\ufeff/, ''),
      ',',
    );
    const column = table[0].indexOf('Tên cơ sở');
    expect(column).toBeGreaterThanOrEqual(0);
    expect(table.slice(1).map((r) => r[column])).toEqual([...HOSTILE.map((name) => `'${name}`), SPLIT]);
    expect(table[1][0]).toBe('KC-2026-000001');
  });

  it('quote every CSV field, so a spreadsheet that splits on ";" starts no cell with a formula', () => {
    const csv = toCsv(toExported([record(SPLIT, 1)]))
      .toString('utf8')
      .replace(/^\ufeff/, '');
    for (const separator of [',', ';']) {
      for (const cell of readCsv(csv, separator).flat()) expect(cell).not.toMatch(/^[=+\-@]/);
    }
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
