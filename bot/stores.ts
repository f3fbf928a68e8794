import type { Stage } from '../dialogs/index.ts';
import type { OfficerGrant, OfficerIdentity } from './officers.ts';

/**
 * The narrow interfaces the bot needs from a database. Adapters implement them on SQLite and
 * PostgreSQL; nothing in bot/ or dialogs/ knows which.
 */

import type { KnowledgeContent } from '../knowledge/index.ts';

/** A pre-filled registration as stored. */
export interface RegistrationRecord {
  id: string;
  /** Human-friendly reference, e.g. KC-2026-000123; given when the registration is submitted. */
  code: string | null;
  userKey: string;
  channel: string;
  status: 'draft' | 'submitted';
  schemaVersion: number;
  data: Record<string, unknown>;
  province: string | null;
  supportArea: string | null;
  createdAt: Date;
  updatedAt: Date;
  submittedAt: Date | null;
  /** Where the Sở's work on it is (null: a draft, or submitted and not yet received). */
  stage: Stage | null;
  stageAt: Date | null;
  /** Officers' corrections by field, over the owner's own answers in `data`, which stay as they were. */
  corrections: Record<string, unknown>;
}

/** What happened to a registration, as its history shows it (officers only). */
export interface RegistrationEvent {
  id: string;
  registrationId: string;
  /** A stage change, a note, a correction, a message to or from the owner, a message that could not be sent. */
  kind: 'stage' | 'note' | 'correction' | 'message-out' | 'message-in' | 'message-refused';
  /** `aad:<object id>` for an officer, `owner` for the registration's owner. */
  actor: string;
  actorName: string | null;
  details: Record<string, unknown>;
  createdAt: Date;
}

/** A new event of a registration's history. */
export type NewRegistrationEvent = Pick<RegistrationEvent, 'kind' | 'actor' | 'actorName' | 'details'>;

/** The Sở's work on submitted registrations: stages, corrections and the history of both. */
export interface RegistrationWorkStore {
  /**
   * Moves a registration from stage `from` to `to` and records the event, in one transaction;
   * false when its stage is no longer `from` (another officer moved it meanwhile).
   */
  moveStage(id: string, from: Stage, to: Stage, event: NewRegistrationEvent, now: Date): Promise<boolean>;
  /**
   * Sets an officer's correction of one field (the owner's answer stays in `data`), and the
   * province or area column the listing filters by, with its event, in one transaction.
   */
  correct(
    id: string,
    field: string,
    value: unknown,
    event: NewRegistrationEvent,
    now: Date,
  ): Promise<RegistrationRecord | undefined>;
  /** Adds an event (a note, a message) to a registration's history. */
  addEvent(id: string, event: NewRegistrationEvent, now: Date): Promise<RegistrationEvent>;
  /** Everything that happened to a registration, oldest first. */
  history(id: string, limit?: number): Promise<RegistrationEvent[]>;
  /**
   * The registration of `userKey` whose officer wrote to its owner last, since `since` (not a
   * status notice): an open conversation, or undefined.
   */
  openThread(
    userKey: string,
    since: Date,
  ): Promise<
    | { registrationId: string; code: string; conversation?: Record<string, unknown>; officerName: string | null }
    | undefined
  >;
  /** Keeps an officer's message for an owner who reads it at their next visit (the web chat). */
  queueOwnerMessage(
    registration: Pick<RegistrationRecord, 'id' | 'userKey' | 'channel'>,
    text: string,
    now: Date,
  ): Promise<void>;
  /** The messages waiting for an owner, oldest first, marked delivered as they are taken. */
  takeOwnerMessages(userKey: string, now: Date): Promise<{ registrationId: string; text: string; createdAt: Date }[]>;
}

/** Filters for listing registrations. */
export interface RegistrationFilter {
  status?: 'draft' | 'submitted';
  province?: string;
  /** Only these provinces (an officer's); an empty list matches nothing. */
  provinces?: readonly string[];
  supportArea?: string;
  /** One channel user's registrations ("mã đăng ký của tôi"). */
  userKey?: string;
  limit?: number;
  /**
   * Officers' surfaces: drafts only where the owner has consented to their details being kept and
   * seen (the form's consent step); a draft abandoned before it is nobody's business but its owner's.
   */
  consentedOnly?: boolean;
  /** Continues a listing after this record (newest first), to read a long one a page at a time. */
  after?: Pick<RegistrationRecord, 'createdAt' | 'id'>;
  /**
   * Words to find, each in the folded names, contact, phone and tax code ("gom" finds "Gốm") or in
   * the code; digits (a phone written "0912 345 678", a tax code) are also found in phones and tax codes.
   */
  search?: string;
  /** A stage of the Sở's work, or 'draft'. */
  stage?: Stage | 'draft';
  createdFrom?: Date;
  createdBefore?: Date;
  /** Untouched since then (abandoned drafts). */
  updatedBefore?: Date;
  /** Only those with a phone to call. */
  withPhone?: boolean;
  /** The order (newest first when absent; `after` only with that one), and rows to skip. */
  order?: { by: 'createdAt' | 'code' | 'province' | 'supportArea'; dir: 'asc' | 'desc' };
  offset?: number;
}

/** How many registrations a filter matches, by province and support area (null: none given). */
export interface RegistrationCounts {
  total: number;
  cells: { province: string | null; supportArea: string | null; n: number }[];
}

/** Registrations: drafts that wait for their owner, and submitted ones with a reference code. */
export interface RegistrationStore {
  /** Creates or replaces the user's open draft. */
  saveDraft(
    input: {
      userKey: string;
      channel: string;
      schemaVersion: number;
      data: Record<string, unknown>;
      province?: string | null;
      supportArea?: string | null;
    },
    now: Date,
  ): Promise<RegistrationRecord>;
  /** The user's open draft, if any. */
  findDraft(userKey: string): Promise<RegistrationRecord | undefined>;
  /** Turns the user's draft into a submitted registration with a new reference code. */
  submit(id: string, now: Date): Promise<RegistrationRecord>;
  /** One registration by its reference code. */
  getByCode(code: string): Promise<RegistrationRecord | undefined>;
  /** Newest first. */
  list(filter?: RegistrationFilter): Promise<RegistrationRecord[]>;
  /** Deletes every draft of a user; returns how many. */
  deleteDraftsOf(userKey: string): Promise<number>;
  /** Deletes drafts not touched since `before`; returns how many. */
  purgeDrafts(before: Date): Promise<number>;
  /** How many registrations there are, by status. */
  countByStatus(): Promise<Record<string, number>>;
  /** How many registrations match a filter (its order, limit and offset aside), by province and area. */
  count(filter: RegistrationFilter): Promise<RegistrationCounts>;
  /** How many submitted registrations have each of these tax codes or phones (digits only), for duplicate flags. */
  sharing(field: 'taxCode' | 'phone', values: readonly string[]): Promise<Record<string, number>>;
}

/** De-duplication of redelivered channel messages (Zalo retries with the same msg_id). */
export interface DeliveryKeyStore {
  /** True the first time a key is seen; false for a redelivery. */
  claim(key: string, now: Date): Promise<boolean>;
  /** Forgets keys seen before `before`. */
  purge(before: Date): Promise<number>;
}

/** A message waiting in the Zalo outbox. */
export interface ZaloOutboxMessage {
  id: string;
  userId: string;
  /** The request body for Zalo's message API. */
  body: Record<string, unknown>;
  attempts: number;
  createdAt: Date;
}

/**
 * The Zalo channel's durable queues: the inbox of accepted webhook events (recorded before Zalo
 * is answered, done once the turn's replies are queued), the outbox of replies (sent in each
 * user's order at the rate the OA's package allows), and each user's last interaction.
 */
export interface ZaloStore {
  /**
   * Records an accepted event under `key`, held by the caller until `claimUntil` (and, for
   * `interactionAt`, the user's last interaction); false when the key was recorded before: a
   * redelivery, processed once already or under way.
   */
  accept(
    entry: { key: string; userId: string; event: unknown; eventAt: Date; interactionAt?: Date; claimUntil: Date },
    now: Date,
  ): Promise<boolean>;
  /**
   * Events accepted and not yet done that nobody holds (their claim ran out; with `all`, every
   * one: at start, when no other instance can hold them), in the order they happened, held by the
   * caller from now until `until`.
   */
  takeUnfinished(now: Date, until: Date, all?: boolean): Promise<{ key: string; userId: string; event: unknown }[]>;
  /** Holds events still being processed (or waiting their turn) until `until`. */
  renewClaims(keys: readonly string[], until: Date): Promise<void>;
  /**
   * Queues a turn's messages (each with a fingerprint of its text, to know its echo) and marks
   * event `key` done, in one transaction; doing it again for the same key queues nothing more.
   */
  finish(
    key: string,
    messages: { userId: string; body: Record<string, unknown>; textHash: string | null }[],
    now: Date,
  ): Promise<void>;
  /** The oldest waiting message of each user whose turn it is (due by `now`), oldest first, at most `limit`. */
  nextToSend(now: Date, limit: number): Promise<ZaloOutboxMessage[]>;
  /**
   * Takes message `id` for sending until `until` (another instance skips it meanwhile); false when
   * another took it first or it is no longer waiting.
   */
  claim(id: string, now: Date, until: Date): Promise<boolean>;
  /** Makes every waiting message due now: at start, when no other instance can be sending (SQLite). */
  releaseClaims(now: Date): Promise<number>;
  /** Zalo took the message: its text is forgotten, its id and fingerprint kept to know its echo. */
  markSent(id: string, messageId: string | null, now: Date): Promise<void>;
  /** The message will not be sent (Zalo refused it for good, or it waited too long). */
  markFailed(id: string, reason: string, now: Date): Promise<void>;
  /** The message is tried again at `at`. */
  retryLater(id: string, at: Date): Promise<void>;
  /**
   * True when an OA message to `userId` with this Zalo id, or (once per message) this text
   * fingerprint, is one the bot queued since `since` (its own echo), whether or not the send has
   * returned yet.
   */
  claimEcho(userId: string, messageId: string, textHash: string | null, since: Date): Promise<boolean>;
  /** When the user last wrote to the OA (or followed it, or shared their details); undefined if never seen. */
  lastInteraction(userId: string): Promise<Date | undefined>;
  /** Messages waiting to be sent. */
  pendingCount(): Promise<number>;
  /**
   * Deletes what is kept of a user (the "delete my data" request): done events, finished messages
   * and the last interaction; what is still to be processed or sent stays until it is. Returns how many rows went.
   */
  forgetUser(userId: string): Promise<number>;
  /**
   * Forgets done events and finished messages from before `before`, and interactions from before
   * `interactionsBefore` (if given); returns how many rows went.
   */
  purge(before: Date, interactionsBefore?: Date): Promise<number>;
}

/** Conversation references for proactive messages. */
export interface ConversationReferenceStore {
  upsert(key: string, channel: string, reference: Record<string, unknown>, now: Date): Promise<void>;
  remove(key: string): Promise<void>;
  list(channel?: string): Promise<{ key: string; channel: string; reference: Record<string, unknown> }[]>;
}

/** A question the knowledge base could not answer; nothing more than this is kept. */
export interface UnansweredQuestion {
  text: string;
  normalized: string;
  channel: string;
  /** A one-way hash of the user id. */
  userHash: string;
  reason: 'fallback' | 'rejected-clarification';
  createdAt: Date;
  /** The asker's province, where the conversation knew it. */
  province?: string | null;
}

/** A curator's mark on the questions of one normalised text. */
export interface UnansweredMark {
  normalized: string;
  /** Whose mark: a province's curators' (the province), or the administrators' (''). */
  scope: string;
  status: 'handled' | 'ignored';
  actor: string;
  updatedAt: Date;
}

/** What people ask that the knowledge base does not cover, for its curators. */
export interface UnansweredStore {
  record(question: UnansweredQuestion): Promise<void>;
  latest(limit: number): Promise<UnansweredQuestion[]>;
  /** Questions recorded since `since`, newest first, at most `limit`. */
  since(since: Date, limit: number): Promise<UnansweredQuestion[]>;
  /** The marks of these scopes (provinces, or '' for the administrators'). */
  marks(scopes: readonly string[]): Promise<UnansweredMark[]>;
  /** Marks the questions of these normalised texts for one scope (`null`: open again). */
  mark(
    normalized: readonly string[],
    status: UnansweredMark['status'] | null,
    actor: string,
    now: Date,
    scope: string,
  ): Promise<void>;
  /** Deletes questions recorded before `before`; returns how many. */
  purge(before: Date): Promise<number>;
}

/** An audit trail of who exported what. */
export interface AuditLog {
  record(entry: { action: string; actor: string; details: Record<string, unknown> }, now: Date): Promise<void>;
  list(limit: number): Promise<{ action: string; actor: string; details: Record<string, unknown>; createdAt: Date }[]>;
}

/**
 * Officers' grants as their last tab sign-in showed them (from the token's groups and roles), for
 * the same officer's Teams messages, which carry no group claims.
 */
export interface RememberedOfficerStore {
  remember(identity: OfficerIdentity, now: Date): Promise<void>;
  /** The grants remembered for this officer since `since`, or undefined. */
  recall(tenantId: string, objectId: string, since: Date): Promise<OfficerGrant[] | undefined>;
}

/** The bot's own state (dialogs in progress, with whatever a user has typed into a form). */
export interface BotStateStore {
  /**
   * Deletes what the bot state keeps of users — the state of conversations and Zalo's
   * "an officer is answering" pauses — not touched since `before`; returns how many. Channel
   * tokens and other state of the bot itself stay.
   */
  purgeUserState(before: Date): Promise<number>;
}

/** Which user a conversation belongs to, where a user may open several (the web chat). */
export interface ConversationOwnerStore {
  /** Records `userKey` as the owner of a new conversation; says whether the conversation is theirs. */
  claim(channel: string, conversationId: string, userKey: string, now: Date): Promise<boolean>;
  /** The user key that owns the conversation; undefined while nobody has claimed it. */
  ownerOf(channel: string, conversationId: string): Promise<string | undefined>;
  /** Forgets owners of conversations opened before `before`; returns how many. */
  purge(before: Date): Promise<number>;
}

/** Everything kept of one user, to be erased when they ask ("xóa dữ liệu của tôi"). */
export interface UserErasure {
  userKey: string;
  /** The hash their unanswered questions are filed under. */
  userHash: string;
  channel: string;
  userId: string;
}

/** What an erasure deleted, by kind. */
export interface ErasureCounts {
  drafts: number;
  conversations: number;
  unanswered: number;
}

/** An owner waiting to hear of the next cycle's deadlines ("báo cho tôi khi có hạn mới"). */
export interface DeadlineWatch {
  /** Channel and channel user id (`zalo:<id>`, `webchat:<id>`). */
  userKey: string;
  /** The newest plan year with deadlines when they asked: a newer one is news to them. */
  planYear: number;
  createdAt: Date;
}

/** Owners waiting for the next cycle's deadlines; each is told once. */
export interface DeadlineWatchStore {
  /** Starts (or renews) the user's watch. */
  watch(userKey: string, planYear: number, now: Date): Promise<void>;
  /**
   * Marks the user told of plan year `latest`: 'claimed' when this call did (the caller tells
   * them), 'told' when someone already had, 'none' when they wait for nothing older than it.
   */
  claim(userKey: string, latest: number, now: Date): Promise<'claimed' | 'told' | 'none'>;
  /** Users not yet told who wait for a plan year before `latest`, at most `limit`. */
  pending(latest: number, limit: number): Promise<string[]>;
  /**
   * Zalo users not yet told who wait for a plan year before `latest` and last wrote to the OA at
   * or after `since` (the OA may write to them first), most recent writers first, at most `limit`.
   */
  zaloWithinWindow(latest: number, since: Date, limit: number): Promise<DeadlineWatch[]>;
  /** Deletes watches started before `before`, and those told before `toldBefore`; returns how many. */
  purge(before: Date, toldBefore: Date): Promise<number>;
}

/** Erasure of a user's personal data on their request. */
export interface PersonalDataStore {
  /**
   * Deletes, in one transaction, the user's drafts, the state of every conversation they own and
   * of their channel-specific documents (Zalo: the officer pause, the done events and sent
   * messages of the inbox and outbox, the last interaction), their unanswered questions, their
   * deadline watch and their conversation ownerships; submitted registrations stay with the Sở. Deleted text is overwritten on disk
   * where the engine allows (SQLite's secure_delete and a WAL checkpoint).
   */
  erase(user: UserErasure): Promise<ErasureCounts>;
}

/** Serialises the turns of one conversation, across instances where the engine allows. */
export interface TurnLock {
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

/** Runs a job on at most one instance at a time; returns undefined when another holds it. */
export interface JobLock {
  tryRun<T>(name: string, fn: () => Promise<T>): Promise<T | undefined>;
}

/** A published version of the knowledge content, without the content itself. */
export interface ContentVersionInfo {
  /** 1, 2, 3…; 0 is the bundled YAML (the seed), stored when the first version is published. */
  version: number;
  author: string;
  note: string;
  /** The version whose content this one restored (a rollback), if any. */
  restoredFrom: number | null;
  createdAt: Date;
}

/** A published version of the knowledge content. */
export interface ContentVersion extends ContentVersionInfo {
  content: KnowledgeContent;
}

/** Content being prepared by a curator (or imported from YAML), not live. */
export interface ContentDraft {
  id: string;
  content: KnowledgeContent;
  author: string;
  note: string;
  /** The live version the draft was started from. */
  baseVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A publish was refused because another version went live after the caller last looked. */
export class ContentVersionConflictError extends Error {
  override readonly name = 'ContentVersionConflictError';
  constructor(
    readonly expected: number,
    readonly live: number,
  ) {
    super(`cannot publish over version ${expected} because version ${live} is live now`);
  }
}

/**
 * The knowledge content's versions and drafts. Versions are never changed once written: the live
 * one is the newest, and a rollback publishes an older one's content again as a new version.
 */
export interface ContentStore {
  /** The newest version's number; 0 when none was ever published (the bundled YAML is live). */
  liveVersion(): Promise<number>;
  /** One version with its content. */
  get(version: number): Promise<ContentVersion | undefined>;
  /** Newest first, without their content. */
  list(limit: number): Promise<ContentVersionInfo[]>;
  /**
   * Publishes `content` as the next version, if `expectedLive` (when given) is still the live one;
   * before the first, `seed` (the bundled content) is kept as version 0, so it can be restored.
   */
  publish(
    input: {
      content: KnowledgeContent;
      author: string;
      note: string;
      restoredFrom?: number;
      expectedLive?: number;
      seed: KnowledgeContent;
    },
    now: Date,
  ): Promise<ContentVersionInfo>;
  /** Creates a draft, or replaces the content and note of draft `id`. */
  saveDraft(
    input: { id?: string; content: KnowledgeContent; author: string; note: string; baseVersion: number },
    now: Date,
  ): Promise<ContentDraft>;
  getDraft(id: string): Promise<ContentDraft | undefined>;
  /** Newest first, without their content. */
  listDrafts(limit: number): Promise<Omit<ContentDraft, 'content'>[]>;
  deleteDraft(id: string): Promise<boolean>;
}

/** Everything one database gives the bot. */
export interface Stores {
  engine: 'sqlite' | 'postgres';
  registrations: RegistrationStore;
  work: RegistrationWorkStore;
  deliveryKeys: DeliveryKeyStore;
  zalo: ZaloStore;
  references: ConversationReferenceStore;
  deadlineWatches: DeadlineWatchStore;
  unanswered: UnansweredStore;
  /** The knowledge content's published versions and drafts. */
  content: ContentStore;
  audit: AuditLog;
  botState: BotStateStore;
  conversations: ConversationOwnerStore;
  personalData: PersonalDataStore;
  officers: RememberedOfficerStore;
  turnLock: TurnLock;
  jobLock: JobLock;
  /** Overwrites deleted data where the engine still keeps old copies of it (SQLite's write-ahead log). */
  scrub(): Promise<void>;
  /** True when the database answers and accepts a write (a read-only disk answers reads only). */
  ping(): Promise<boolean>;
  /** Closes connections; the stores cannot be used afterwards. */
  close(): Promise<void>;
}

/** A state write was refused because the document changed since this turn read it. */
export class EtagConflictError extends Error {
  override readonly name = 'EtagConflictError';
  constructor(readonly key: string) {
    super(`cannot write "${key}" because it changed since it was read (eTag conflict)`);
  }
}
