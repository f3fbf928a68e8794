import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { hashKey, SharedLocks } from '../../../adapters/storage/shared-locks.ts';
import { useTempDirs } from '../../helpers/temp-dirs.ts';

const tempDir = useTempDirs('kc-locks');

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

/** Two keys that land in different slots of a table of `size`. */
function keysInDifferentSlots(size: number): [string, string] {
  for (let i = 1; ; i++) if (hashKey('a') % size !== hashKey(`b${i}`) % size) return ['a', `b${i}`];
}

describe('locks shared by threads', () => {
  it('makes a second owner wait for the key until the first releases it', async () => {
    const buffer = SharedLocks.createBuffer(64);
    const first = new SharedLocks(buffer, 1);
    const second = new SharedLocks(buffer, 2);
    const order: string[] = [];
    let release!: () => void;
    const holding = first.run('webchat:c1', async () => {
      order.push('first in');
      await new Promise<void>((r) => (release = r));
      order.push('first out');
    });
    await tick();
    const waiting = second.run('webchat:c1', async () => void order.push('second in'));
    await tick(20);
    expect(order).toEqual(['first in']);
    release();
    await Promise.all([holding, waiting]);
    expect(order).toEqual(['first in', 'first out', 'second in']);
  });

  it('lets different slots run at once, and a thread take a slot it already holds without waiting for itself', async () => {
    const buffer = SharedLocks.createBuffer(8);
    const [a, b] = keysInDifferentSlots(8);
    const one = new SharedLocks(buffer, 1);
    const two = new SharedLocks(buffer, 2);
    let inside = 0;
    let most = 0;
    const hold = async () => {
      inside += 1;
      most = Math.max(most, inside);
      await tick(20);
      inside -= 1;
    };
    await Promise.all([one.run(a, hold), two.run(b, hold)]);
    expect(most).toBe(2);
    // Nested on the same key (so surely the same slot): no deadlock.
    await expect(one.run(a, () => one.run(a, async () => 'nested'))).resolves.toBe('nested');
  });

  it('keeps the slot taken while one of its thread’s tasks still waits for it', async () => {
    const buffer = SharedLocks.createBuffer(4);
    const mine = new SharedLocks(buffer, 1);
    const other = new SharedLocks(buffer, 2);
    const log: string[] = [];
    let release!: () => void;
    const held = other.run('k', async () => {
      await new Promise<void>((r) => (release = r));
      log.push('other done');
    });
    await tick();
    // Two tasks of this thread wait; neither may run before the other thread lets go.
    const t1 = mine.run('k', async () => void log.push('mine 1'));
    const t2 = mine.run('k', async () => void log.push('mine 2'));
    await tick(20);
    expect(log).toEqual([]);
    release();
    await Promise.all([held, t1, t2]);
    expect(log[0]).toBe('other done');
    expect(log).toHaveLength(3);
  });

  it('frees the slots of an owner that died holding them', async () => {
    const buffer = SharedLocks.createBuffer(16);
    const slots = new Int32Array(buffer);
    // A worker takes a lock and exits without releasing it (as a crashed thread would).
    const worker = new Worker(`const { workerData } = require('node:worker_threads'); const s = new Int32Array(workerData); Atomics.store(s, 3, 7);`, { eval: true, workerData: buffer });
    await new Promise((r) => worker.once('exit', r));
    expect(slots[3]).toBe(7);
    expect(SharedLocks.releaseOwner(buffer, 7)).toBe(1);
    expect(slots[3]).toBe(0);
  });

  it('serialises a key between real worker threads', async () => {
    // The class itself, bundled for workers (they have no TypeScript loader).
    const dir = tempDir();
    await build({ entryPoints: [fileURLToPath(new URL('../../../adapters/storage/shared-locks.ts', import.meta.url))], outfile: join(dir, 'shared-locks.mjs'), bundle: true, format: 'esm', platform: 'node', logLevel: 'warning' });
    writeFileSync(
      join(dir, 'worker.mjs'),
      `import { workerData, parentPort } from 'node:worker_threads';
       import { SharedLocks } from './shared-locks.mjs';
       const locks = new SharedLocks(workerData.buffer, workerData.owner);
       const counter = new Int32Array(workerData.counter);
       for (let i = 0; i < 200; i++) {
         // A read-modify-write with a pause in the middle: without the lock, updates are lost.
         await locks.run('webchat:shared', async () => { const v = counter[0]; await new Promise((r) => setImmediate(r)); counter[0] = v + 1; });
       }
       parentPort.postMessage('done');`,
    );
    const buffer = SharedLocks.createBuffer(16);
    const counter = new Int32Array(new SharedArrayBuffer(8));
    const workers = [2, 3].map((owner) => new Worker(join(dir, 'worker.mjs'), { workerData: { buffer, counter: counter.buffer, owner } }));
    await Promise.all(workers.map((w) => new Promise((resolve, reject) => w.once('message', resolve).once('error', reject).once('exit', (code) => reject(new Error(`worker exited early (${code})`))))));
    await Promise.all(workers.map((w) => w.terminate()));
    expect(counter[0]).toBe(400);
  });
});
