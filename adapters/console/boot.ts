import { loadConfig } from '../../bot/config.ts';
import { createLogger } from '../../bot/logger.ts';
import { createRuntime, type BotRuntime } from '../../bot/runtime.ts';
import { BUNDLED_CONTENT_DIR } from '../../knowledge/index.ts';
import { loadContentOrThrow } from '../content/content-files.ts';
import { InProcessAdapter } from '../local/in-process-adapter.ts';
import { openStores } from '../storage/open-stores.ts';

/**
 * A bot for a command-line tool: logs go to stderr (warnings and worse) so stdout is the tool's.
 * With `persist`, conversations and registrations live in the configured store, as on a channel.
 */
export async function bootConsole(
  channelId: string,
  options: { persist: boolean },
): Promise<{ runtime: BotRuntime; adapter: InProcessAdapter; close: () => Promise<void> }> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, process.stderr);
  const content = loadContentOrThrow(config.KNOWLEDGE_DIR ?? BUNDLED_CONTENT_DIR);
  const opened = options.persist
    ? await openStores({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR })
    : undefined;
  // The per-user message limit protects channels from a person typing too fast; a local tool is
  // driven by its operator or a script (a batch of questions asked as one user), so it has none.
  const runtime = createRuntime({
    config,
    logger,
    content,
    storage: opened?.storage,
    stores: opened?.stores,
    userMessagesPerMinute: 0,
  });
  const adapter = new InProcessAdapter(channelId);
  runtime.attach(adapter);
  return { runtime, adapter, close: async () => opened?.stores.close() };
}

/** Runs a command-line tool, printing a failure on stderr with exit code 1. */
export function runTool(tool: () => Promise<void>): void {
  tool().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
