/**
 * What a message asks the bot to do, read from its folded text (no diacritics, shorthand
 * expanded). Questions about khuyến công are left to the knowledge base.
 */
export type Intent =
  'restart' | 'delete-data' | 'register' | 'resume' | 'check-eligibility' | 'my-registration' | 'my-status' | undefined;

const RESTART = /^(bat dau lai|lam lai|restart|start over|huy|thoi huy)$/;
const DELETE = /\b(xoa|xoa het|xoa toan bo|huy)\b.*\b(du lieu|thong tin)\b/;
const RESUME = /^(tiep tuc|lam tiep|dien tiep|dang ky tiep|tiep|continue|tiep tuc dang ky|tiep tuc dien)$/;
const MY_REGISTRATION =
  /^(?:(?:cho (?:toi|em|minh) )?(?:xem (?:lai )?)?(?:ma (?:dang ky|ho so)|ban dang ky|dang ky|ho so)(?: cua (?:toi|em|minh))?|(?:toi|em|minh) (?:quen|can|muon xem) (?:ma dang ky|ma|ban dang ky)(?: cua (?:toi|em|minh))?|xem lai (?:ban )?dang ky(?: cua (?:toi|em|minh))?)(?: (?:la gi|dau|a|nhe|voi))*$/;
// "hồ sơ của tôi tới đâu rồi", "đăng ký của em đến đâu rồi", "tình trạng KC-2026-000123", "tình trạng hồ sơ".
const MY_STATUS = [
  /\b(ho so|dang ky|de an|ban dang ky)( cua (toi|em|minh))? (toi|den|duoc) dau( roi)?\b/,
  /^(cho (toi|em|minh) )?(xem |hoi )?(tinh trang|trang thai)( (ho so|dang ky|de an|ban dang ky))?( cua (toi|em|minh))?( kc ?\d{4} ?\d{6})?( (the nao|ra sao|nhu the nao|sao roi))?$/,
  /\b(ho so|dang ky|de an)( cua (toi|em|minh))? (da )?(duoc )?(duyet|xet) chua\b/,
];
const REGISTER = [
  /^(toi |minh |em |chung toi )?(muon|can|xin|cho toi|giup toi|giup minh|muon duoc) ?(dang ky|dien|lam ho so|lam de an|nop de an|dang ky de an|dien ban dang ky|dang ky khuyen cong)\b/,
  /^(dang ky|dang ki)( de an| khuyen cong| ho tro| tham gia)*$/,
  /^dien (ban )?dang ky\b/,
  /^(lam sao|lam the nao|cach nao) de (duoc|xin) ho tro( khuyen cong)?$/,
];
const ELIGIBILITY = [
  /^kiem tra (dieu kien|nhanh|truoc|co so)/,
  /\b(co so|xuong|doanh nghiep|cong ty|hop tac xa|nha|ho)( san xuat)? (cua )?(toi|minh|em|chung toi)\b.*\b(duoc ho tro|du dieu kien|thuoc doi tuong|thuoc dien|duoc huong)\b/,
  /^(toi|minh|em) (co )?(du dieu kien|duoc ho tro) (khong|chua)$/,
];

// Registering a business is another procedure (FACTS §8), not the khuyến công registration.
const BUSINESS_REGISTRATION = /\bdang ky (ho kinh doanh|kinh doanh|doanh nghiep|giay phep)\b/;

/** The intent of a message, if it is one of the bot's own flows. */
export function detectIntent(folded: string): Intent {
  if (RESTART.test(folded)) return 'restart';
  if (DELETE.test(folded)) return 'delete-data';
  if (RESUME.test(folded)) return 'resume';
  if (MY_STATUS.some((r) => r.test(folded))) return 'my-status';
  if (MY_REGISTRATION.test(folded) && !/^(?:dang ky|ho so)$/.test(folded)) return 'my-registration';
  if (ELIGIBILITY.some((r) => r.test(folded))) return 'check-eligibility';
  if (REGISTER.some((r) => r.test(folded)) && !BUSINESS_REGISTRATION.test(folded)) return 'register';
  return undefined;
}
