import type { OwnerFacts } from './owner-facts.ts';

/** The verdict on a facility's case, with its reasons (each a short Vietnamese sentence). */
export interface Verdict {
  verdict: 'likely' | 'not-eligible' | 'check';
  reasons: string[];
  /** The one decisive thing still unknown, asked as a question. */
  ask?: string;
}

/** Vietnamese names of the entity types. */
export const ENTITY_NAMES: Record<NonNullable<OwnerFacts['entity']>, string> = {
  dnnvv: 'doanh nghiệp nhỏ và vừa',
  htx: 'hợp tác xã',
  lhhtx: 'liên hiệp hợp tác xã',
  tht: 'tổ hợp tác',
  hkd: 'hộ kinh doanh',
  large: 'doanh nghiệp lớn',
  unregistered: 'cá nhân, hộ chưa đăng ký kinh doanh',
  household: 'hộ gia đình',
};

const ELIGIBLE_TYPES = 'doanh nghiệp nhỏ và vừa, hợp tác xã, liên hiệp hợp tác xã, tổ hợp tác, hộ kinh doanh';

/**
 * Applies NĐ 235/2025 (in force 15/10/2025), NĐ 45/2012 Điều 5 and TT 46/2012 (FACTS §3, §7) to
 * what is known; unknown facts do not count against the facility, a decisive one is asked.
 */
export function judgeEligibility(f: OwnerFacts): Verdict {
  const not: string[] = [];
  const check: string[] = [];
  const ok: string[] = [];
  let ask: string | undefined;
  switch (f.entity) {
    case 'unregistered':
      not.push(
        `Cá nhân, hộ chưa đăng ký kinh doanh không thuộc các loại hình được hỗ trợ (${ELIGIBLE_TYPES}). Cách vào diện hỗ trợ là đăng ký hộ kinh doanh (thường ở cấp xã).`,
      );
      break;
    case 'large':
      not.push(`Doanh nghiệp lớn không phải cơ sở công nghiệp nông thôn: chỉ ${ELIGIBLE_TYPES} được hỗ trợ.`);
      break;
    case 'household':
      check.push('Hộ gia đình được hỗ trợ khi đã đăng ký hộ kinh doanh; chưa đăng ký thì chưa thuộc diện.');
      break;
    case undefined:
      break;
    default:
      ok.push(`${capitalise(ENTITY_NAMES[f.entity])} là loại hình được hỗ trợ.`);
  }
  if (f.province || f.provinceIsCity) {
    const where = !f.province
      ? 'thành phố trực thuộc trung ương'
      : f.provinceIsCity
        ? `TP. ${f.province.replace(/^TP\. /, '')}`
        : `tỉnh ${f.province}`;
    if (!f.provinceIsCity) {
      ok.push(`Ở ${where}, mọi xã, phường, đặc khu đều thuộc địa bàn.`);
    } else if (f.locality === 'xa' || f.locality === 'dac-khu') {
      ok.push(`Ở ${where}, xã và đặc khu thuộc địa bàn.`);
    } else if (f.locality === 'phuong') {
      if (f.craftVillage === 'yes')
        ok.push(
          `Phường của ${where} chỉ thuộc địa bàn khi trong làng nghề được công nhận; cơ sở trong làng nghề được UBND cấp tỉnh công nhận thì được.`,
        );
      else if (f.craftVillage === 'no')
        not.push(
          `Ở phường của ${where}${f.province ? ' (thành phố trực thuộc trung ương)' : ''}, chỉ cơ sở trong làng nghề được công nhận mới thuộc địa bàn.`,
        );
      else {
        not.push(
          `Ở phường của ${where}${f.province ? ' (thành phố trực thuộc trung ương)' : ''}, chỉ cơ sở trong làng nghề được UBND cấp tỉnh công nhận mới thuộc địa bàn.`,
        );
        ask = 'Cơ sở có nằm trong làng nghề được công nhận không ạ?';
      }
    } else if (f.craftVillage === 'yes') {
      ok.push(`Cơ sở trong làng nghề được UBND cấp tỉnh công nhận thuộc địa bàn, kể cả ở ${where}.`);
    } else {
      check.push(`Ở ${where}, xã và đặc khu thuộc địa bàn; phường chỉ khi trong làng nghề được công nhận.`);
      ask ??= 'Cơ sở ở xã hay phường ạ?';
    }
  }
  if (f.sector === 'brick-kiln')
    not.push('Lò gạch nung thủ công cải tiến và lò vòng không được hỗ trợ (Thông tư 46/2012).');
  if (f.sector === 'mining') {
    if (f.difficultArea === 'yes')
      ok.push('Khai thác, chế biến khoáng sản được hỗ trợ ở địa bàn khó khăn, đặc biệt khó khăn.');
    else if (f.difficultArea === 'no')
      not.push(
        'Khai thác, chế biến khoáng sản chỉ được hỗ trợ ở địa bàn có điều kiện kinh tế - xã hội khó khăn hoặc đặc biệt khó khăn.',
      );
    else {
      check.push('Khai thác, chế biến khoáng sản chỉ được hỗ trợ ở địa bàn khó khăn, đặc biệt khó khăn.');
      ask ??= 'Xã của cơ sở có thuộc địa bàn khó khăn không? (Sở Công Thương xác nhận được.)';
    }
  }
  if (not.length > 0)
    return {
      verdict: 'not-eligible',
      reasons: not,
      ...(ask && f.entity !== 'unregistered' && f.entity !== 'large' ? { ask } : {}),
    };
  if (check.length > 0) return { verdict: 'check', reasons: [...check, ...ok], ...(ask ? { ask } : {}) };
  return { verdict: 'likely', reasons: ok };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
