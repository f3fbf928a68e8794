// What other folders may use from dialogs/.
export { ELIGIBILITY_DIALOG, EligibilityDialog, eligibilityVerdict, type EligibilityVerdict } from './eligibility.ts';
export { CONTACT_REQUEST_ENTITY, type FormValues } from './form-dialog.ts';
export {
  deadlineNewsText,
  MAIN_DIALOG,
  MainDialog,
  MEMO_VERSION,
  welcomeReply,
  type Clock,
  type MainDialogDeps,
  type MainState,
  type MemoStore,
  type StoredMemo,
  type UnansweredReason,
} from './main-dialog.ts';
export {
  REGISTRATION_DIALOG,
  REGISTRATION_SCHEMA_VERSION,
  RegistrationDialog,
  type RegistrationSink,
} from './registration-dialog.ts';
export { areaLabel, budgetMismatch, entityLabel, SUPPORT_AREAS } from './registration-fields.ts';
export { ANSWER_ENTITY, answerMetaOf, type AnswerMeta } from './replies.ts';
export { formatTimeline, formatVnd } from './validators.ts';
export {
  fieldInfo,
  formatField,
  GROUP_LABELS,
  migrateRegistration,
  NOT_FILLED,
  REGISTRATION_FIELDS,
  REGISTRATION_RECORD_VERSION,
  registrationRows,
  registrationSchema,
  type Registration,
  type RegistrationGroup,
  type RegistrationKey,
  type RegistrationRow,
} from './registration-record.ts';
export {
  NEXT_STAGES,
  ownerStageMessage,
  STAGE_LABELS,
  stageFrom,
  stageNeeds,
  STAGES,
  type Stage,
} from './registration-stages.ts';
export { CORRECTABLE_FIELDS, parseCorrection } from './registration-corrections.ts';
export { FLAG_LABELS, registrationFlags, type Flag, type FlagId } from './registration-flags.ts';
