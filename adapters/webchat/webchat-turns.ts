import type { BotRuntime } from '../../bot/runtime.ts';
import type { RegistrationWorkStore } from '../../bot/stores.ts';
import { InProcessAdapter } from '../local/in-process-adapter.ts';
import { toWebchatActivity, type WebchatTurn } from './webchat-route.ts';

/**
 * Web chat turns on a runtime of this thread, through the common bot pipeline. An owner who comes
 * back finds the Sở's messages that waited for them (`owners`) before the turn's replies.
 */
export function webchatTurns(
  runtime: BotRuntime,
  owners?: Pick<RegistrationWorkStore, 'takeOwnerMessages'>,
): WebchatTurn {
  const adapter = new InProcessAdapter('webchat');
  runtime.attach(adapter);
  return async (message) => {
    const replies = (await adapter.send(message, (context) => runtime.bot.run(context))).map(toWebchatActivity);
    const waiting = owners ? await owners.takeOwnerMessages(`webchat:${message.userId}`, new Date()) : [];
    return [
      ...waiting.map((m) => toWebchatActivity({ type: 'message', text: `Tin nhắn từ Sở Công Thương:\n\n${m.text}` })),
      ...replies,
    ];
  };
}
