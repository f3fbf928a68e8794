import type { FormValues } from './form-dialog.ts';
import { findPlace, provinceAtEnd } from './places.ts';
import { parseEmail, parsePhone, parseTaxCode } from './validators.ts';

/** Words a facility's name begins with, and the entity type some of them say plainly. */
const NAME_START =
  /^\s*((?:htx|hợp tác xã|hop tac xa|liên hiệp htx|lien hiep htx|công ty|cong ty|cty|hộ kinh doanh|ho kinh doanh|tổ hợp tác|to hop tac|cơ sở|co so|doanh nghiệp|doanh nghiep|dn|xưởng|xuong|làng nghề|lang nghe|nhà máy|nha may|xí nghiệp|xi nghiep)\s)/iu;
const ENTITY_BY_START: [RegExp, string][] = [
  [/^(liên hiệp htx|lien hiep htx|liên hiệp hợp tác xã|lien hiep hop tac xa)\s/iu, 'lhhtx'],
  [/^(htx|hợp tác xã|hop tac xa)\s/iu, 'htx'],
  [/^(tổ hợp tác|to hop tac)\s/iu, 'tht'],
  [/^(hộ kinh doanh|ho kinh doanh)\s/iu, 'hkd'],
];

/**
 * Where a name ends in a volunteered sentence: "… của tôi", "… ở …", "… tại …", a comma, or the
 * contact details ("Xưởng cơ khí Minh Phát của tôi ở Bắc Giang, sdt 0912 …"). The prepositions
 * count in lower case only: "Tài Lộc" in a name is not "tại".
 */
const NAME_END_WORD =
  /\s+(?:của (?:tôi|em|mình|chúng tôi|gia đình)|cua (?:toi|em|minh|chung toi|gia dinh)|ở|o|tại|tai|thuộc|thuoc)\s|\s*[,;(]|\s+[-–]\s/u;
const NAME_END_CUE =
  /\s+(?:sđt|sdt|đt|dt|số điện thoại|so dien thoai|điện thoại|dien thoai|mst|mã số thuế|ma so thue|email|zalo)\b/iu;

/** The name at the start of a sentence, without what follows it; the whole text when nothing follows. */
export function nameFrom(text: string): string {
  const trimmed = text.trim();
  const ends = [NAME_END_WORD.exec(trimmed)?.index, NAME_END_CUE.exec(trimmed)?.index].filter(
    (i): i is number => i !== undefined,
  );
  return (ends.length > 0 ? trimmed.slice(0, Math.min(...ends)) : trimmed).trim();
}

/** After "ở" or "tại": the place phrase, up to the contact details. */
const PLACE_CUE =
  /(?:^|\s)(?:ở|o|tại|tai|thuộc|thuoc|địa chỉ|dia chi)\s+(.+?)(?=\s*[,;]?\s*(?:sđt|sdt|đt|dt|số điện thoại|so dien thoai|điện thoại|dien thoai|mst|mã số thuế|ma so thue|email|zalo)\b|$)/iu;
/** A commune named with its level, capitalised as a proper name: "xã Tân Mỹ", "phường Lái Thiêu". */
const COMMUNE = /(?:^|[\s,])((?:xã|phường|đặc khu)\s+(?:\p{Lu}[\p{L}]*|\d+)(?:\s+(?:\p{Lu}[\p{L}]*|\d+)){0,3})/u;
const CONTACT_CUE =
  /(?:sđt|sdt|đt|dt|số điện thoại|so dien thoai|điện thoại|dien thoai|phone|zalo|liên hệ|lien he|gọi|goi)\s*:?\s*((?:\+84|84|0)[\d .-]{8,13}\d)/iu;

/**
 * Fields a message gives beyond the one asked, taken only from clear patterns: a phone number
 * after "sđt", an e-mail address, a tax code after "MST", a province after "ở"/"tại" (never from
 * inside a name: "Mộc mỹ nghệ An Bình" is not Nghệ An), a commune written "xã …", the entity type
 * a name begins with ("HTX …"). The facility's or the contact's name is what comes before all that.
 * `asked` is the field being answered, undefined for the first message.
 */
export function volunteeredFields(text: string, values: FormValues, asked?: string): FormValues {
  const out: FormValues = {};
  const free = (id: string) => values[id] === undefined && asked !== id;
  const phone =
    CONTACT_CUE.exec(text) ?? (asked === 'contactPerson' ? /((?:\+84|84|0)\d[\d .-]{7,12}\d)\s*$/.exec(text) : null);
  if (phone && free('phone')) {
    const parsed = parsePhone(phone[1]);
    if (parsed.ok) out.phone = parsed.value;
  }
  const email = /[\w.+-]+@[\w-]+(\.[\w-]+)+/.exec(text);
  if (email && free('email')) {
    const parsed = parseEmail(email[0]);
    if (parsed.ok) out.email = parsed.value;
  }
  const tax = /(?:mst|mã số thuế|ma so thue)\s*:?\s*(\d[\d .-]{8,16}\d)/iu.exec(text);
  if (tax && free('taxCode')) {
    const parsed = parseTaxCode(tax[1]);
    if (parsed.ok) out.taxCode = parsed.value;
  }
  const place = PLACE_CUE.exec(text);
  if (place && free('province') && asked !== 'address' && asked !== 'implementationPlace') {
    const found = provinceAtEnd(place[1]);
    if (found && found.kind !== 'district') {
      out.province = found.match.province.name;
      if (found.note) out.provinceNote = found.note;
      if (found.kind === 'special-zone' && free('commune')) out.commune = `đặc khu ${found.zone}`;
    }
  }
  if (asked === 'province' && free('commune')) {
    // "Phú Quốc" answers the province (An Giang) and the special zone at once.
    const zone = findPlace(text);
    if (zone?.kind === 'special-zone') out.commune = `đặc khu ${zone.zone}`;
  }
  const commune = COMMUNE.exec(text);
  if (commune && free('commune') && (asked === undefined || asked === 'facilityName' || asked === 'province'))
    out.commune = commune[1].trim();

  if (asked === undefined || asked === 'facilityName') {
    // "Cơ sở của tôi tên là Mộc Hưng", "xưởng em có tên Minh Phát": the name is what follows.
    const called = /(?:^|\s)(?:tên là|ten la|có tên(?: là)?|co ten(?: la)?|tên cơ sở là|ten co so la)\s+(.+)$/iu.exec(
      text,
    );
    const name = called
      ? nameFrom(called[1])
      : NAME_START.test(text) || asked === 'facilityName'
        ? nameFrom(text)
        : undefined;
    if (name && name.length >= 2 && (asked === 'facilityName' || values.facilityName === undefined)) {
      out.facilityName = name;
      if (values.entityType === undefined) {
        const entity = ENTITY_BY_START.find(([start]) => start.test(name));
        if (entity) out.entityType = entity[1];
      }
    }
  }
  if (asked === 'contactPerson') {
    // "Tôi tên là Nguyễn Văn An, sđt …": the name alone.
    const bare = text
      .replace(/((?:\+84|84|0)\d[\d .-]{7,12}\d)\s*$/, '')
      .replace(
        /^\s*(?:(?:tôi|em|mình|toi|minh) (?:tên là|ten la|là|la|tên|ten)|tên (?:tôi|em|mình) là|ten (?:toi|em|minh) la|(?:người liên hệ|nguoi lien he)(?: là| la)?:?)\s+/iu,
        '',
      );
    const name = nameFrom(bare);
    if (name.length >= 2) out.contactPerson = name.replace(/[\s,.]+(ạ|nhé|nha)$/iu, '');
  }
  return out;
}
