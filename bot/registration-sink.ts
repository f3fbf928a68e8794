import { randomUUID } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import type { FormValues, RegistrationSink } from '../dialogs/index.ts';
import type { RegistrationEvent, RegistrationFilter, RegistrationRecord, RegistrationStore } from './stores.ts';

/** Files the registration form's drafts and submissions in a registration store, per channel user. */
export function registrationSink(
  store: RegistrationStore,
  clock: () => Date,
  userKeyOf: (context: TurnContext) => string,
  onSubmitted: (record: RegistrationRecord) => Promise<void> = async () => {},
  /** Each registration's history, for the Sở's last message to its owner. */
  history?: (registrationId: string) => Promise<RegistrationEvent[]>,
): RegistrationSink {
  const meta = (values: FormValues) => ({
    province: typeof values.province === 'string' ? values.province : null,
    supportArea: typeof values.supportArea === 'string' ? values.supportArea : null,
  });
  const save = (context: TurnContext, values: FormValues, schemaVersion: number) =>
    store.saveDraft(
      {
        userKey: userKeyOf(context),
        channel: context.activity.channelId,
        schemaVersion,
        data: values,
        ...meta(values),
      },
      clock(),
    );
  return {
    async saveDraft(context, values, schemaVersion) {
      await save(context, values, schemaVersion);
    },
    async loadDraft(context) {
      const draft = await store.findDraft(userKeyOf(context));
      return draft ? { values: draft.data, schemaVersion: draft.schemaVersion } : undefined;
    },
    async submit(context, values, schemaVersion) {
      const draft = await save(context, values, schemaVersion);
      const submitted = await store.submit(draft.id, clock());
      await onSubmitted(submitted);
      return submitted.code!;
    },
    async lastSubmitted(context) {
      const [last] = await store.list({ userKey: userKeyOf(context), status: 'submitted', limit: 1 });
      return last?.code ? { code: last.code, values: last.data } : undefined;
    },
    async statuses(context) {
      const mine = await store.list({ userKey: userKeyOf(context), status: 'submitted', limit: 20 });
      return Promise.all(
        mine
          .filter((r) => r.code)
          .map(async (r) => {
            const last = (await history?.(r.id))?.filter((e) => e.kind === 'message-out').at(-1);
            const text = typeof last?.details.text === 'string' ? last.details.text : undefined;
            return { code: r.code!, stage: r.stage ?? 'submitted', ...(text ? { lastMessage: text } : {}) };
          }),
      );
    },
    async discardDraft(context) {
      await store.deleteDraftsOf(userKeyOf(context));
    },
  };
}

/** Registrations kept in memory, for tools and tests that run without a database. */
export class MemoryRegistrationStore implements RegistrationStore {
  private readonly records: RegistrationRecord[] = [];
  private sequence = 0;

  async saveDraft(input: Parameters<RegistrationStore['saveDraft']>[0], now: Date): Promise<RegistrationRecord> {
    const existing = await this.findDraft(input.userKey);
    const fields = {
      channel: input.channel,
      schemaVersion: input.schemaVersion,
      data: input.data,
      province: input.province ?? null,
      supportArea: input.supportArea ?? null,
      updatedAt: now,
    };
    if (existing) return Object.assign(existing, fields);
    const record: RegistrationRecord = {
      id: randomUUID(),
      code: null,
      userKey: input.userKey,
      status: 'draft',
      createdAt: now,
      submittedAt: null,
      stage: null,
      stageAt: null,
      corrections: {},
      ...fields,
    };
    this.records.push(record);
    return record;
  }

  async findDraft(userKey: string) {
    return this.records.find((r) => r.userKey === userKey && r.status === 'draft');
  }

  async submit(id: string, now: Date): Promise<RegistrationRecord> {
    const record = this.records.find((r) => r.id === id && r.status === 'draft');
    if (!record) throw new Error(`cannot submit registration ${id} because it is not an open draft`);
    this.sequence += 1;
    return Object.assign(record, {
      status: 'submitted' as const,
      code: `KC-${now.getUTCFullYear()}-${String(this.sequence).padStart(6, '0')}`,
      submittedAt: now,
      updatedAt: now,
    });
  }

  async getByCode(code: string) {
    return this.records.find((r) => r.code === code.toUpperCase());
  }

  async list(filter: RegistrationFilter = {}) {
    return this.records
      .filter(
        (r) =>
          (!filter.userKey || r.userKey === filter.userKey) &&
          (!filter.status || r.status === filter.status) &&
          (!filter.province || r.province === filter.province) &&
          (!filter.supportArea || r.supportArea === filter.supportArea),
      )
      .slice(-(filter.limit ?? 1000))
      .reverse();
  }

  async deleteDraftsOf(userKey: string) {
    const before = this.records.length;
    this.records.splice(
      0,
      this.records.length,
      ...this.records.filter((r) => !(r.userKey === userKey && r.status === 'draft')),
    );
    return before - this.records.length;
  }

  async countByStatus() {
    const out: Record<string, number> = { draft: 0, submitted: 0 };
    for (const r of this.records) out[r.status] = (out[r.status] ?? 0) + 1;
    return out;
  }

  count(filter: RegistrationFilter) {
    const cells = new Map<string, { province: string | null; supportArea: string | null; n: number }>();
    for (const r of this.records) {
      if (filter.status && r.status !== filter.status) continue;
      if (filter.province && r.province !== filter.province) continue;
      const key = `${r.province}\u0000${r.supportArea}`;
      const cell = cells.get(key) ?? { province: r.province, supportArea: r.supportArea, n: 0 };
      cell.n += 1;
      cells.set(key, cell);
    }
    return Promise.resolve({ total: [...cells.values()].reduce((s, c) => s + c.n, 0), cells: [...cells.values()] });
  }

  sharing(field: 'taxCode' | 'phone', values: readonly string[]) {
    const out: Record<string, number> = {};
    for (const r of this.records) {
      const v = String(r.data[field] ?? '').replace(/\D/g, '');
      if (r.status === 'submitted' && v && values.includes(v)) out[v] = (out[v] ?? 0) + 1;
    }
    return Promise.resolve(out);
  }

  async purgeDrafts(before: Date) {
    const count = this.records.length;
    this.records.splice(
      0,
      this.records.length,
      ...this.records.filter((r) => !(r.status === 'draft' && r.updatedAt < before)),
    );
    return count - this.records.length;
  }
}
