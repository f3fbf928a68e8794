import type { CloudAdapter, ConversationReference } from 'botbuilder';
import type { Logger } from '../../bot/logger.ts';
import {
  DEVELOPMENT_ADMIN,
  identityFromActivity,
  visibleProvinces,
  type OfficerAccess,
  type OfficerIdentity,
} from '../../bot/officers.ts';
import type { RegistrationRecord, Stores } from '../../bot/stores.ts';
import type { StaleCycle } from '../../knowledge/index.ts';
import type { Subscription } from './officer-commands.ts';
import { registrationListCard } from './teams-cards.ts';

/** What a day's digest covers: the registrations submitted in the 24 hours before it is sent. */
const DAY_MS = 86_400_000;
/** The most registrations one digest card lists (the card says how many there were in all). */
const DIGEST_LISTED = 15;
/** A curator is reminded of a stale cycle at most this often outside the digest (which says it daily). */
const REMINDER_EVERY_MS = 7 * DAY_MS;
const TEAMS = 'msteams';

/** The key of a curator's personal conversation with the bot, kept for the cycle reminders. */
export const curatorConversationKey = (conversationId: string) => `teams-curator:${conversationId}`;

/** A conversation of a curator or an administrator, for the cycle reminders. */
interface CuratorConversation {
  reference: Partial<ConversationReference>;
  officer?: { id: string; tenantId: string };
}

/**
 * The reminder for an officer of the stale cycles they can act on: national ones for
 * administrators and every curator (the administrators enter national dates, curators their
 * province's), a province's own for its curators and administrators; undefined when none.
 */
export function cycleReminder(
  officer: OfficerIdentity | undefined,
  stale: readonly StaleCycle[],
  curateUrl: string,
): { text: string; signature: string } | undefined {
  if (!officer) return undefined;
  const admin = officer.roles.includes('admin');
  const curated = officer.grants.flatMap((g) => (g.role === 'curator' && g.province ? [g.province] : []));
  if (!admin && curated.length === 0) return undefined;
  const mine = stale.filter((c) => admin || c.province === null || curated.includes(c.province));
  if (mine.length === 0) return undefined;
  const lines = mine.map((c) => `- ${c.province ?? 'Toàn quốc'}: kế hoạch năm ${c.planYear}`);
  const national = mine.some((c) => c.province === null);
  const text = [
    'Nhắc việc biên tập nội dung: mọi hạn đã biết của các chu kỳ sau đã qua và trợ lý chưa có hạn của năm kế hoạch mới:',
    ...lines,
    `Khi có văn bản định hướng mới, anh/chị vui lòng thêm hạn của năm kế hoạch mới, kèm văn bản nguồn, ở trang biên tập: ${curateUrl}`,
    ...(national && !admin ? ['(Hạn toàn quốc do quản trị viên thêm; anh/chị thêm các hạn riêng của tỉnh mình.)'] : []),
  ].join('\n');
  return { text, signature: mine.map((c) => `${c.province ?? ''}:${c.planYear}`).join('|') };
}

/** The hour of the day in Vietnam (the digest's clock). */
function vietnamHour(now: Date): { day: string; hour: number } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Ho_Chi_Minh',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return { day: `${get('year')}-${get('month')}-${get('day')}`, hour: Number(get('hour')) };
}

/**
 * The daily digest, for conversations that chose it ("nhận thông báo đăng ký hằng ngày") instead
 * of a card per registration: once a day at `hour` (Vietnam time), one card per conversation with
 * the registrations submitted in the last 24 hours in the subscribing officer's provinces. One
 * instance sends it (the job lock), once per day (a counter in the store).
 */
export function teamsDigest(options: {
  adapter: CloudAdapter;
  appId: string;
  stores: Stores;
  access: OfficerAccess;
  tabUrl: string;
  hour: number;
  logger: Logger;
  tenantAllowed: (tenant: string | undefined) => boolean;
  /** The cycles whose every deadline has passed (from the live content), for the curators' reminder. */
  staleCycles?: (now: Date) => StaleCycle[];
}) {
  const { stores, access, logger } = options;
  const curateUrl = `${options.tabUrl}/curate`;
  const officerOf = (who: { id: string; tenantId: string } | undefined) =>
    who
      ? identityFromActivity({ aadObjectId: who.id, tenantId: who.tenantId }, access)
      : Promise.resolve(access.developmentAdmin ? DEVELOPMENT_ADMIN : undefined);

  /** Sends `text` to a conversation; false (logged) when the Bot Connector refused it. */
  async function post(reference: Partial<ConversationReference>, text: string): Promise<boolean> {
    try {
      await options.adapter.continueConversationAsync(options.appId, reference, async (context) => {
        await context.sendActivity(text);
      });
      return true;
    } catch (err) {
      logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'teams cycle reminder failed');
      return false;
    }
  }

  /** Records that a conversation was reminded of `signature` now. */
  const reminded = (conversationId: string, signature: string, now: Date) =>
    stores.references.upsert(
      `cycle-reminder:${conversationId}`,
      'cycle-reminder',
      { signature, at: now.getTime() },
      now,
    );

  /**
   * Reminds curators and administrators of the stale cycles they can act on, in their subscribed
   * conversations and their personal chats with the bot: with the digest every day (see `send`),
   * elsewhere when the stale cycles change and then at most weekly. Returns how many were reminded.
   */
  async function remind(now: Date): Promise<number> {
    const stale = options.staleCycles?.(now) ?? [];
    if (stale.length === 0) return 0;
    const refs = await stores.references.list(TEAMS);
    const conversations = new Map<string, CuratorConversation>();
    for (const r of refs) {
      if (!r.key.startsWith('teams-sub:') && !r.key.startsWith('teams-curator:')) continue;
      const c = r.reference as unknown as CuratorConversation;
      const id = c.reference.conversation?.id;
      if (id) conversations.set(id, { reference: c.reference, officer: c.officer });
    }
    const last = new Map(
      (await stores.references.list('cycle-reminder')).map((r) => [
        r.key,
        r.reference as { signature: string; at: number },
      ]),
    );
    let sent = 0;
    for (const [id, c] of conversations) {
      // A digest conversation heard it with today's digest (recorded there), and is skipped below.
      if (!options.tenantAllowed(c.reference.conversation?.tenantId)) continue;
      const reminder = cycleReminder(await officerOf(c.officer), stale, curateUrl);
      if (!reminder) continue;
      const before = last.get(`cycle-reminder:${id}`);
      if (before?.signature === reminder.signature && now.getTime() - before.at < REMINDER_EVERY_MS) continue;
      if (!(await post(c.reference, reminder.text))) continue;
      await reminded(id, reminder.signature, now);
      sent += 1;
    }
    return sent;
  }

  /** Sends every digest now, for the 24 hours before `now`; returns how many conversations got one. */
  async function send(now: Date): Promise<number> {
    const subscriptions = (await stores.references.list('msteams'))
      .filter((r) => r.key.startsWith('teams-sub:'))
      .map((r) => r.reference as unknown as Subscription)
      .filter((s) => s.digest);
    if (subscriptions.length === 0) return 0;
    const since = now.getTime() - DAY_MS;
    const recent: RegistrationRecord[] = [];
    let after: RegistrationRecord | undefined;
    // Newest first: a registration created before the window may have been submitted within it.
    for (let pages = 0; pages < 50; pages++) {
      const page = await stores.registrations.list({ status: 'submitted', limit: 500, after });
      recent.push(...page.filter((r) => (r.submittedAt?.getTime() ?? 0) >= since));
      after = page.at(-1);
      if (page.length < 500 || (after && after.createdAt.getTime() < since - 30 * DAY_MS)) break;
    }
    const stale = options.staleCycles?.(now) ?? [];
    let sent = 0;
    for (const sub of subscriptions) {
      if (!options.tenantAllowed(sub.reference.conversation?.tenantId)) continue;
      const officer = await officerOf(sub.officer);
      const visible = visibleProvinces(officer);
      const mine = recent.filter(
        (r) =>
          (visible === 'all' || (r.province !== null && visible.includes(r.province))) &&
          (!sub.province || sub.province === r.province) &&
          (!sub.supportArea || sub.supportArea === r.supportArea),
      );
      if (visible !== 'all' && visible.length === 0) continue;
      const title = `Tóm tắt ngày ${vietnamHour(now).day.split('-').reverse().join('/')}: ${mine.length} đăng ký mới${mine.length > DIGEST_LISTED ? ` (${DIGEST_LISTED} mới nhất)` : ''}`;
      const reminder = cycleReminder(officer, stale, curateUrl);
      try {
        await options.adapter.continueConversationAsync(options.appId, sub.reference, async (context) => {
          await context.sendActivity({
            type: 'message',
            attachments: [registrationListCard(mine.slice(0, DIGEST_LISTED), title, options.tabUrl)],
          });
          if (reminder) await context.sendActivity(reminder.text);
        });
        sent += 1;
        const id = sub.reference.conversation?.id;
        if (reminder && id) await reminded(id, reminder.signature, now);
      } catch (err) {
        logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'teams digest failed');
      }
    }
    return sent;
  }

  /** Checks every minute whether today's digest is due; returns the stop function. */
  function schedule(clock: () => Date = () => new Date()): () => void {
    const timer = setInterval(() => {
      const now = clock();
      const { day, hour } = vietnamHour(now);
      if (hour !== options.hour) return;
      void stores.jobLock
        .tryRun('teams-digest', async () => {
          const key = 'teams-digest:last-day';
          const done = (await stores.references.list('digest')).find((r) => r.key === key);
          if (done?.reference.day === day) return;
          await stores.references.upsert(key, 'digest', { day }, now);
          const count = await send(now);
          const reminded = await remind(now);
          logger.info({ conversations: count, reminded }, 'teams: daily digest sent');
        })
        .catch((err: unknown) =>
          logger.error({ err: err instanceof Error ? err.message : String(err) }, 'teams digest job failed'),
        );
    }, 60_000);
    timer.unref();
    return () => clearInterval(timer);
  }

  return { send, remind, schedule };
}
