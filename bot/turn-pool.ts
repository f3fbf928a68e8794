import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WebchatActivity } from '../adapters/webchat/webchat-route.ts';
import type { LocalMessage } from '../adapters/local/in-process-adapter.ts';
import { hashKey, SharedLocks } from '../adapters/storage/shared-locks.ts';
import type { ZaloEvent } from '../adapters/zalo/index.ts';
import type { KnowledgeContent } from '../knowledge/index.ts';
import type { Logger } from './logger.ts';
import { applyMetricEvents, type MetricEvent, type MetricEvents } from './metrics.ts';
import type { RegistrationRecord } from './stores.ts';

/** What the main thread asks of a turn worker. */
export type ToWorker =
  | { type: 'webchat'; id: number; message: LocalMessage }
  | { type: 'zalo'; id: number; requestId?: string; event: ZaloEvent }
  | { type: 'reload'; content: KnowledgeContent }
  | { type: 'stop' };

/** What a turn worker tells the main thread; any message may carry the log lines written since the last. */
export type FromWorker = { logs?: string } & (
  | { type: 'ready' }
  | { type: 'failed'; error: string }
  | { type: 'done'; id: number; replies?: WebchatActivity[]; error?: string; metrics: MetricEvent[] }
  | { type: 'metrics'; metrics: MetricEvent[] }
  | { type: 'reloaded'; error?: string; metrics: MetricEvent[] }
  | { type: 'submitted'; record: RegistrationRecord }
);

/** What a turn worker starts with. */
export interface TurnWorkerData {
  /** The worker's number in the shared lock table (the main thread is 1). */
  owner: number;
  locks: SharedArrayBuffer;
  /** The knowledge content the main thread loaded and validated: every thread answers from the same. */
  content: KnowledgeContent;
}

interface Job {
  resolve(replies: WebchatActivity[] | undefined): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  owner: number;
  jobs: Map<number, Job>;
  /** Reloads asked of the worker and not yet answered, oldest first: each settles with the failure, if any. */
  reloads: ((error: string | undefined) => void)[];
}

/** The turn worker bundle that `npm run build` writes beside the server's. */
export const TURN_WORKER_ENTRY = new URL('../dist/server/turn-worker.mjs', import.meta.url);

/** The main thread's number in the shared lock table. */
export const MAIN_LOCK_OWNER = 1;

/**
 * Runs the bot's turns on worker threads, so a machine's cores share the work while the main
 * thread only serves HTTP. Every user goes to the same worker (by a hash of channel and user id),
 * so their turns keep their order and their message limit sees them all; the shared lock table
 * still guards a conversation's state across threads.
 */
export class TurnPool {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private closing = false;
  private readonly workerUrl: URL;
  private content: KnowledgeContent;

  constructor(
    private readonly options: {
      size: number;
      logger: Logger;
      locks: SharedArrayBuffer;
      metrics?: MetricEvents;
      /** Writes the workers' log lines (the main thread's own destination). */
      writeLogs?: (lines: string) => void;
      /** A registration confirmed on a worker (officers' notifications live on the main thread). */
      onSubmitted?: (record: RegistrationRecord) => Promise<void>;
      /** The worker's module; `npm run build` (and so `npm start`) builds the default. */
      workerUrl?: URL;
      /** The knowledge content, as the main thread loaded and validated it. */
      content: KnowledgeContent;
    },
  ) {
    this.workerUrl = options.workerUrl ?? TURN_WORKER_ENTRY;
    this.content = options.content;
  }

  /** Starts every worker and resolves when all have loaded the knowledge base and opened the store. */
  async start(): Promise<void> {
    if (!existsSync(this.workerUrl)) throw new Error(`cannot start the turn workers because ${fileURLToPath(this.workerUrl)} is missing: run npm run build`);
    await Promise.all(Array.from({ length: this.options.size }, (_, i) => this.spawn(i)));
  }

  /** Turns submitted and not yet finished. */
  pending(): number {
    return this.slots.reduce((n, slot) => n + slot.jobs.size, 0);
  }

  /** Workers running. */
  running(): number {
    return this.slots.filter((slot) => slot.worker.threadId >= 0).length;
  }

  /**
   * One web chat turn on its user's worker: a user's conversations share a worker, so the
   * per-user message limit counts all of them (a conversation's turns are serialised by the
   * shared turn lock in any case).
   */
  readonly webchat = async (message: LocalMessage): Promise<WebchatActivity[]> => {
    const replies = await this.submit(`webchat:${message.userId}`, (id) => ({ type: 'webchat', id, message }));
    return replies ?? [];
  };

  /** One Zalo event (delivered by request `requestId`) on its user's worker. */
  readonly zalo = async (event: ZaloEvent, requestId?: string): Promise<void> => {
    await this.submit(`zalo:${'userId' in event ? event.userId : ''}`, (id) => ({ type: 'zalo', id, requestId, event }));
  };

  /**
   * Gives every worker the content the main thread has just loaded and validated; a worker
   * started later (after a crash) starts from it too, never from files edited since. Resolves
   * once every worker has answered, with the workers that could not build it (they keep the
   * previous content) and why.
   */
  async reloadKnowledge(content: KnowledgeContent): Promise<{ worker: number; error: string }[]> {
    this.content = content;
    const outcomes = await Promise.all(
      this.slots.map(
        (slot) =>
          new Promise<{ worker: number; error: string } | undefined>((resolve) => {
            // A worker that could not be restarted answers nothing.
            if (slot.worker.threadId < 0) return resolve({ worker: slot.owner, error: 'worker not running' });
            slot.reloads.push((error) => resolve(error === undefined ? undefined : { worker: slot.owner, error }));
            slot.worker.postMessage({ type: 'reload', content } satisfies ToWorker);
          }),
      ),
    );
    return outcomes.filter((o) => o !== undefined);
  }

  /** Asks every worker to close its store and stop; workers still running after 5 s are ended. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(
      this.slots.map(
        ({ worker }) =>
          new Promise<void>((resolve) => {
            // A worker that could not be restarted has already exited, and will not again.
            if (worker.threadId < 0) return resolve();
            const timer = setTimeout(() => void worker.terminate(), 5_000);
            worker.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            worker.postMessage({ type: 'stop' } satisfies ToWorker);
          }),
      ),
    );
  }

  private submit(key: string, message: (id: number) => ToWorker): Promise<WebchatActivity[] | undefined> {
    const slot = this.slots[hashKey(key) % this.slots.length];
    if (!slot || this.closing) return Promise.reject(new Error('cannot run the turn because the turn workers are stopping'));
    // A worker that could not be restarted answers nothing; fail at once rather than hang.
    if (slot.worker.threadId < 0) return Promise.reject(new Error('cannot run the turn because its worker is not running'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      slot.jobs.set(id, { resolve, reject });
      try {
        slot.worker.postMessage(message(id));
      } catch (error) {
        // A message that cannot be cloned never reaches the worker: no answer will come for it,
        // and a job left waiting would hold every later shutdown for its whole grace period.
        slot.jobs.delete(id);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  private spawn(index: number): Promise<void> {
    const owner = MAIN_LOCK_OWNER + 1 + index;
    const worker = new Worker(this.workerUrl, { workerData: { owner, locks: this.options.locks, content: this.content } satisfies TurnWorkerData });
    const slot: Slot = { worker, owner, jobs: new Map(), reloads: [] };
    this.slots[index] = slot;
    return new Promise((resolve, reject) => {
      let started = false;
      worker.on('message', (message: FromWorker) => {
        if (message.logs) this.options.writeLogs?.(message.logs);
        switch (message.type) {
          case 'ready':
            started = true;
            resolve();
            return;
          case 'failed':
            reject(new Error(`cannot start a turn worker because ${message.error}`));
            return;
          case 'done': {
            if (this.options.metrics) applyMetricEvents(this.options.metrics, message.metrics);
            const job = slot.jobs.get(message.id);
            slot.jobs.delete(message.id);
            if (message.error !== undefined) job?.reject(new Error(message.error));
            else job?.resolve(message.replies);
            return;
          }
          case 'metrics':
            if (this.options.metrics) applyMetricEvents(this.options.metrics, message.metrics);
            return;
          case 'reloaded':
            if (this.options.metrics) applyMetricEvents(this.options.metrics, message.metrics);
            slot.reloads.shift()?.(message.error);
            return;
          case 'submitted':
            void this.options.onSubmitted?.(message.record).catch((err: unknown) => this.options.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'registration notification failed'));
            return;
        }
      });
      worker.on('error', (err) => {
        this.options.logger.error({ err: err.message, worker: owner }, 'turn worker failed');
        if (!started) reject(err);
      });
      worker.on('exit', (code) => {
        // A worker that died mid-turn: its turns fail (the HTTP caller gets an error), its locks
        // are freed, and a new worker takes its place.
        for (const job of slot.jobs.values()) job.reject(new Error('cannot finish the turn because its worker stopped'));
        slot.jobs.clear();
        // The worker that replaces it starts from the newest content, but this one never said.
        for (const settle of slot.reloads.splice(0)) settle(`worker stopped (code ${code}) before it answered`);
        SharedLocks.releaseOwner(this.options.locks, owner);
        if (!started) return reject(new Error(`cannot start a turn worker because it exited with code ${code}`));
        if (this.closing || this.slots[index] !== slot) return;
        this.options.logger.error({ worker: owner, code }, 'turn worker stopped; starting another');
        this.spawn(index).catch((err: unknown) => this.options.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'cannot restart a turn worker'));
      });
    });
  }
}
