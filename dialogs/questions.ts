/**
 * Whether a message in the middle of a form is a question rather than an answer: a question is
 * answered from the knowledge base and the same field asked again, never saved as the answer.
 * The text is folded first (no diacritics, shorthand expanded); the question mark is read on the
 * raw text.
 */
const PARTICLES = '(?: (?:vay|the|nhi|a|ha|ta|nhe|ban|ad|em|anh|chi))*';
/** Openings of a question: "cho em hỏi", "xin hỏi", "tại sao", "bao nhiêu", "mức hỗ trợ …", "hạn nộp …". */
const QUESTION_START = new RegExp(
  `^(?:(?:da |vang |a )?(?:cho (?:toi |minh |em |anh |chi |con )?hoi|xin hoi|hoi (?:chut|ti|xiu|them|lai)|(?:toi|em|minh) (?:muon|can) hoi)|the nao|lam sao|lam the nao|tai sao|vi sao|bao nhieu|khi nao|bao gio|o dau|ai (?:duoc|la|co|phai)|can (?:gi|nhung gi)|la gi|nghia la gi|muc ho tro|han (?:nop|dang ky|cuoi|chot))\\b`,
);
/** Endings of a question: "… là gì vậy ạ", "… được không", "… bao nhiêu", "… thế nào". */
const QUESTION_END = new RegExp(
  `(?:^| )(?:la gi|nghia la gi|la sao|(?:lam|can|de|lay|dung) gi|duoc khong|bao nhieu|the nao|nhu the nao|ra sao|o dau|khi nao|bao gio|duoc bao nhieu|phai khong|dung khong)${PARTICLES}$`,
);
/** "có được … không", "có phải … không", "có cần … chưa": a yes-no question. */
const YES_NO_QUESTION = new RegExp(`\\b(?:co|duoc|phai|can|nen|bi|da)\\b.* (?:khong|chua)${PARTICLES}$`);

/** True for text that reads as a question rather than an answer to a field. */
export function looksLikeQuestion(text: string, folded: string): boolean {
  return (
    /\?\s*$/.test(text.trim()) ||
    QUESTION_START.test(folded) ||
    QUESTION_END.test(folded) ||
    YES_NO_QUESTION.test(folded)
  );
}
