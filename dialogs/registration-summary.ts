import type { FormValues } from './form-dialog.ts';
import { formatVndShort } from './money.ts';
import { budgetMismatch } from './registration-fields.ts';
import { formatField } from './registration-record.ts';

/** Free text cut to fit a phone line; the full text is in the DOCX. */
const short = (v: unknown, max = 70) => {
  const text = String(v);
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
};
const has = (v: unknown) => v !== undefined && v !== null && v !== '';
const join = (parts: unknown[], sep = ', ') => parts.filter(has).map(String).join(sep);
const amount = (v: unknown) => (typeof v === 'number' ? formatVndShort(v) : '(chưa điền)');

/**
 * The registration on about one phone screen, its values formatted by the catalogue, in three groups (cơ sở · đề án · kinh phí); long
 * texts are cut, the full record goes to the officers' DOCX.
 */
export function registrationSummary(v: FormValues): string {
  const missing = '(chưa điền)';
  const facility = [
    `Cơ sở: ${has(v.facilityName) ? short(v.facilityName, 60) : missing}${has(v.entityType) ? ` (${formatField('entityType', v)})` : ''}${has(v.taxCode) ? `, MST ${String(v.taxCode)}` : ''}`,
    `• Địa chỉ: ${join([v.address, v.commune, v.province]) || missing}`,
    `• Liên hệ: ${join([v.contactPerson, v.phone, v.email]) || missing}`,
  ];
  const timeline = formatField('timeline', v);
  const project = [
    `Đề án: ${has(v.projectName) ? short(v.projectName, 60) : missing}${has(v.supportArea) ? ` (${formatField('supportArea', v)})` : ''}`,
    `• Mục tiêu: ${has(v.objective) ? short(v.objective) : missing}`,
    `• Nội dung: ${has(v.mainContent) ? short(v.mainContent) : missing}`,
    `• Thời gian: ${timeline}${has(v.implementationPlace) ? `; tại ${short(v.implementationPlace, 40)}` : ''}`,
    `• Hiệu quả: ${has(v.expectedEffects) ? short(v.expectedEffects) : missing}`,
  ];
  const mismatch = budgetMismatch(v);
  const budget = [
    `Kinh phí: tổng ${amount(v.budgetTotal)}`,
    `• Đề nghị hỗ trợ ${amount(v.budgetRequested)}; vốn đối ứng ${amount(v.budgetCounterpart)}; nguồn khác ${typeof v.budgetOther === 'number' ? formatVndShort(v.budgetOther) : '0'}`,
    ...(mismatch ? [`• Lưu ý: ${mismatch}${v.budgetCheck === 'kept' ? ' (anh/chị giữ nguyên)' : ''}`] : []),
  ];
  const note = typeof v.provinceNote === 'string' ? [`(${v.provinceNote}.)`] : [];
  return [...facility, ...project, ...budget, ...note].join('\n');
}
