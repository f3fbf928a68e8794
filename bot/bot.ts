import { ActivityTypes, type ConversationState, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import type { DialogState, DialogStateManagerConfiguration } from 'botbuilder-dialogs';
import { DialogTurnStatus } from 'botbuilder-dialogs/lib/dialog.js';
import { DialogSet } from 'botbuilder-dialogs/lib/dialogSet.js';

/** The turn-state key under which botbuilder-dialogs 4.23 looks for a ready memory configuration. */
const DIALOG_STATE_MANAGER_CONFIGURATION = 'DialogStateManagerConfiguration';
import type { Dialog } from 'botbuilder-dialogs';
import { MAIN_DIALOG, welcomeReply } from '../dialogs/index.ts';
import type { KnowledgeBase } from '../knowledge/index.ts';

/**
 * The bot's turn handler: runs the main dialog on every message, welcomes new members, and
 * saves conversation state at the end of each turn. It handles the two activity types the bot
 * answers directly instead of through botbuilder's ActivityHandler, whose event dispatch cost
 * a measurable share of every turn; other activities (typing, reactions, invokes) pass untouched.
 */
export class KhuyenCongBot {
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly dialogs: DialogSet;
  private memoryConfiguration: DialogStateManagerConfiguration | undefined;

  constructor(
    private readonly conversationState: ConversationState,
    dialogs: Dialog[],
    private readonly knowledge: KnowledgeBase,
  ) {
    this.dialogState = conversationState.createProperty<DialogState>('dialogState');
    this.dialogs = new DialogSet(this.dialogState);
    for (const dialog of dialogs) this.dialogs.add(dialog);
  }

  /** Runs the turn, then saves the state it changed. */
  async run(context: TurnContext): Promise<void> {
    const { activity } = context;
    if (activity.type === ActivityTypes.Message) {
      await this.runMainDialog(context);
    } else if (activity.type === ActivityTypes.ConversationUpdate) {
      const botId = activity.recipient?.id;
      for (const member of activity.membersAdded ?? []) {
        if (member.id !== botId) await context.sendActivity(welcomeReply(this.knowledge));
      }
    }
    await this.conversationState.saveChanges(context, false);
  }

  private async runMainDialog(context: TurnContext): Promise<void> {
    // botbuilder rebuilds the dialog memory scopes and path resolvers in every turn unless the
    // turn already holds them under this key; they hold no state, so one set serves every turn.
    if (this.memoryConfiguration) context.turnState.set(DIALOG_STATE_MANAGER_CONFIGURATION, this.memoryConfiguration);
    const dc = await this.dialogs.createContext(context);
    this.memoryConfiguration ??= dc.state.configuration;
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(MAIN_DIALOG);
  }
}
