import type { Want } from './owner-facts.ts';

/** A national support level of Thông tư 28/2018/TT-BTC (FACTS §4): a share of the cost, capped. */
export interface SupportLevel {
  share?: number;
  cap: number;
  /** The knowledge entry that states the level. */
  entry: string;
  /** "máy móc thiết bị", as a sentence names it. */
  what: string;
  /** How the cap is written ("300 triệu đồng mỗi cơ sở"). */
  capText: string;
}

/** The levels the sources give; every other amount is unknown to the bot. */
export const SUPPORT_LEVELS: Partial<Record<Want, SupportLevel>> = {
  machine: {
    share: 0.5,
    cap: 300e6,
    entry: 'level-machinery',
    what: 'máy móc thiết bị tiên tiến',
    capText: '300 triệu đồng mỗi cơ sở',
  },
  // "up to 1,5 times that level for a whole technology line": the cap of 300 triệu × 1,5.
  line: {
    share: 0.5,
    cap: 450e6,
    entry: 'level-technology-line',
    what: 'dây chuyền công nghệ',
    capText: '450 triệu đồng (1,5 lần mức 300 triệu)',
  },
  demo: {
    share: 0.3,
    cap: 1000e6,
    entry: 'level-demo-model',
    what: 'mô hình trình diễn kỹ thuật',
    capText: '1.000 triệu đồng mỗi mô hình',
  },
  startup: {
    cap: 10e6,
    entry: 'level-enterprise-startup',
    what: 'thành lập doanh nghiệp ở địa bàn khó khăn',
    capText: '10 triệu đồng mỗi doanh nghiệp',
  },
};

/** The source line of every computed amount. */
export const LEVEL_SOURCE = 'Thông tư 28/2018/TT-BTC (đã sửa bởi TT 64/2024/TT-BTC, chưa rõ phần sửa)';

/** Vietnamese names of what an owner may want, for sentences. */
export const WANT_NAMES: Record<Want, string> = {
  machine: 'máy móc thiết bị',
  line: 'dây chuyền công nghệ',
  demo: 'mô hình trình diễn',
  training: 'đào tạo nghề, tập huấn',
  fair: 'hội chợ, triển lãm',
  consulting: 'tư vấn, bao bì, mẫu mã',
  environment: 'xử lý ô nhiễm, sản xuất sạch hơn',
  startup: 'thành lập doanh nghiệp',
};

/** The support for a cost: the share, capped; undefined when the sources give no level. */
export function computeSupport(
  want: Want,
  cost: number,
): { amount: number; capped: boolean; level: SupportLevel } | undefined {
  const level = SUPPORT_LEVELS[want];
  if (!level) return undefined;
  const share = level.share === undefined ? level.cap : cost * level.share;
  return { amount: Math.min(share, level.cap), capped: share > level.cap, level };
}

/** 450e6 → "450 triệu", 1.2e9 → "1,2 tỷ", 62.5e6 → "62,5 triệu". */
export function formatMoney(amount: number): string {
  const fmt = (n: number) => String(Math.round(n * 100) / 100).replace('.', ',');
  return amount >= 1e9 ? `${fmt(amount / 1e9)} tỷ` : `${fmt(amount / 1e6)} triệu`;
}

/** One line computing the support for the owner's numbers, or stating the level without them. */
export function supportLine(want: Want, cost: number | undefined): string | undefined {
  const level = SUPPORT_LEVELS[want];
  if (!level) return undefined;
  if (want === 'startup')
    return `Hỗ trợ thành lập doanh nghiệp ở địa bàn khó khăn: tối đa 10 triệu đồng mỗi doanh nghiệp.`;
  const pct = `${Math.round(level.share! * 100)}%`;
  if (cost === undefined) return `Mức hỗ trợ ${level.what}: tối đa ${pct} chi phí, không quá ${level.capText}.`;
  const result = computeSupport(want, cost)!;
  const share = formatMoney(cost * level.share!);
  const head = `${capitalise(WANT_NAMES[want])} ${formatMoney(cost)}: tối đa ${pct}`;
  return result.capped
    ? `${head} = ${share}, vượt mức trần ${level.capText} → được hỗ trợ tối đa khoảng ${formatMoney(result.amount)} đồng.`
    : `${head}, không quá ${level.capText} → được hỗ trợ tối đa khoảng ${formatMoney(result.amount)} đồng.`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
