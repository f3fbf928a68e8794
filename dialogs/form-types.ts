import type { Choice } from '../knowledge/index.ts';
import type { Parsed } from './validators.ts';

/** One question of a form. */
export interface FieldSpec {
  id: string;
  /** Shown in the summary and used by "sửa <label>". */
  label: string;
  /** Other words (folded) for "sửa …". */
  aliases?: string[];
  /** The question, naming the field plainly. */
  question: string;
  /** The question with the answers so far in it (the budget check shows the numbers). */
  prompt?(values: FormValues): string;
  /** Buttons for answers that are choices. */
  choices?: Choice[];
  optional?: boolean;
  /** The parser reads "không có" / "chưa có" itself (an amount of 0, a household without a tax code). */
  readsNone?: boolean;
  /** The answer is a name or free text: a word that is also a command ("Huy") is taken as the answer here. */
  freeText?: boolean;
  /** Never skipped, even after failed tries (consent). */
  mandatory?: boolean;
  /** Channels that can ask for the user's contact details (Zalo) offer it with this question. */
  requestContact?: boolean;
  /** Reads the answer; the failure reason picks the re-prompt. */
  parse(text: string, values: FormValues, now: Date): Parsed<unknown>;
  /** Re-prompt for each failure reason (and "default"). */
  reprompts: Record<string, string>;
  /** A longer explanation for "trợ giúp". */
  help: string;
  /** How the value reads in the summary. */
  format?(value: unknown): string;
  /** Not asked when this holds. */
  skipIf?(values: FormValues): boolean;
  /**
   * Counted as a step ("Bước n/N") although it has a skipIf: a question every form asks unless the
   * answers so far have already decided the outcome. Conditional questions are not counted.
   */
  counted?: boolean;
  /** A remark after a valid answer (a warning that does not block). */
  remark?(value: unknown, values: FormValues): string | undefined;
}

/** The answers so far, by field id. */
export type FormValues = Record<string, unknown>;

/** What the form keeps between turns. */
export interface FormState {
  version: number;
  values: FormValues;
  /** The field being asked, or -1 at the summary. */
  index: number;
  failures: number;
  /** After "sửa …" from the summary, go back to it once the field is answered. */
  returnToSummary: boolean;
  /** After "quay lại": the field the user was at; until then every field is asked again in order. */
  revisitUntil?: number;
  /** "hủy" was said: waiting for the user to confirm it. */
  confirmingCancel?: boolean;
  /** "bắt đầu lại" was said: waiting for "bỏ bản này" or "giữ lại". */
  confirmingRestart?: boolean;
  /** The user confirmed "hủy": the draft is gone from the store, and "khôi phục" as the next message brings it back. */
  cancelled?: boolean;
}

/** How a form ended, for the dialog that began it. */
export interface FormResult {
  outcome: 'completed' | 'cancelled' | 'paused' | 'stale' | 'interrupted';
  values: FormValues;
}

/** Options when a form begins. */
export interface FormOptions {
  values?: FormValues;
  /** The values come from a paused draft, not from the first message. */
  resumed?: boolean;
}
