import { ActivityHandler, type ConversationState, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type DialogState } from 'botbuilder-dialogs';
import type { Dialog } from 'botbuilder-dialogs';
import { MAIN_DIALOG, welcomeReply } from '../dialogs/index.ts';
import type { KnowledgeBase } from '../knowledge/index.ts';

/**
 * The bot's turn handler: runs the main dialog on every message, welcomes new members, and
 * saves conversation state at the end of each turn.
 */
export class KhuyenCongBot extends ActivityHandler {
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly dialogs: DialogSet;

  constructor(
    private readonly conversationState: ConversationState,
    dialogs: Dialog[],
    knowledge: KnowledgeBase,
  ) {
    super();
    this.dialogState = conversationState.createProperty<DialogState>('dialogState');
    this.dialogs = new DialogSet(this.dialogState);
    for (const dialog of dialogs) this.dialogs.add(dialog);

    this.onMessage(async (context, next) => {
      await this.runMainDialog(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      for (const member of context.activity.membersAdded ?? []) {
        if (member.id !== botId) await context.sendActivity(welcomeReply(knowledge));
      }
      await next();
    });
  }

  /** Runs the turn, then saves the state it changed. */
  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.conversationState.saveChanges(context, false);
  }

  private async runMainDialog(context: TurnContext): Promise<void> {
    const dc = await this.dialogs.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(MAIN_DIALOG);
  }
}
