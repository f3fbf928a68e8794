import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { loadContentOrThrow } from '../../adapters/content/content-files.ts';
import { BUNDLED_CONTENT_DIR, createKnowledgeBase } from '../../knowledge/index.ts';
import { firstPick, readDevSet } from '../eval/evaluate.ts';
import { readOwnerMessages } from '../eval/owner-eval.ts';
import { benchContent } from './content-bench.ts';
import { benchStores } from './store-bench.ts';
import { benchTab, TAB_REGISTRATIONS } from './tab-bench.ts';
import { benchRegistrationTurns } from './registration-bench.ts';
import { benchTurnLayers } from './turn-bench.ts';
import { benchZalo, benchZaloQuota } from './zalo-bench.ts';

/**
 * `npm run bench`: per-question latency, index build time and memory of our retrieval beside
 * nlp.js (node-nlp) trained on the same knowledge base in the same process; the cold start of
 * `npm run ask`; the stores; what each layer of a turn costs; the officers' tab; the Zalo
 * webhook. Figures only: nothing here asserts a time.
 */
const ROUNDS = 5;
const content = loadContentOrThrow(BUNDLED_CONTENT_DIR);
const devSet = readDevSet();
const questions = devSet.map((q) => q.question);
const now = { now: new Date() };
const foldD = (s: string) => s.replace(/đ/g, 'd').replace(/Đ/g, 'D');

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
function heapMb(): number {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}
async function timeEach(fn: (q: string) => unknown): Promise<{ p50: number; p99: number; accuracy?: number }> {
  // As many rounds untimed first, so both engines are timed warm (optimised), as a running server is.
  for (let r = 0; r < ROUNDS; r++) for (const q of questions) await fn(q);
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const q of questions) {
      const t = performance.now();
      await fn(q);
      times.push(performance.now() - t);
    }
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

// Ours.
let heapBefore = heapMb();
let t0 = performance.now();
const kb = createKnowledgeBase(content, { timeZone: 'Asia/Ho_Chi_Minh' });
const oursBuildMs = performance.now() - t0;
const oursHeapMb = heapMb() - heapBefore;
for (const q of questions) kb.answer(q, now); // warm-up
const ours = await timeEach((q) => kb.answer(q, now));

// nlp.js, trained on the same questions, with đ folded as its normaliser does not.
const require = createRequire(import.meta.url);
const { NlpManager } = require('node-nlp') as {
  NlpManager: new (o: object) => {
    addDocument(l: string, t: string, i: string): void;
    train(): Promise<void>;
    process(l: string, t: string): Promise<{ intent: string; score: number }>;
  };
};
heapBefore = heapMb();
t0 = performance.now();
const manager = new NlpManager({
  languages: ['vi'],
  forceNER: false,
  autoSave: false,
  nlu: { log: false, useNoneFeature: true },
});
for (const e of content.entries) for (const q of [e.title, ...e.questions]) manager.addDocument('vi', foldD(q), e.id);
for (const q of content.outOfScope) manager.addDocument('vi', foldD(q), 'None');
await manager.train();
const nlpBuildMs = performance.now() - t0;
const nlpHeapMb = heapMb() - heapBefore;
for (const q of questions) await manager.process('vi', foldD(q));
const nlp = await timeEach((q) => manager.process('vi', foldD(q)));

// Accuracy on the same development set, for context: top-1 in scope, fallback out of scope.
function accuracy(pick: (q: string) => string | null) {
  let inScope = 0,
    inOk = 0,
    oos = 0,
    oosOk = 0;
  for (const q of devSet) {
    const got = pick(q.question);
    if (q.expected === null) {
      oos += 1;
      oosOk += got === null ? 1 : 0;
    } else {
      inScope += 1;
      inOk += got === q.expected ? 1 : 0;
    }
  }
  return `in-scope top-1 ${((inOk / inScope) * 100).toFixed(1)}%, out-of-scope fallback ${((oosOk / oos) * 100).toFixed(1)}%`;
}
const nlpPicks = new Map<string, string | null>();
for (const q of questions) {
  const r = await manager.process('vi', foldD(q));
  nlpPicks.set(q, r.intent === 'None' || r.score < 0.5 ? null : r.intent);
}
const oursAccuracy = accuracy((q) => firstPick(kb.answer(q, now)));
const nlpAccuracy = accuracy((q) => nlpPicks.get(q) ?? null);

// Cold start of `npm run ask` for one question (the tsx loader included), median of 3.
const root = fileURLToPath(new URL('../../', import.meta.url));
const starts: number[] = [];
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  spawnSync(process.execPath, ['--import', 'tsx', 'adapters/console/ask-cli.ts', '--jsonl'], {
    cwd: root,
    input: 'ai được hỗ trợ khuyến công\n',
    encoding: 'utf8',
  });
  starts.push(performance.now() - t);
}
starts.sort((a, b) => a - b);

const f = (x: number) => x.toFixed(3);
const out = process.stdout;
out.write(
  `Questions: ${questions.length} development questions × ${ROUNDS} rounds, in process, after as many untimed\n\n`,
);
out.write(
  `${'engine'.padEnd(28)}${'p50 ms'.padStart(10)}${'p99 ms'.padStart(10)}${'build ms'.padStart(10)}${'heap MB'.padStart(10)}\n`,
);
out.write(
  `${'ours (BM25 + naive Bayes)'.padEnd(28)}${f(ours.p50).padStart(10)}${f(ours.p99).padStart(10)}${oursBuildMs.toFixed(0).padStart(10)}${oursHeapMb.toFixed(1).padStart(10)}\n`,
);
out.write(
  `${'nlp.js (node-nlp)'.padEnd(28)}${f(nlp.p50).padStart(10)}${f(nlp.p99).padStart(10)}${nlpBuildMs.toFixed(0).padStart(10)}${nlpHeapMb.toFixed(1).padStart(10)}\n`,
);
out.write(
  `\nRatio nlp.js / ours: p50 ×${(nlp.p50 / ours.p50).toFixed(1)}, p99 ×${(nlp.p99 / ours.p99).toFixed(1)}, build ×${(nlpBuildMs / oursBuildMs).toFixed(1)}\n`,
);
out.write(`\nAccuracy, ours:   ${oursAccuracy}\nAccuracy, nlp.js: ${nlpAccuracy} (its default 0.5 threshold)\n`);
out.write(`npm run ask cold start (one question, median of 3): ${starts[1].toFixed(0)} ms\n`);

out.write('\nStores (bot state, as one turn reads and writes it):\n');
for (const line of await benchStores(process.env.TEST_DATABASE_URL ?? process.env.BENCH_DATABASE_URL))
  out.write(`${line}\n`);

out.write(
  `\nA Q&A turn, layer by layer (in process, one thread, SQLite; each row adds to the one before, except retrieval alone):\n`,
);
const owners = {
  situations: readOwnerMessages()
    .filter((m) => m.category === 'situation')
    .map((m) => m.text),
  topics: [
    'mô hình trình diễn kỹ thuật là gì',
    'hỗ trợ máy móc bao nhiêu',
    'hộ kinh doanh có được hỗ trợ không',
    'hạn nộp hồ sơ đề án',
  ],
  followUps: ['được bao nhiêu', 'còn dây chuyền thì sao', 'thế HTX thì sao', 'vậy năm nay thì sao'],
};
for (const line of await benchTurnLayers(questions, owners)) out.write(`${line}\n`);

out.write('\nThe registration form (in process, one thread, SQLite):\n');
for (const line of await benchRegistrationTurns()) out.write(`${line}\n`);

out.write(
  `\nOfficers' tab over ${TAB_REGISTRATIONS.toLocaleString('en')} registrations (SQLite, in process; a stall is how long other requests wait):\n`,
);
for (const line of await benchTab()) out.write(`${line}\n`);

out.write("\nCurators' content (in process): a draft checked against every question set, a version switched\n");
for (const line of await benchContent()) out.write(`${line}\n`);

out.write('\nZalo webhook (signed deliveries, autocannon):\n');
for (const line of await benchZalo()) out.write(`${line}\n`);

out.write('\nZalo under the OA package quota (a burst beyond it waits in the outbox; about two minutes):\n');
for (const line of await benchZaloQuota()) out.write(`${line}\n`);
