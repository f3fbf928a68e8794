import type { BotRuntime } from '../../bot/runtime.ts';
import { InProcessAdapter } from '../local/in-process-adapter.ts';
import { toWebchatActivity, WEBCHAT_CHANNEL, type WebchatTurn } from './webchat-route.ts';

/** Web chat turns on a runtime of this thread, through the common bot pipeline. */
export function webchatTurns(runtime: BotRuntime): WebchatTurn {
  const adapter = new InProcessAdapter(WEBCHAT_CHANNEL);
  runtime.attach(adapter);
  return async (message) => (await adapter.send(message, (context) => runtime.bot.run(context))).map(toWebchatActivity);
}
