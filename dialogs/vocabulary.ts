/**
 * The short replies every form understands, in the forms people type them: accented or not
 * (the text is folded first), shorthand ("ko", "k", "dc", "ok"), with a polite particle or not
 * ("hủy ạ", "để sau nhé", "thôi hủy đi"). A reply is recognised only as a whole message: "hủy"
 * inside a sentence is not a command.
 */
export type ReplyWord =
  'yes' | 'no' | 'none' | 'cancel' | 'later' | 'back' | 'skip' | 'help' | 'restore' | 'continue' | 'keep' | 'confirm';

const WORDS: Record<ReplyWord, string[]> = {
  yes: [
    'co',
    'dong y',
    'ok',
    'oke',
    'okie',
    'u',
    'uh',
    'um',
    'vang',
    'da',
    'da co',
    'yes',
    'chac chan',
    'dung',
    'dung roi',
    'duoc',
    'dc',
    'co dong y',
  ],
  no: ['khong', 'ko', 'k', 'kg', 'no', 'chua', 'sai', 'khong dong y', 'ko dong y', 'k dong y'],
  none: [
    'khong co',
    'ko co',
    'k co',
    'kg co',
    'chua co',
    'khong co a',
    'khong co gi',
    'khong co email',
    'chua co email',
    'khong dung email',
    'khong co mail',
    'khong co gmail',
    'khong co nguon khac',
    'khong co nguon nao',
  ],
  cancel: [
    'huy',
    'huy bo',
    'thoi huy',
    'huy di',
    'cancel',
    'huy dang ky',
    'huy ban dang ky',
    'huy ban nay',
    'khong dang ky nua',
    'thoi khong dang ky nua',
    'bo dang ky',
    'huy ho so',
    'co huy',
    'huy ban',
  ],
  later: [
    'de sau',
    'luc khac',
    'tam dung',
    'later',
    'de luc khac',
    'lam sau',
    'tam dung lai',
    'de mai',
    'dien sau',
    'bao sau',
    'de khi khac',
  ],
  back: [
    'quay lai',
    'lui lai',
    'back',
    'tro lai',
    'quay lai buoc truoc',
    'cau truoc',
    'buoc truoc',
    'quay lai cau truoc',
    'lui',
  ],
  skip: ['bo qua', 'skip', 'de trong', 'bo trong', 'khong biet', 'ko biet', 'chua biet'],
  help: ['tro giup', 'help', 'huong dan', 'giup toi', 'giup', 'giup em', 'giup minh', 'tro giup toi', 'huong dan toi'],
  restore: ['khoi phuc', 'phuc hoi', 'lay lai', 'hoan tac', 'undo', 'khoi phuc ban dang ky', 'lay lai ban dang ky'],
  continue: [
    'tiep tuc',
    'tiep',
    'lam tiep',
    'dien tiep',
    'continue',
    'next',
    'tiep tuc dien',
    'tiep tuc dang ky',
    'tiep di',
    'tiep nao',
  ],
  keep: ['giu nguyen', 'giu', 'giu nhu cu', 'nhu cu', 'khong doi', 'khong sua'],
  confirm: ['xac nhan', 'luu', 'gui', 'xac nhan luu', 'luu lai', 'luu di', 'dong y luu'],
};

/** Single words that are also given names ("Huy"): where a field expects a name or free text they are the answer. */
export const NAME_LIKE = new Set(['huy']);

const INDEX = new Map<string, ReplyWord[]>();
for (const [word, forms] of Object.entries(WORDS) as [ReplyWord, string[]][]) {
  for (const form of forms) INDEX.set(form, [...(INDEX.get(form) ?? []), word]);
}

/** Polite particles and softeners around a reply ("ạ", "nhé", "đi", "giúp em"). */
const TRAILING =
  /(?: (?:a|nhe|nha|nhen|di|luon|nhe a|a nhe|giup em|giup toi|giup minh|cho em|cho toi|voi|ban oi|ad|admin))+$/;
const LEADING = /^(?:(?:da|vang|thoi|em|toi|minh|cho em|cho toi|em muon|toi muon|minh muon|xin) )+/;

/** The reply words a whole message is, most specific first; empty for anything else. */
export function replyWords(folded: string): ReplyWord[] {
  const text = folded
    .replace(/[.!,;]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const exact = INDEX.get(text);
  if (exact) return exact;
  const bare = text.replace(TRAILING, '');
  const hit = INDEX.get(bare) ?? INDEX.get(bare.replace(LEADING, ''));
  return hit ?? [];
}

/** True when the whole message is `word` (in any of its forms). */
export function isReply(folded: string, word: ReplyWord): boolean {
  return replyWords(folded).includes(word);
}

/** The bare form of a message, without polite particles, to compare with a name-like word. */
export function bareReply(folded: string): string {
  return folded
    .replace(/[.!,;]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(TRAILING, '');
}
