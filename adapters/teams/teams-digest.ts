import type { CloudAdapter } from 'botbuilder';
import type { Logger } from '../../bot/logger.ts';
import { DEVELOPMENT_ADMIN, identityFromActivity, visibleProvinces, type OfficerAccess } from '../../bot/officers.ts';
import type { RegistrationRecord, Stores } from '../../bot/stores.ts';
import type { Subscription } from './officer-commands.ts';
import { registrationListCard } from './teams-cards.ts';

/** What a day's digest covers: the registrations submitted in the 24 hours before it is sent. */
const DAY_MS = 86_400_000;
/** The most registrations one digest card lists (the card says how many there were in all). */
const DIGEST_LISTED = 15;

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
}) {
  const { stores, access, logger } = options;

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
    let sent = 0;
    for (const sub of subscriptions) {
      if (!options.tenantAllowed(sub.reference.conversation?.tenantId)) continue;
      const officer = sub.officer
        ? await identityFromActivity({ aadObjectId: sub.officer.id, tenantId: sub.officer.tenantId }, access)
        : access.developmentAdmin
          ? DEVELOPMENT_ADMIN
          : undefined;
      const visible = visibleProvinces(officer);
      const mine = recent.filter(
        (r) =>
          (visible === 'all' || (r.province !== null && visible.includes(r.province))) &&
          (!sub.province || sub.province === r.province) &&
          (!sub.supportArea || sub.supportArea === r.supportArea),
      );
      if (visible !== 'all' && visible.length === 0) continue;
      const title = `Tóm tắt ngày ${vietnamHour(now).day.split('-').reverse().join('/')}: ${mine.length} đăng ký mới${mine.length > DIGEST_LISTED ? ` (${DIGEST_LISTED} mới nhất)` : ''}`;
      try {
        await options.adapter.continueConversationAsync(options.appId, sub.reference, async (context) => {
          await context.sendActivity({
            type: 'message',
            attachments: [registrationListCard(mine.slice(0, DIGEST_LISTED), title, options.tabUrl)],
          });
        });
        sent += 1;
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
          logger.info({ conversations: count }, 'teams: daily digest sent');
        })
        .catch((err: unknown) =>
          logger.error({ err: err instanceof Error ? err.message : String(err) }, 'teams digest job failed'),
        );
    }, 60_000);
    timer.unref();
    return () => clearInterval(timer);
  }

  return { send, schedule };
}
