import { ENTITY_ENTRY } from './conversation.ts';
import { judgeEligibility, type Verdict } from './eligibility-rules.ts';
import type { OwnerFacts } from './owner-facts.ts';
import type { SituationReply } from './situation.ts';
import { computeSupport, formatMoney, SUPPORT_LEVELS, WANT_NAMES } from './support-levels.ts';

/** Where an officer goes beyond their own department (FACTS §2): the national body for khuyến công. */
export const NATIONAL_BODY = 'Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công (Bộ Công Thương)';

/** The rule on who and where, as an officer cites it. */
export const DECREE_SOURCE =
  'Nghị định 235/2025/NĐ-CP sửa đổi Nghị định 45/2012/NĐ-CP (đối tượng, địa bàn; hiệu lực từ 15/10/2025)';

/** The levels' source with the TT 64/2024 caveat, said once. */
export const OFFICER_LEVEL_SOURCE =
  'Thông tư 28/2018/TT-BTC (mức chi khuyến công quốc gia; đã được sửa đổi bởi Thông tư 64/2024/TT-BTC, phần sửa chưa có trong nguồn của tôi, cần đối chiếu)';

/**
 * A case told by an officer, answered for a colleague: the decision first, then the rule with its
 * document, the exception that would change it, and the computed figure with its circular.
 */
export function composeOfficerSituation(f: OwnerFacts): SituationReply {
  const verdict = judgeEligibility(f);
  // "DN thành lập mới ở xã ĐBKK được bao nhiêu" asks the level of a company still to be set up.
  const judged =
    !(f.want === 'startup' && f.entity === undefined) &&
    (f.entity !== undefined ||
      f.province !== undefined ||
      f.locality !== undefined ||
      f.craftVillage !== undefined ||
      f.sector === 'mining' ||
      f.sector === 'brick-kiln');
  const lines: string[] = [];
  const sources: string[] = [];
  if (judged) {
    const reasons = [...verdict.reasons, ...placeWithoutProvince(f)].join(' ');
    if (verdict.verdict === 'likely')
      lines.push(
        f.entity
          ? `Dạ, có: thuộc đối tượng cơ sở công nghiệp nông thôn. ${reasons}`.trim()
          : `Dạ, có, nếu cơ sở là doanh nghiệp nhỏ và vừa, hợp tác xã, liên hiệp hợp tác xã, tổ hợp tác hoặc hộ kinh doanh. ${reasons}`.trim(),
      );
    else if (verdict.verdict === 'not-eligible') lines.push(`Dạ, không thuộc đối tượng. ${reasons}`);
    else lines.push(`Dạ, chưa kết luận được. ${reasons}${verdict.ask ? ` Cần xác định: ${verdict.ask}` : ''}`);
    const exception = exceptionOf(f, verdict);
    if (exception) lines.push(exception);
    sources.push(DECREE_SOURCE);
    if (f.sector === 'mining' || verdict.verdict === 'likely')
      sources.push('Nghị định 45/2012/NĐ-CP, Điều 5 (ngành nghề)');
    if (f.sector === 'brick-kiln') sources.push('Thông tư 46/2012 (lò gạch không được hỗ trợ)');
  }
  if (f.formerProvince && f.province)
    lines.push(
      `${f.formerProvince} nay thuộc ${f.provinceIsCity ? 'TP.' : 'tỉnh'} ${f.province.replace(/^TP\. /, '')}.`,
    );
  if (f.namedDistrict && !f.locality)
    lines.push('Từ 01/7/2025 không còn cấp huyện: địa bàn xét theo xã, phường hoặc đặc khu mới của cơ sở.');
  if (verdict.verdict !== 'not-eligible' || !judged) {
    const want = f.want ?? (f.amount !== undefined ? 'machine' : undefined);
    const figure = want ? figureLine(want, f.amount, f.want === undefined) : undefined;
    if (figure) {
      lines.push(figure);
      if (SUPPORT_LEVELS[want!]) sources.push(OFFICER_LEVEL_SOURCE);
    }
  }
  if (sources.length === 0) sources.push(DECREE_SOURCE);
  const level = f.want && verdict.verdict !== 'not-eligible' ? SUPPORT_LEVELS[f.want]?.entry : undefined;
  const entryId =
    level ??
    (f.entity ? ENTITY_ENTRY[f.entity] : undefined) ??
    (f.province || f.locality
      ? 'eligibility-location'
      : f.amount !== undefined
        ? 'level-machinery'
        : 'eligibility-who');
  return { text: `${lines.join('\n')}\n\nNguồn: ${sources.join('; ')}.`, sources, entryId, verdict: verdict.verdict };
}

/** A xã, phường or đặc khu named without its province: what the rule says of each (FACTS §7). */
function placeWithoutProvince(f: OwnerFacts): string[] {
  if (f.province || !f.locality) return [];
  if (f.locality === 'phuong')
    return [
      'Phường thuộc địa bàn nếu ở tỉnh; ở thành phố trực thuộc trung ương thì chỉ khi trong làng nghề được công nhận.',
    ];
  return [`${f.locality === 'xa' ? 'Xã' : 'Đặc khu'} thuộc địa bàn ở cả tỉnh và thành phố trực thuộc trung ương.`];
}

/** The exception or condition that would turn the decision, as the sources give it. */
function exceptionOf(f: OwnerFacts, verdict: Verdict): string | undefined {
  if (f.entity === 'large')
    return 'Ngoại lệ: Nghị định 235/2025 nêu riêng doanh nghiệp, hợp tác xã đầu tư hạ tầng cụm công nghiệp và cơ sở áp dụng sản xuất sạch hơn là đối tượng được hỗ trợ.';
  if (f.entity === 'unregistered' || f.entity === 'household')
    return 'Điều làm thay đổi kết luận: đăng ký hộ kinh doanh (ở cấp xã) thì thuộc loại hình được hỗ trợ.';
  if (f.sector === 'brick-kiln')
    return 'Các dạng sản xuất vật liệu xây dựng khác vẫn thuộc ngành được hỗ trợ (Nghị định 45/2012/NĐ-CP, Điều 5).';
  if (f.sector === 'mining')
    return f.difficultArea === 'yes'
      ? 'Ngoài địa bàn khó khăn, đặc biệt khó khăn thì ngành này không được hỗ trợ.'
      : 'Điều làm thay đổi kết luận: cơ sở ở địa bàn có điều kiện kinh tế - xã hội khó khăn hoặc đặc biệt khó khăn thì được xét.';
  if (f.provinceIsCity && f.locality === 'phuong')
    return f.craftVillage === 'yes'
      ? 'Điều kiện: làng nghề phải được Ủy ban nhân dân cấp tỉnh công nhận; ngoài làng nghề thì phường của thành phố trực thuộc trung ương không thuộc địa bàn.'
      : 'Ngoại lệ: cơ sở trong làng nghề được Ủy ban nhân dân cấp tỉnh công nhận thì thuộc địa bàn; cơ sở áp dụng sản xuất sạch hơn là nhóm đối tượng riêng.';
  if (verdict.verdict === 'likely')
    return 'Điều có thể làm thay đổi kết luận: ngành nghề ngoài danh mục Điều 5 Nghị định 45/2012 (khai thác khoáng sản ngoài địa bàn khó khăn; lò gạch thủ công cải tiến, lò vòng).';
  return undefined;
}

/** "Mô hình trình diễn 3,6 tỷ × 30% = 1,08 tỷ, vượt trần … → tối đa 1 tỷ đồng; phần còn lại …". */
function figureLine(want: NonNullable<OwnerFacts['want']>, cost: number | undefined, assumed: boolean): string {
  const level = SUPPORT_LEVELS[want];
  const prefix = assumed ? 'Nếu là máy móc thiết bị: ' : 'Mức KCQG: ';
  if (!level)
    return `Mức hỗ trợ ${WANT_NAMES[want]} không có trong nguồn của tôi (Thông tư 28/2018/TT-BTC tôi có chỉ nêu mức cho máy móc, dây chuyền, mô hình trình diễn và thành lập doanh nghiệp).`;
  if (level.share === undefined) return `${prefix}${level.what}: tối đa ${level.capText}.`;
  const pct = `${Math.round(level.share * 100)}%`;
  if (cost === undefined) return `${prefix}${level.what} tối đa ${pct} chi phí, không quá ${level.capText}.`;
  const result = computeSupport(want, cost)!;
  const share = formatMoney(cost * level.share);
  const rest = cost - result.amount;
  const verdict = result.capped
    ? `vượt trần ${level.capText} → tối đa ${formatMoney(result.amount)} đồng`
    : `trong trần ${level.capText} → tối đa ${formatMoney(result.amount)} đồng`;
  return `${prefix}${WANT_NAMES[want]} ${formatMoney(cost)} × ${pct} = ${share}, ${verdict}; phần còn lại ${formatMoney(rest)} là vốn đối ứng và nguồn khác.`;
}
