/**
 * What a message asks the bot to do, read from its folded text (no diacritics, shorthand
 * expanded). Questions about khuyến công are left to the knowledge base.
 */
export type Intent =
  'restart' | 'delete-data' | 'register' | 'resume' | 'check-eligibility' | 'my-registration' | undefined;

const RESTART = /^(bat dau lai|lam lai|restart|start over|huy|thoi huy)$/;
const DELETE = /\b(xoa|xoa het|xoa toan bo|huy)\b.*\b(du lieu|thong tin)\b/;
const RESUME = /^(tiep tuc|lam tiep|dien tiep|dang ky tiep|tiep|continue|tiep tuc dang ky|tiep tuc dien)$/;
const MY_REGISTRATION =
  /^(?:(?:cho (?:toi|em|minh) )?(?:xem (?:lai )?)?(?:ma (?:dang ky|ho so)|ban dang ky|dang ky|ho so)(?: cua (?:toi|em|minh))?|(?:toi|em|minh) (?:quen|can|muon xem) (?:ma dang ky|ma|ban dang ky)(?: cua (?:toi|em|minh))?|xem lai (?:ban )?dang ky(?: cua (?:toi|em|minh))?)(?: (?:la gi|dau|a|nhe|voi))*$/;
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
  if (MY_REGISTRATION.test(folded) && !/^(?:dang ky|ho so)$/.test(folded)) return 'my-registration';
  if (ELIGIBILITY.some((r) => r.test(folded))) return 'check-eligibility';
  if (REGISTER.some((r) => r.test(folded)) && !BUSINESS_REGISTRATION.test(folded)) return 'register';
  return undefined;
}
