import { parentPort, workerData } from 'node:worker_threads';
import { openStores } from '../adapters/storage/open-stores.ts';
import { SharedLocks } from '../adapters/storage/shared-locks.ts';
import { webchatTurns } from '../adapters/webchat/webchat-turns.ts';
import { createZaloTurns } from '../adapters/zalo/index.ts';
import type { KnowledgeContent } from '../knowledge/index.ts';
import { loadConfig } from './config.ts';
import { collectLines, createLogger } from './logger.ts';
import { recordingMetrics, type MetricEvent } from './metrics.ts';
import { createRuntime } from './runtime.ts';
import type { FromWorker, ToWorker, TurnWorkerData } from './turn-pool.ts';

/**
 * A turn worker: its own knowledge base (built from the content the main thread loaded), dialogs
 * and connection to the store, running the web chat and Zalo turns the main thread hands it.
 * Configuration comes from the same environment.
 */
async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('cannot run a turn worker because this is not a worker thread');
  // Log lines travel to the main thread with the next message; it alone writes standard output.
  const lines: string[] = [];
  const post = (message: FromWorker) => port.postMessage(lines.length > 0 ? { ...message, logs: lines.splice(0).join('') } : message);
  const { owner, locks, content } = workerData as TurnWorkerData;
  try {
    const config = loadConfig();
    const logger = createLogger(config.LOG_LEVEL, collectLines(lines)).child({ worker: owner });
    const { storage, stores } = await openStores({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, sharedLocks: new SharedLocks(locks, owner) });
    const events: MetricEvent[] = [];
    const metrics = recordingMetrics(events);
    const runtime = createRuntime({ config, logger, content, storage, stores, metrics, userMessagesPerMinute: config.USER_MESSAGES_PER_MINUTE });
    runtime.onRegistrationSubmitted(async (record) => post({ type: 'submitted', record }));
    const webchat = webchatTurns(runtime);
    const zalo = config.zalo.enabled ? createZaloTurns({ config, runtime, stores, storage, logger }).handleEvent : undefined;
    // Events counted and lines logged outside any turn (a token refresh) still reach the main thread.
    setInterval(() => {
      if (events.length > 0 || lines.length > 0) post({ type: 'metrics', metrics: events.splice(0) });
    }, 1000).unref();

    // The main thread has validated the content; building the knowledge base from it may still fail.
    const reload = (next: KnowledgeContent) => {
      let failure: string | undefined;
      try {
        runtime.reloadKnowledge(next);
        logger.info({ entries: next.entries.length }, 'knowledge base reloaded');
      } catch (error) {
        failure = error instanceof Error ? error.message : String(error);
        logger.error({ err: failure }, 'knowledge base not reloaded; the previous one stays');
      }
      post({ type: 'reloaded', ...(failure === undefined ? {} : { error: failure }), metrics: events.splice(0) });
    };
    const run = async (message: Extract<ToWorker, { type: 'webchat' | 'zalo' }>) => {
      try {
        let replies;
        if (message.type === 'webchat') replies = await webchat(message.message);
        else if (!zalo) throw new Error('the Zalo channel is not configured');
        else await zalo(message.event, message.requestId);
        post({ type: 'done', id: message.id, replies, metrics: events.splice(0) });
      } catch (error) {
        post({ type: 'done', id: message.id, error: error instanceof Error ? error.message : String(error), metrics: events.splice(0) });
      }
    };
    port.on('message', (message: ToWorker) => {
      if (message.type === 'reload') return reload(message.content);
      if (message.type !== 'stop') return void run(message);
      // The main thread stops workers once their turns are done.
      stores
        .close()
        .catch((err: unknown) => logger.error({ err: err instanceof Error ? err.message : String(err) }, 'cannot close the store'))
        .finally(() => {
          post({ type: 'metrics', metrics: events.splice(0) });
          process.exit(0);
        });
    });
    post({ type: 'ready' });
  } catch (error) {
    post({ type: 'failed', error: error instanceof Error ? error.message : String(error) });
  }
}

await main();
