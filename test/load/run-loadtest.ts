import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon, { type Request as AutocannonRequest } from 'autocannon';
import pg from 'pg';
import { buildAssets } from '../../adapters/web/build-assets.ts';
import { zaloSignature } from '../../adapters/zalo/zalo-signature.ts';
import { bundleServer } from '../../adapters/web/server-bundle.ts';
import { readDevSet } from '../eval/evaluate.ts';
import { runTsServer, startServerProcess, type ServerProcess } from '../helpers/processes.ts';
import { ZaloStandIn } from '../helpers/zalo-standin.ts';

/**
 * `npm run loadtest [-- --smoke] [-- --soak SECONDS] [-- --no-build]`: drives the real server (`npm start`'s
 * bundle, its own process) with autocannon — Q&A and registration turns over /api/webchat, signed
 * Zalo deliveries — beside a bare node:http server in its own process under the same load
 * generator, on SQLite and, when TEST_DATABASE_URL is set, PostgreSQL. Prints figures; asserts
 * nothing.
 */
const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const soakSeconds = args.includes('--soak') ? Number(args[args.indexOf('--soak') + 1] ?? 300) : 0;
const seconds = smoke ? 1 : 5;
// Every development question (in scope and out of scope, with and without diacritics), so the
// load is as varied as real users rather than a few questions answered again and again.
const QUESTIONS = readDevSet().map((q) => q.question);
const FORM = [
  'tôi muốn đăng ký',
  'điền luôn',
  'Cơ sở Mộc Hưng',
  'Hộ kinh doanh',
  '0101234567',
  'Bắc Giang',
  'xã Tân Mỹ',
  'thôn Đông',
  'Lê Văn Hưng',
  '0912 345 678',
  'bỏ qua',
  '2',
];
const out = (line: string) => process.stdout.write(`${line}\n`);

interface Result {
  rps: number;
  p50: number;
  p99: number;
  /** Requests answered 2xx. */
  ok: number;
  /** 503 answers: the Zalo webhook's back-pressure, which Zalo meets by delivering again. */
  busy: number;
  /** Everything else that went wrong: network errors, timeouts, other non-2xx answers. */
  errors: number;
}

async function cannon(
  url: string,
  connections: number,
  duration: number,
  requests: AutocannonRequest[],
  overallRate?: number,
): Promise<Result> {
  const r = await autocannon({ url, connections, duration, requests, ...(overallRate ? { overallRate } : {}) });
  const busy = r['5xx'];
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    ok: r['2xx'],
    busy,
    errors: r.errors + r.timeouts + r.non2xx - busy,
  };
}

const webchat = (texts: string[]): AutocannonRequest[] =>
  texts.map((text, i) => ({
    method: 'POST',
    path: '/api/webchat',
    headers: { 'content-type': 'application/json' },
    setupRequest: (req, ctx) => {
      const context = ctx as Record<string, unknown>;
      // A new conversation each time round the list: a form starts over, a question is fresh.
      if (i === 0 || !context.conversationId) context.conversationId = randomUUID();
      return {
        ...req,
        body: JSON.stringify({
          conversationId: context.conversationId,
          userId: String(context.conversationId),
          text: texts.length === 1 ? QUESTIONS[Math.floor(Math.random() * QUESTIONS.length)] : text,
        }),
      };
    },
  }));

/** CPU seconds so far: the server's main thread and its other threads, this process (load generator, Zalo stand-in), the machine. */
interface CpuTimes {
  main: number;
  other: number;
  generator: number;
  machineBusy: number;
}

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const TICKS = 100;

/** Reads CPU times from /proc; undefined where there is none (not Linux). */
function cpuTimes(pid: number | undefined): CpuTimes | undefined {
  if (pid === undefined) return undefined;
  try {
    let main = 0;
    let other = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // Fields after the command name: state is the first, utime and stime the 12th and 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS;
      if (Number(tid) === pid) main += seconds;
      else other += seconds;
    }
    const machine = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = machine[3] + machine[4];
    const { user, system } = process.cpuUsage();
    return {
      main,
      other,
      generator: (user + system) / 1e6,
      machineBusy: (machine.reduce((a, b) => a + b, 0) - idle) / TICKS,
    };
  } catch {
    return undefined;
  }
}

/** Where the CPU went per answered request between two readings, and how busy the machine was. */
function cpuLine(
  before: CpuTimes | undefined,
  after: CpuTimes | undefined,
  requests: number,
  seconds: number,
): string | undefined {
  if (!before || !after || requests === 0) return undefined;
  const perRequest = (s: number) => Math.round((s * 1e6) / requests);
  const main = perRequest(after.main - before.main);
  const other = perRequest(after.other - before.other);
  const busy = (((after.machineBusy - before.machineBusy) / seconds) * 100).toFixed(0);
  return `${'  CPU per request'.padEnd(38)} server ${main + other} µs (main thread ${main}, other threads ${other}: V8's collector, libuv)   load generator ${perRequest(after.generator - before.generator)} µs   machine ${busy}% busy of ${availableParallelism() * 100}%`;
}

/** The servers here have Zalo's credentials, so /metrics asks for its token. */
const METRICS_TOKEN = 'loadtest-metrics-token-5e0c1a';

async function rss(server: ServerProcess): Promise<number> {
  const text = await (
    await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
  ).text();
  return Number(/process_resident_memory_bytes (\d+)/.exec(text)?.[1] ?? 0) / 1024 / 1024;
}

const row = (name: string, r: Result, bare?: number) =>
  `${name.padEnd(38)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   errors ${r.errors}${r.busy ? `   busy (503) ${r.busy}` : ''}${bare ? `   (${((r.rps / bare) * 100).toFixed(1)}% of bare node:http)` : ''}`;

async function run(label: string, env: Record<string, string>, bareRps: number, zalo: ZaloStandIn): Promise<void> {
  // The per-user limit stays on, as in production; the per-address one is off, since every
  // request of the load test comes from one address.
  const server = await startServerProcess({ WEBCHAT_REQUESTS_PER_MINUTE: '0', METRICS_TOKEN, ...env });
  try {
    const before = await rss(server);
    out(`\n${label}`);
    // Warm-up, not measured: a fresh server's first seconds are spent compiling its hot code.
    await cannon(server.url, 16, smoke ? 1 : 3, webchat(['q']));
    const measure = async (name: string, drive: () => Promise<Result>, bare?: number) => {
      const cpuBefore = cpuTimes(server.child.pid);
      const started = performance.now();
      const result = await drive();
      const cpu = cpuLine(cpuBefore, cpuTimes(server.child.pid), result.ok, (performance.now() - started) / 1000);
      out(`${row(name, result, bare)}   RSS ${(await rss(server)).toFixed(0)} MB`);
      if (cpu) out(cpu);
    };
    await measure('Q&A turns, 16 connections', () => cannon(server.url, 16, seconds, webchat(['q'])), bareRps);
    await measure('Q&A turns, sequential (1 conn.)', () => cannon(server.url, 1, seconds, webchat(['q'])));
    await measure('registration turns, 16 connections', () => cannon(server.url, 16, seconds, webchat(FORM)), bareRps);
    // Zalo: acknowledgements at a steady 500 deliveries/s (every one must be answered), then
    // flat out, where the webhook sheds what it cannot queue with 503 and Zalo delivers again.
    let n = 0;
    const delivery: AutocannonRequest = {
      method: 'POST',
      path: '/api/zalo/webhook',
      setupRequest: (req) => {
        n += 1;
        const event = {
          app_id: '42',
          event_name: 'user_send_text',
          sender: { id: `load-${n % 5000}` },
          recipient: { id: 'oa' },
          message: { text: QUESTIONS[n % QUESTIONS.length], msg_id: `${label}-${n}-${randomUUID()}` },
          timestamp: String(Date.now()),
        };
        const raw = JSON.stringify(event);
        return {
          ...req,
          body: raw,
          headers: {
            'content-type': 'application/json',
            'x-zevent-signature': `mac=${zaloSignature('42', Buffer.from(raw), event.timestamp, 'k')}`,
          },
        };
      },
    };
    const zaloRuns: [string, number | undefined][] = [['signed Zalo deliveries at 500/s (ack)', 500]];
    if (!smoke) zaloRuns.push(['signed Zalo deliveries flat out (ack)', undefined]);
    for (const [name, rate] of zaloRuns) {
      const sentBefore = zalo.sent.length;
      const result = await cannon(server.url, 16, seconds, [delivery], rate);
      out(row(name, result));
      await zalo.waitForSent(sentBefore + result.ok, 60_000);
      out(
        `${'  replies sent to the Zalo stand-in'.padEnd(38)} ${zalo.sent.length - sentBefore} (deliveries acknowledged: ${result.ok})   RSS ${(await rss(server)).toFixed(0)} MB`,
      );
    }
    const after = await rss(server);
    out(`RSS: ${before.toFixed(0)} MB before, ${after.toFixed(0)} MB after`);
    if (soakSeconds > 0) {
      // Windows of 30 s: two thirds Q&A, one third registration turns, whose drafts and submitted
      // registrations pile up in the store as they would over months; throughput that fell from
      // window to window would show a cost that grows with the data kept.
      const samples: number[] = [after];
      const qa: number[] = [];
      const registration: number[] = [];
      let errors = 0;
      for (let t = 0; t < soakSeconds; t += 30) {
        const window = Math.min(30, soakSeconds - t);
        const questions = await cannon(server.url, 8, Math.max(1, Math.round((window * 2) / 3)), webchat(['q']));
        const forms = await cannon(server.url, 8, Math.max(1, Math.round(window / 3)), webchat(FORM));
        qa.push(questions.rps);
        registration.push(forms.rps);
        errors += questions.errors + forms.errors;
        samples.push(await rss(server));
      }
      // Halves rather than first and last window: a single window on a shared machine swings by ±20%.
      const mean = (series: number[]) => series.reduce((a, b) => a + b, 0) / series.length;
      const change = (series: number[]) => {
        const half = Math.floor(series.length / 2);
        if (half === 0) return 'one window';
        const [first, second] = [mean(series.slice(0, half)), mean(series.slice(series.length - half))];
        return `second half against first ${(((second - first) / first) * 100).toFixed(1)}%`;
      };
      const list = (series: number[]) => series.map((s) => s.toFixed(0)).join(' → ');
      const growth = ((samples.at(-1)! - samples[1]) / samples[1]) * 100;
      out(`soak ${soakSeconds} s, 8 connections, errors ${errors}:`);
      out(`  Q&A turns/s per window: ${list(qa)} (${change(qa)})`);
      out(`  registration turns/s per window: ${list(registration)} (${change(registration)})`);
      out(`  RSS ${samples.map((s) => s.toFixed(0)).join(' → ')} MB (growth after warm-up ${growth.toFixed(1)}%)`);
    }
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  // The test run builds once for all its servers; rebuilding here would pull files from under them.
  if (!args.includes('--no-build')) await Promise.all([buildAssets(), bundleServer()]);
  const bare = await runTsServer('test/load/bare-server.ts');
  const bareResult = await cannon(bare.url, 16, seconds, [
    { method: 'POST', path: '/', body: '{"text":"x"}', headers: { 'content-type': 'application/json' } },
  ]);
  await bare.stop();
  out(row('bare node:http (peer baseline)', bareResult));
  const zalo = new ZaloStandIn();
  await zalo.start();
  const zaloEnv = {
    ZALO_APP_ID: '42',
    ZALO_APP_SECRET: zalo.appSecret,
    ZALO_OA_SECRET_KEY: 'k',
    ZALO_OA_ACCESS_TOKEN: 'at-initial',
    ZALO_API_BASE_URL: zalo.url,
    ZALO_OAUTH_BASE_URL: zalo.url,
    ZALO_REQUESTS_PER_MINUTE: '100000',
  };
  const dir = mkdtempSync(join(tmpdir(), 'kc-load-'));
  try {
    await run('SQLite', { DATA_DIR: mkdtempSync(join(dir, 'sqlite-')), ...zaloEnv }, bareResult.rps, zalo);
    const admin = process.env.TEST_DATABASE_URL;
    if (admin && !smoke) {
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      try {
        const name = `kc_load_${Date.now()}`;
        await client.query(`CREATE DATABASE ${name}`);
        const url = new URL(admin);
        url.pathname = `/${name}`;
        try {
          await run('PostgreSQL', { DATABASE_URL: url.toString(), DATA_DIR: dir, ...zaloEnv }, bareResult.rps, zalo);
        } finally {
          await client.query(`DROP DATABASE ${name} WITH (FORCE)`);
        }
      } finally {
        await client.end();
      }
    } else if (!smoke) {
      out('\nPostgreSQL: skipped (set TEST_DATABASE_URL to include it)');
    }
  } finally {
    await zalo.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`load test failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
