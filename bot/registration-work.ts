/**
 * The Sở's work on a registration, the same from the tab and from Teams: find it (within the
 * officer's provinces), move it through its stages, note, correct; each action in the
 * registration's history and in the audit trail.
 */
import { NEXT_STAGES, parseCorrection, STAGE_LABELS, stageNeeds, type Stage } from '../dialogs/index.ts';
import { actorOf, canSee, type OfficerIdentity } from './officers.ts';
import type { RegistrationEvent, RegistrationRecord, Stores } from './stores.ts';

/** Why an officer's action was not done; `WORK_REFUSALS` says it in Vietnamese. */
export type WorkRefusal =
  'not-found' | 'not-submitted' | 'move' | 'missing-needed' | 'reason-needed' | 'conflict' | 'empty' | 'too-long';

/** An action's outcome. */
export type WorkResult<T> = { ok: true; value: T } | { ok: false; refusal: WorkRefusal; message: string };

/** What an officer is told when an action is refused. */
export const WORK_REFUSALS: Record<WorkRefusal, string> = {
  'not-found': 'Dạ, không tìm thấy đăng ký này trong các tỉnh, thành anh/chị phụ trách.',
  'not-submitted': 'Dạ, bản này còn là bản nháp (cơ sở đang điền), chưa xử lý được.',
  move: 'Dạ, không chuyển được sang trạng thái đó từ trạng thái hiện tại.',
  'missing-needed': 'Dạ, xin anh/chị ghi rõ cơ sở cần bổ sung những gì.',
  'reason-needed': 'Dạ, xin anh/chị ghi lý do không đưa vào kế hoạch.',
  conflict: 'Dạ, đăng ký này vừa được cán bộ khác cập nhật; anh/chị xem lại trạng thái rồi thao tác lại giúp.',
  empty: 'Dạ, nội dung đang để trống.',
  'too-long': 'Dạ, nội dung dài quá (tối đa 2.000 ký tự).',
};

const refused = <T>(refusal: WorkRefusal, message = WORK_REFUSALS[refusal]): WorkResult<T> => ({
  ok: false,
  refusal,
  message,
});

/** The longest note, reason or message an officer writes. */
export const MAX_TEXT = 2000;

/** A registration's data as officers see it: the owner's answers with officers' corrections over them. */
export function effectiveData(record: RegistrationRecord): Record<string, unknown> {
  return { ...record.data, ...record.corrections };
}

/** The stage of a registration, `draft` for one its owner is still filling in. */
export function stageOf(record: RegistrationRecord): Stage | 'draft' {
  return record.status === 'draft' ? 'draft' : (record.stage ?? 'submitted');
}

/** The moves open to an officer from a registration's stage. */
export function nextStages(record: RegistrationRecord): readonly Stage[] {
  const stage = stageOf(record);
  return stage === 'draft' ? [] : NEXT_STAGES[stage];
}

function cleanText(text: unknown): WorkResult<string> {
  const value = typeof text === 'string' ? text.trim() : '';
  if (!value) return refused('empty');
  if (value.length > MAX_TEXT) return refused('too-long');
  return { ok: true, value };
}

/** The work service over the stores; `clock` is the time every action is stamped with. */
export function registrationWork(stores: Pick<Stores, 'registrations' | 'work' | 'audit'>, clock: () => Date) {
  const audit = (identity: OfficerIdentity, action: string, details: Record<string, unknown>) =>
    stores.audit.record({ action, actor: actorOf(identity), details }, clock());
  const event = (identity: OfficerIdentity, kind: RegistrationEvent['kind'], details: Record<string, unknown>) => ({
    kind,
    actor: actorOf(identity),
    actorName: identity.name ?? null,
    details,
  });

  /** A registration by code, if the officer may see it (another province's is "not found"). */
  async function find(identity: OfficerIdentity, code: string): Promise<RegistrationRecord | undefined> {
    if (!/^KC-\d{4}-\d{6}$/i.test(code.trim())) return undefined;
    const record = await stores.registrations.getByCode(code.trim());
    return record && canSee(identity, record.province) ? record : undefined;
  }

  return {
    find,

    /** Moves a registration to `to`, with the missing documents or the reason the move needs. */
    async changeStage(
      identity: OfficerIdentity,
      code: string,
      to: Stage,
      details: { missing?: string; reason?: string } = {},
    ): Promise<WorkResult<{ record: RegistrationRecord; from: Stage; event: Record<string, unknown> }>> {
      const record = await find(identity, code);
      if (!record) return refused('not-found');
      if (record.status !== 'submitted') return refused('not-submitted');
      const from = record.stage ?? 'submitted';
      if (!NEXT_STAGES[from].includes(to))
        return refused(
          'move',
          `Dạ, đăng ký ${record.code} đang ở trạng thái "${STAGE_LABELS[from]}"; ${NEXT_STAGES[from].length ? `từ đây chỉ chuyển được sang: ${NEXT_STAGES[from].map((s) => STAGE_LABELS[s]).join(', ')}` : 'đây là quyết định cuối cùng, không chuyển tiếp được'}.`,
        );
      const need = stageNeeds(to);
      const extra: Record<string, string> = {};
      if (need) {
        const text = cleanText(need === 'missing' ? details.missing : details.reason);
        if (!text.ok)
          return text.refusal === 'empty' ? refused(need === 'missing' ? 'missing-needed' : 'reason-needed') : text;
        extra[need] = text.value;
      }
      const eventDetails = { from, to, ...extra };
      if (!(await stores.work.moveStage(record.id, from, to, event(identity, 'stage', eventDetails), clock())))
        return refused('conflict');
      await audit(identity, 'registration.stage', { code: record.code, from, to });
      return {
        ok: true,
        value: { record: { ...record, stage: to, stageAt: clock() }, from, event: eventDetails },
      };
    },

    /** Adds a note (officers only: owners never see notes). */
    async addNote(identity: OfficerIdentity, code: string, text: unknown): Promise<WorkResult<RegistrationEvent>> {
      const record = await find(identity, code);
      if (!record) return refused('not-found');
      const note = cleanText(text);
      if (!note.ok) return note;
      const added = await stores.work.addEvent(record.id, event(identity, 'note', { text: note.value }), clock());
      await audit(identity, 'registration.note', { code: record.code, length: note.value.length });
      return { ok: true, value: added };
    },

    /** Corrects one field; the owner's answer stays, the correction is laid over it. */
    async correct(
      identity: OfficerIdentity,
      code: string,
      field: string,
      text: unknown,
      reason?: unknown,
    ): Promise<WorkResult<RegistrationRecord>> {
      const record = await find(identity, code);
      if (!record) return refused('not-found');
      if (record.status !== 'submitted') return refused('not-submitted');
      const raw = cleanText(text);
      if (!raw.ok) return raw;
      const parsed = parseCorrection(field, raw.value);
      if (!parsed.ok) return { ok: false, refusal: 'empty', message: parsed.reason };
      const why = typeof reason === 'string' && reason.trim() ? reason.trim().slice(0, MAX_TEXT) : undefined;
      const before = effectiveData(record)[parsed.key] ?? null;
      const updated = await stores.work.correct(
        record.id,
        parsed.key,
        parsed.value,
        event(identity, 'correction', {
          field: parsed.key,
          before,
          after: parsed.value,
          original: record.data[parsed.key] ?? null,
          ...(why ? { reason: why } : {}),
        }),
        clock(),
      );
      if (!updated) return refused('not-found');
      await audit(identity, 'registration.correct', { code: record.code, field: parsed.key });
      return { ok: true, value: updated };
    },

    /** Everything that happened to a registration, oldest first. */
    async history(identity: OfficerIdentity, code: string): Promise<WorkResult<RegistrationEvent[]>> {
      const record = await find(identity, code);
      if (!record) return refused('not-found');
      return { ok: true, value: await stores.work.history(record.id) };
    },

    /** Records an officer's action in the audit trail (an export, a message). */
    audit,
    /** Adds an event to the history of a registration the officer may see. */
    async record(
      identity: OfficerIdentity,
      registration: RegistrationRecord,
      kind: RegistrationEvent['kind'],
      details: Record<string, unknown>,
    ) {
      return stores.work.addEvent(registration.id, event(identity, kind, details), clock());
    },
  };
}

/** The work service's type. */
export type RegistrationWork = ReturnType<typeof registrationWork>;
