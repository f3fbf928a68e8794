import type { Deadline } from './schema.ts';

const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
// The last date computed per zone, by UTC minute: every zone's offset is a whole number of
// minutes, so the local date cannot change within one, and formatting costs more than a turn's
// other arithmetic.
const lastDates = new Map<string, { minute: number; date: string }>();
const counts = new Intl.NumberFormat('vi-VN');

/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(now: Date, timeZone: string): string {
  const minute = Math.floor(now.getTime() / 60_000);
  const last = lastDates.get(timeZone);
  if (last?.minute === minute) return last.date;
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // en-CA formats as YYYY-MM-DD; building a formatter is costly, so one is kept per zone.
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, formatter);
  }
  const date = formatter.format(now);
  lastDates.set(timeZone, { minute, date });
  return date;
}

/** Whole days from `today` to `date` (both YYYY-MM-DD); negative when the date is past. */
export function daysUntil(date: string, today: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
}

/** "2023-06-20" → "20/6/2023", the way Vietnamese documents write dates. */
export function formatDateVi(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${d}/${m}/${y}`;
}

function formatCount(n: number): string {
  return counts.format(n);
}

/** One line saying whether a deadline is past, today, or how many days remain. */
export function describeDeadline(deadline: Deadline, today: string): string {
  const days = daysUntil(deadline.date, today);
  const head = `${deadline.label}: hạn ${formatDateVi(deadline.date)} (kế hoạch năm ${deadline.planYear})`;
  if (days > 0) return `${head}, còn ${formatCount(days)} ngày.`;
  if (days === 0) return `${head}, hôm nay là ngày cuối.`;
  return `${head}, đã hết hạn (${formatCount(-days)} ngày trước). Hạn của chu kỳ tiếp theo do văn bản định hướng năm sau quy định.`;
}

/**
 * An entry's deadlines as an answer shows them: those of the newest plan year counted down, one
 * line each; those of earlier cycles after them as history, on one line.
 */
export function describeDeadlines(deadlines: readonly Deadline[], today: string): string[] {
  if (deadlines.length === 0) return [];
  const newest = Math.max(...deadlines.map((d) => d.planYear));
  const lines = deadlines.filter((d) => d.planYear === newest).map((d) => `⏰ ${describeDeadline(d, today)}`);
  const older = deadlines.filter((d) => d.planYear < newest).sort((a, b) => b.planYear - a.planYear);
  if (older.length > 0)
    lines.push(
      `🗂 Các chu kỳ trước: ${older.map((d) => `${d.label}: ${formatDateVi(d.date)} (kế hoạch năm ${d.planYear})`).join('; ')}.`,
    );
  return lines;
}

/**
 * The newest plan year the deadlines belong to, and whether every deadline of it has passed by
 * `today`: then curators should enter the next cycle's dates.
 */
export function cycleStatus(
  deadlines: readonly Deadline[],
  today: string,
): { planYear: number; allPassed: boolean } | undefined {
  if (deadlines.length === 0) return undefined;
  const planYear = Math.max(...deadlines.map((d) => d.planYear));
  const allPassed = deadlines.filter((d) => d.planYear === planYear).every((d) => daysUntil(d.date, today) < 0);
  return { planYear, allPassed };
}

/** A cycle whose every known deadline has passed: national (province null) or a province's own. */
export interface StaleCycle {
  province: string | null;
  planYear: number;
}

/**
 * The cycles curators should follow up: the national entries' newest plan year, and each
 * province's own entries' newest, where every deadline of it has passed by `today` and no newer
 * plan year is known.
 */
export function staleCycles(
  entries: readonly { province?: string | null; deadlines: readonly Deadline[] }[],
  today: string,
): StaleCycle[] {
  const byScope = new Map<string | null, Deadline[]>();
  for (const e of entries) {
    if (e.deadlines.length === 0) continue;
    const scope = e.province ?? null;
    byScope.set(scope, [...(byScope.get(scope) ?? []), ...e.deadlines]);
  }
  const stale: StaleCycle[] = [];
  for (const [province, deadlines] of byScope) {
    const status = cycleStatus(deadlines, today);
    if (status?.allPassed) stale.push({ province, planYear: status.planYear });
  }
  return stale.sort((a, b) => (a.province ?? '').localeCompare(b.province ?? '', 'vi'));
}

/** Day and month written in a message: "30/9", "20-6-2023", "ngày 30 tháng 9". */
const DAY_MONTH =
  /(?<![\d.,])(\d{1,2})\s*[/-]\s*(\d{1,2})(?:\s*[/-]\s*\d{2,4})?(?![\d.,])|\bngay (\d{1,2}) thang (\d{1,2})\b/g;

/** The day-and-month pairs ("MM-DD") a message names, from its normalised and its folded text. */
export function datesNamed(normalized: string, folded: string): string[] {
  const out = new Set<string>();
  for (const text of [normalized, folded]) {
    for (const m of text.matchAll(DAY_MONTH)) {
      const day = Number(m[1] ?? m[3]);
      const month = Number(m[2] ?? m[4]);
      if (day >= 1 && day <= 31 && month >= 1 && month <= 12)
        out.add(`${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
    }
  }
  return [...out];
}

/** True when a deadline falls on one of the named day-and-month pairs, whatever its year. */
export function dueOnAny(deadline: Deadline, named: readonly string[]): boolean {
  return named.includes(deadline.date.slice(5));
}
