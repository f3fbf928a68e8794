import type { Deadline } from './schema.ts';

const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(now: Date, timeZone: string): string {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // en-CA formats as YYYY-MM-DD; building a formatter is costly, so one is kept per zone.
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, formatter);
  }
  return formatter.format(now);
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
  return n.toLocaleString('vi-VN');
}

/** One line saying whether a deadline is past, today, or how many days remain. */
export function describeDeadline(deadline: Deadline, today: string): string {
  const days = daysUntil(deadline.date, today);
  const head = `${deadline.label}: hạn ${formatDateVi(deadline.date)} (kế hoạch năm ${deadline.planYear})`;
  if (days > 0) return `${head}, còn ${formatCount(days)} ngày.`;
  if (days === 0) return `${head}, hôm nay là ngày cuối.`;
  return `${head}, đã hết hạn (${formatCount(-days)} ngày trước). Hạn của chu kỳ tiếp theo do văn bản định hướng năm sau quy định.`;
}
