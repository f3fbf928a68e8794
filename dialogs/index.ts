// What other folders may use from dialogs/.
export { MAIN_DIALOG, MainDialog, welcomeReply, type Clock, type MainDialogDeps, type MainState, type UnansweredReason } from './main-dialog.ts';
export { ANSWER_ENTITY, answerMetaOf, type AnswerMeta } from './replies.ts';
