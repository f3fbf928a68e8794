import { ENTITY_ENTRY } from './conversation.ts';
import { judgeEligibility } from './eligibility-rules.ts';
import type { OwnerFacts } from './owner-facts.ts';
import { LEVEL_SOURCE, SUPPORT_LEVELS, supportLine, WANT_NAMES } from './support-levels.ts';

/** A reply about the owner's own case: verdict, computed amount, next step, sources. */
export interface SituationReply {
  text: string;
  sources: string[];
  /** The entry closest to the reply, for follow-ups and buttons. */
  entryId: string;
  verdict: 'likely' | 'not-eligible' | 'check';
}

const ELIGIBLE_TYPES = 'hộ kinh doanh, hợp tác xã, tổ hợp tác hoặc doanh nghiệp nhỏ và vừa';

/**
 * Judges the owner's case from the facts they gave (NĐ 235/2025, NĐ 45/2012, TT 46/2012) and
 * computes the support for their numbers (TT 28/2018), in one short reply.
 */
export function composeSituation(f: OwnerFacts): SituationReply {
  const verdict = judgeEligibility(f);
  const lines: string[] = [];
  const notes: string[] = [];
  if (f.formerProvince && f.province)
    notes.push(
      `${f.formerProvince} nay thuộc ${f.provinceIsCity ? 'TP.' : 'tỉnh'} ${f.province.replace(/^TP\. /, '')}.`,
    );
  if (f.namedDistrict && !f.locality)
    notes.push('Từ 01/7/2025 không còn cấp huyện: anh/chị cho tôi biết tên xã, phường hoặc đặc khu mới nhé.');
  const reasons = verdict.reasons.join(' ');
  switch (verdict.verdict) {
    case 'likely':
      lines.push(
        f.entity
          ? `Dạ, theo thông tin anh/chị nêu, cơ sở có khả năng thuộc diện được hỗ trợ khuyến công. ${reasons}`.trim()
          : `Dạ, cơ sở có khả năng thuộc diện được hỗ trợ khuyến công nếu đã đăng ký là ${ELIGIBLE_TYPES}. ${reasons}`.trim(),
      );
      break;
    case 'not-eligible':
      lines.push(`Dạ, theo thông tin anh/chị nêu, cơ sở không thuộc diện được hỗ trợ khuyến công. ${reasons}`);
      break;
    case 'check':
      lines.push(`Dạ, tôi chưa kết luận được. ${reasons}`);
      break;
  }
  if (verdict.ask) lines.push(verdict.ask);
  lines.push(...notes);
  // An amount with nothing said of what it buys is read as machinery, and said so.
  const assumed =
    !f.want && f.amount !== undefined ? `Nếu là ${lowerFirst(supportLine('machine', f.amount)!)}` : undefined;
  const amountLine = verdict.verdict === 'not-eligible' ? undefined : f.want ? wantLine(f) : assumed;
  if (amountLine)
    lines.push(verdict.verdict === 'check' && !assumed ? `Nếu thuộc diện: ${lowerFirst(amountLine)}` : amountLine);
  lines.push(nextStep(f, verdict.verdict));
  const sources = ['Nghị định 235/2025/NĐ-CP (từ 15/10/2025)'];
  if (f.sector === 'brick-kiln') sources.push('Thông tư 46/2012');
  if (f.sector === 'mining') sources.push('Nghị định 45/2012/NĐ-CP, Điều 5');
  if (amountLine && (assumed || (f.want && SUPPORT_LEVELS[f.want]))) sources.push(LEVEL_SOURCE);
  const level = f.want && verdict.verdict !== 'not-eligible' ? SUPPORT_LEVELS[f.want]?.entry : undefined;
  const entryId =
    level ??
    (f.entity ? ENTITY_ENTRY[f.entity] : undefined) ??
    (f.province || f.locality ? 'eligibility-location' : 'eligibility-who');
  return { text: `${lines.join('\n')}\n\nNguồn: ${sources.join('; ')}.`, sources, entryId, verdict: verdict.verdict };
}

function wantLine(f: OwnerFacts): string | undefined {
  if (!f.want) return undefined;
  const known = supportLine(f.want, f.amount);
  if (known) return known;
  return `Mức hỗ trợ ${WANT_NAMES[f.want]} tôi không có số liệu (Thông tư 28/2018/TT-BTC tôi có chỉ nêu mức cho máy móc, dây chuyền, mô hình trình diễn).`;
}

function nextStep(f: OwnerFacts, verdict: SituationReply['verdict']): string {
  const where = f.province ? ` ${f.provinceIsCity ? 'TP.' : 'tỉnh'} ${f.province.replace(/^TP\. /, '')}` : ' tỉnh mình';
  if (f.entity === 'unregistered' || f.entity === 'household') {
    return `Bước tiếp: đăng ký hộ kinh doanh (ở cấp xã), rồi liên hệ Sở Công Thương${where} để lập đề án.`;
  }
  if (verdict === 'not-eligible') return `Anh/chị có thể hỏi thêm Sở Công Thương${where} nếu trường hợp có điểm khác.`;
  return `Bước tiếp: liên hệ Sở Công Thương (Trung tâm Khuyến công)${where} để lập đề án; tôi có thể giúp điền trước bản đăng ký.`;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
