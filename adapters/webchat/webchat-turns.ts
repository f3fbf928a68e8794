import type { BotRuntime } from '../../bot/runtime.ts';
import type { RegistrationWorkStore } from '../../bot/stores.ts';
import { within } from '../../bot/within.ts';
import { InProcessAdapter } from '../local/in-process-adapter.ts';
import { toWebchatActivity, WEBCHAT_CHANNEL, type WebchatTurn } from './webchat-route.ts';

/** How long the Sở's waiting messages may take to read after a turn. */
const WAITING_MS = 1_000;

/**
 * Web chat turns on a runtime of this thread, through the common bot pipeline. An owner who comes
 * back finds the Sở's messages that waited for them (`owners`) before the turn's replies.
 */
export function webchatTurns(
  runtime: BotRuntime,
  owners?: Pick<RegistrationWorkStore, 'takeOwnerMessages'>,
): WebchatTurn {
  const adapter = new InProcessAdapter(WEBCHAT_CHANNEL);
  runtime.attach(adapter);
  return async (message) => {
    const replies = (await adapter.send(message, (context) => runtime.bot.run(context))).map(toWebchatActivity);
    // Best effort, and bounded: a store that fails or stops answering costs the owner nothing but
    // the Sở's messages, which wait for their next turn.
    const waiting = owners
      ? await within(
          owners.takeOwnerMessages(`${WEBCHAT_CHANNEL}:${message.userId}`, new Date()),
          WAITING_MS,
          'reading an owner’s waiting messages',
        ).catch(() => [])
      : [];
    return [
      ...waiting.map((m) => toWebchatActivity({ type: 'message', text: `Tin nhắn từ Sở Công Thương:\n\n${m.text}` })),
      ...replies,
    ];
  };
}
