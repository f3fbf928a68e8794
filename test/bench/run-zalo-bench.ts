import { benchZalo, benchZaloQuota } from './zalo-bench.ts';

/**
 * The Zalo parts of `npm run bench` alone (`node --import tsx test/bench/run-zalo-bench.ts`):
 * the webhook under signed deliveries with the calls per answer, and a burst under the quota.
 */
process.stdout.write('Zalo webhook (signed deliveries, autocannon):\n');
for (const line of await benchZalo()) process.stdout.write(`${line}\n`);
process.stdout.write('\nZalo under the OA package quota (a burst beyond it waits in the outbox; about two minutes):\n');
for (const line of await benchZaloQuota()) process.stdout.write(`${line}\n`);
