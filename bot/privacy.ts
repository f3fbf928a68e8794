const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
// Phone numbers, tax codes and ID numbers: nine or more digits, possibly split by spaces, dots or dashes.
const LONG_NUMBER = /(?:\+?\d[\s.-]?){8,}\d/g;

/**
 * Masks e-mail addresses and long numbers (phone numbers, tax codes, ID numbers) in free text
 * before it is kept or logged; amounts such as "300 triệu" or "20/6/2023" are left alone.
 */
export function redactPersonalData(text: string): string {
  return text.replace(EMAIL, '[email]').replace(LONG_NUMBER, '[số]');
}
