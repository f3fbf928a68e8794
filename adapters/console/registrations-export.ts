import { stringify } from 'csv-stringify/sync';
import type { RegistrationRecord } from '../../bot/stores.ts';

/** A registration as exports show it: normalised values, dates in ISO 8601, no channel user id. */
export interface ExportedRegistration {
  code: string | null;
  status: string;
  channel: string;
  province: string | null;
  supportArea: string | null;
  schemaVersion: number;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  data: Record<string, unknown>;
}

/** Maps stored records to their exported form. */
export function toExported(records: RegistrationRecord[]): ExportedRegistration[] {
  return records.map((r) => ({
    code: r.code,
    status: r.status,
    channel: r.channel,
    province: r.province,
    supportArea: r.supportArea,
    schemaVersion: r.schemaVersion,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    submittedAt: r.submittedAt?.toISOString() ?? null,
    data: r.data,
  }));
}

const FIXED = ['code', 'status', 'channel', 'province', 'supportArea', 'schemaVersion', 'createdAt', 'updatedAt', 'submittedAt'] as const;

/** Header and rows with the form's fields flattened into columns after the fixed ones. */
export function toTable(rows: ExportedRegistration[]): { header: string[]; body: unknown[][] } {
  const dataKeys = [...new Set(rows.flatMap((r) => Object.keys(r.data)))].sort();
  const cell = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : v);
  return {
    header: [...FIXED, ...dataKeys],
    body: rows.map((r) => [...FIXED.map((k) => cell(r[k])), ...dataKeys.map((k) => cell(r.data[k]))]),
  };
}

/** CSV with a byte-order mark so spreadsheet programs read Vietnamese correctly. */
export function toCsv(rows: ExportedRegistration[]): Buffer {
  const { header, body } = toTable(rows);
  return Buffer.from(`\ufeff${stringify([header, ...body])}`, 'utf8');
}

/** An XLSX workbook with one sheet. */
export async function toXlsx(rows: ExportedRegistration[]): Promise<Buffer> {
  const { header, body } = toTable(rows);
  // exceljs is large; it is loaded on the first export, not at start.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Đăng ký khuyến công');
  sheet.addRow(header).font = { bold: true };
  for (const row of body) sheet.addRow(row);
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
