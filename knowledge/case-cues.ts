/**
 * Cues of the cases owners and officers both bring, read on folded text (no diacritics), shared
 * so the two audiences' rules cannot drift apart.
 */

/** Something was funded before: "đã được hỗ trợ", "tỉnh hỗ trợ rồi". */
const FUNDED_BEFORE = /\b(da (duoc|nhan|co|dung|lay|xin)|roi)\b/;
/** By a budget or a programme. */
const BUDGET = /\b(ngan sach|khuyen cong dia phuong|nguon (von )?khac|chuong trinh khac|ho tro)\b/;
/** And the same is asked again. */
const AGAIN =
  /\b(ho tro (tiep|them|nua|lai)|xin (them|tiep|nua|lai)|hai lan|2 lan|trung|chong cheo|cung (mot|1) (khoan|hang muc|may|noi dung)|chinh (may|hang muc|khoan|noi dung) do|tiep (duoc|dc)|them (duoc|dc))\b/;

/** A cost already funded from a budget, asked to be funded again (TT 36/2013: not twice). */
export function asksFundingAgain(folded: string): boolean {
  const text = ` ${folded} `;
  return FUNDED_BEFORE.test(text) && BUDGET.test(text) && AGAIN.test(text);
}
