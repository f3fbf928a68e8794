import { ConversationState, type Storage, type TurnContext } from 'botbuilder';

const LOADED_ETAG = Symbol('loadedEtag');
const LOADED_JSON = Symbol('loadedJson');
const CLAIMED = Symbol('claimed');

const snapshot = (state: object) =>
  JSON.stringify(state, (key, value: unknown) => (key === 'eTag' ? undefined : value));

/** True when every property is an empty dialog stack: the state of a conversation with nothing pending. */
function isIdle(state: Record<string, unknown>): boolean {
  return Object.entries(state).every(([key, value]) => {
    if (key === 'eTag') return true;
    const stack = (value as { dialogStack?: unknown } | null)?.dialogStack;
    return Array.isArray(stack) && stack.length === 0 && Object.keys(value as object).length === 1;
  });
}

/**
 * ConversationState that saves with the eTag it read at the start of the turn. botbuilder's
 * BotState saves with "*" (the last writer wins), so two turns of one conversation on two
 * instances would silently lose one's changes; here the second save is refused instead.
 */
export class ConcurrencySafeConversationState extends ConversationState {
  /**
   * @param claimOwner claims the conversation for the turn's user, or throws when it is another
   *   user's (web chat, whose conversation ids the client chooses): before a conversation's state is
   *   first stored, and before a stored state is read, so a user who got past the channel's owner
   *   check at the same moment as the owner's first turn neither reads nor writes the owner's state.
   */
  constructor(
    storage: Storage,
    private readonly claimOwner?: (context: TurnContext) => Promise<void>,
  ) {
    super(storage);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- botbuilder's own signature, overridden
  override async load(context: TurnContext, force = false): Promise<any> {
    const state = (await super.load(context, force)) as { eTag?: string };
    if (force || !context.turnState.has(LOADED_ETAG)) {
      context.turnState.set(LOADED_ETAG, state.eTag ?? '*');
      context.turnState.set(LOADED_JSON, snapshot(state));
      if (state.eTag !== undefined && !context.turnState.has(CLAIMED)) {
        await this.claimOwner?.(context);
        context.turnState.set(CLAIMED, true);
      }
    }
    return state;
  }

  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    const state = this.get(context) as Record<string, unknown> | undefined;
    const key = this.getStorageKey(context);
    if (!state || !key) return;
    if (!force && !context.turnState.has(LOADED_ETAG)) return;
    // A turn that changed nothing writes nothing, and neither does a new conversation that
    // has nothing to keep (questions answered, no dialog waiting).
    const now = snapshot(state);
    if (!force && now === context.turnState.get(LOADED_JSON)) return;
    if (!force && context.turnState.get(LOADED_ETAG) === '*' && isIdle(state)) return;
    if (context.turnState.get(LOADED_ETAG) === '*' && !context.turnState.has(CLAIMED)) {
      await this.claimOwner?.(context);
      context.turnState.set(CLAIMED, true);
    }
    await this.storage.write({ [key]: { ...state, eTag: context.turnState.get<string>(LOADED_ETAG) } });
    // A second save in the same turn must not conflict with the first.
    context.turnState.set(LOADED_ETAG, '*');
    context.turnState.set(LOADED_JSON, now);
  }
}
