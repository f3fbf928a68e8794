import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../bot/config.ts';
import { openStores } from '../storage/open-stores.ts';
import { runTool } from './boot.ts';
import { registrationDocx } from './registration-docx.ts';
import { toCsv, toExported, toXlsx } from './registrations-export.ts';

const USAGE =
  'usage: npm run registrations -- list | export --format json|csv|xlsx [--out FILE] [--status draft|submitted] [--province P] | export --format docx --id KC-YYYY-NNNNNN [--out FILE]';

/** `npm run registrations -- list | export …` against the configured store. */
async function registrations(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'json' },
      out: { type: 'string' },
      status: { type: 'string' },
      province: { type: 'string' },
      id: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals[0] === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const command = positionals[0];
  const format = values.format;
  const status = values.status === 'draft' || values.status === 'submitted' ? values.status : undefined;
  const docx = command === 'export' && format === 'docx';
  if (
    (command !== 'list' && command !== 'export') ||
    (!['json', 'csv', 'xlsx'].includes(format) && !docx) ||
    (values.status && !status) ||
    (docx && !values.id)
  ) {
    process.stderr.write(`${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if ((format === 'xlsx' || docx) && command === 'export' && !values.out && process.stdout.isTTY) {
    process.stderr.write('an XLSX or DOCX file is binary: give --out FILE or redirect stdout\n');
    process.exitCode = 2;
    return;
  }
  const config = loadConfig();
  const { stores } = await openStores({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    if (docx) {
      const record = await stores.registrations.getByCode(values.id!);
      if (!record) {
        process.stderr.write(`no registration with the code ${values.id}\n`);
        process.exitCode = 1;
        return;
      }
      const output = await registrationDocx(record);
      if (values.out) writeFileSync(values.out, output);
      else process.stdout.write(output);
      process.stderr.write(`exported ${record.code} as DOCX to ${values.out ?? 'stdout'}\n`);
      await stores.audit.record(
        {
          action: 'registrations.export',
          actor: 'cli',
          details: { format: 'docx', code: record.code, out: values.out ?? 'stdout' },
        },
        new Date(),
      );
      return;
    }
    const records = toExported(await stores.registrations.list({ status, province: values.province, limit: 100_000 }));
    if (command === 'list') {
      for (const r of records) {
        process.stdout.write(
          `${(r.code ?? '(nháp)').padEnd(16)} ${r.status.padEnd(10)} ${(r.province ?? '-').padEnd(18)} ${(r.supportArea ?? '-').padEnd(20)} ${r.updatedAt}\n`,
        );
      }
      process.stderr.write(`${records.length} registration(s) in ${stores.engine}\n`);
      return;
    }
    const output =
      format === 'json'
        ? Buffer.from(`${JSON.stringify(records, null, 2)}\n`)
        : format === 'csv'
          ? toCsv(records)
          : await toXlsx(records);
    if (values.out) writeFileSync(values.out, output);
    else process.stdout.write(output);
    await stores.audit.record(
      {
        action: 'registrations.export',
        actor: 'cli',
        details: {
          format,
          count: records.length,
          out: values.out ?? 'stdout',
          status: status ?? 'all',
          province: values.province ?? 'all',
        },
      },
      new Date(),
    );
    process.stderr.write(
      `exported ${records.length} registration(s) as ${format.toUpperCase()} to ${values.out ?? 'stdout'}\n`,
    );
  } finally {
    await stores.close();
  }
}

runTool(() => registrations(process.argv.slice(2)));
