import { loadConfig } from '../../bot/config.ts';
import { createLogger } from '../../bot/logger.ts';
import { buildBot } from '../../bot/main.ts';
import type { BotRuntime } from '../../bot/runtime.ts';
import { InProcessAdapter } from '../local/in-process-adapter.ts';

/**
 * A bot for a command-line tool, built by the composition root as the server's is: logs go to
 * stderr (warnings and worse) so stdout is the tool's. With `persist`, conversations and
 * registrations live in the configured store, as on a channel.
 */
export async function bootConsole(
  channelId: string,
  options: { persist: boolean },
): Promise<{ runtime: BotRuntime; adapter: InProcessAdapter; close: () => Promise<void> }> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, process.stderr);
  // The per-user message limit protects channels from a person typing too fast; a local tool is
  // driven by its operator or a script (a batch of questions asked as one user), so it has none.
  const { runtime, close } = await buildBot(config, { logger, persist: options.persist, userMessagesPerMinute: 0 });
  const adapter = new InProcessAdapter(channelId);
  runtime.attach(adapter);
  return { runtime, adapter, close };
}

/** Runs a command-line tool, printing a failure on stderr with exit code 1. */
export function runTool(tool: () => Promise<void>): void {
  tool().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
