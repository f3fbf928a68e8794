import { PassThrough, type Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { RegistrationRecord } from '../../bot/stores.ts';
import { effectiveData, stageOf } from '../../bot/registration-work.ts';
import { formatField, REGISTRATION_FIELDS, STAGE_LABELS, type Stage } from '../../dialogs/index.ts';

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
  /** Where the Sở's work on it is ('draft' while its owner fills it in). */
  stage: string;
  /** The owner's answers with officers' corrections over them. */
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
    stage: stageOf(r),
    data: effectiveData(r),
  }));
}

/** The record's own columns, with their Vietnamese headers. */
const FIXED: [keyof ExportedRegistration, string][] = [
  ['code', 'Mã đăng ký'],
  ['status', 'Trạng thái'],
  ['stage', 'Tình trạng xử lý'],
  ['channel', 'Kênh'],
  ['schemaVersion', 'Phiên bản mẫu'],
  ['createdAt', 'Tạo lúc'],
  ['updatedAt', 'Cập nhật lúc'],
  ['submittedAt', 'Gửi lúc'],
];
const STATUS: Record<string, string> = { draft: 'Nháp', submitted: 'Đã gửi' };
const AMOUNTS = new Set(['budgetTotal', 'budgetRequested', 'budgetCounterpart', 'budgetOther']);

// Made once: building a formatter costs more than formatting a whole row.
const VIETNAM_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Ho_Chi_Minh',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** "26/11/2026 10:00" in Vietnam time, as officers read dates. */
function vietnamTime(iso: string | null): string {
  if (!iso) return '';
  const parts = VIETNAM_TIME.formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('day')}/${get('month')}/${get('year')} ${get('hour')}:${get('minute')}`;
}

/**
 * Header and rows for spreadsheets: Vietnamese headers and labels from the registration's one
 * catalogue, in its order; amounts as numbers; dates in Vietnam time; keys the catalogue does not
 * know (an older form's) after the rest, as stored.
 */
export function toTable(
  rows: ExportedRegistration[],
  columns?: { extraKeys: string[] },
): { header: string[]; body: unknown[][] } {
  const known = new Set<string>(REGISTRATION_FIELDS.map((f) => f.key));
  const extraKeys =
    columns?.extraKeys ?? [...new Set(rows.flatMap((r) => Object.keys(r.data)))].filter((k) => !known.has(k)).sort();
  const raw = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : v);
  const fixedCell = (r: ExportedRegistration, key: keyof ExportedRegistration) =>
    key === 'status'
      ? (STATUS[r.status] ?? r.status)
      : key === 'stage'
        ? (STAGE_LABELS[r.stage as Stage] ?? r.stage)
        : key === 'createdAt' || key === 'updatedAt' || key === 'submittedAt'
          ? vietnamTime(r[key])
          : raw(r[key]);
  const dataCell = (r: ExportedRegistration, key: string) => {
    const v = r.data[key];
    if (v === undefined) return '';
    if (AMOUNTS.has(key) && typeof v === 'number') return v;
    return formatField(key as (typeof REGISTRATION_FIELDS)[number]['key'], r.data);
  };
  return {
    header: [...FIXED.map(([, label]) => label), ...REGISTRATION_FIELDS.map((f) => f.label), ...extraKeys],
    body: rows.map((r) => [
      ...FIXED.map(([key]) => fixedCell(r, key)),
      ...REGISTRATION_FIELDS.map((f) => dataCell(r, f.key)),
      ...extraKeys.map((k) => raw(r.data[k])),
    ]),
  };
}

// A cell that starts with one of these is read as a formula by spreadsheet programs (OWASP's
// list, with the full-width forms that some locales also read).
const FORMULA_START = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;

/**
 * A text cell that a spreadsheet program will show as text: one that starts like a formula gets a
 * leading apostrophe, as OWASP recommends against CSV injection ("=HYPERLINK(…)" typed as a
 * facility name would otherwise run on an officer's computer). Numbers are left as they are.
 */
export function neutraliseFormula(value: unknown): unknown {
  return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;
}

/** CSV with a byte-order mark so spreadsheet programs read Vietnamese correctly. */
export function toCsv(rows: ExportedRegistration[]): Buffer {
  const { header, body } = toTable(rows);
  // Every field quoted: a spreadsheet that splits on another separator (';' under a Vietnamese
  // locale) then keeps "Xưởng An;=1+2" in one cell instead of starting a cell with a formula.
  return Buffer.from(
    `\ufeff${stringify([header, ...body.map((row) => row.map(neutraliseFormula))], { quoted: true })}`,
    'utf8',
  );
}

/**
 * Writes an XLSX workbook to `out` as its rows arrive, a batch at a time (the registrations read a
 * page at a time from the store), handing the thread back between slices: neither the rows nor the
 * file are ever whole in memory. The columns are the catalogue's, with the unknown keys of the first
 * batch. Returns how many rows were written.
 */
export async function writeXlsx(batches: AsyncIterable<ExportedRegistration[]>, out: Writable): Promise<number> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet('Đăng ký khuyến công', { views: [{ state: 'frozen', ySplit: 1 }] });
  let columns: { extraKeys: string[] } | undefined;
  let written = 0;
  for await (const batch of batches) {
    if (!columns) {
      columns = { extraKeys: [] };
      const known = new Set<string>(REGISTRATION_FIELDS.map((f) => f.key));
      columns.extraKeys = [...new Set(batch.flatMap((r) => Object.keys(r.data)))].filter((k) => !known.has(k)).sort();
      const top = sheet.addRow(toTable([], columns).header);
      top.font = { bold: true };
      top.commit();
    }
    // Formatting a row costs about as much as writing it: both happen a slice at a time.
    for (let start = 0; start < batch.length; start += STREAM_SLICE) {
      const { body } = toTable(batch.slice(start, start + STREAM_SLICE), columns);
      for (const row of body) sheet.addRow(row).commit();
      written += body.length;
      await new Promise(setImmediate);
    }
  }
  if (!columns) {
    const top = sheet.addRow(toTable([], { extraKeys: [] }).header);
    top.font = { bold: true };
    top.commit();
  }
  sheet.commit();
  await workbook.commit();
  return written;
}

/** Rows formatted and written between two yields of a streamed export. */
const STREAM_SLICE = 50;

/** Rows written between two yields to the event loop: a few milliseconds of work. */
const XLSX_ROWS_PER_SLICE = 200;

/**
 * An XLSX workbook with one sheet. It is written row by row with exceljs's streaming writer,
 * handing the thread back between slices of rows, so a large export on a server's main thread
 * delays the other requests by a slice, not by the whole file.
 */
export async function toXlsx(rows: ExportedRegistration[]): Promise<Buffer> {
  const { header, body } = toTable(rows);
  // exceljs is large; it is loaded on the first export, not at start.
  const { default: ExcelJS } = await import('exceljs');
  const chunks: Buffer[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise((resolve, reject) => stream.on('end', resolve).on('error', reject));
  // Awaited once the rows are written; a stream error before then must not go unhandled meanwhile.
  ended.catch(() => undefined);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet('Đăng ký khuyến công', { views: [{ state: 'frozen', ySplit: 1 }] });
  const top = sheet.addRow(header);
  top.font = { bold: true };
  top.commit();
  for (let i = 0; i < body.length; i++) {
    sheet.addRow(body[i]).commit();
    if ((i + 1) % XLSX_ROWS_PER_SLICE === 0) await new Promise(setImmediate);
  }
  sheet.commit();
  await workbook.commit();
  await ended;
  return Buffer.concat(chunks);
}
