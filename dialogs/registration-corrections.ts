import { fieldInfo, type RegistrationKey } from './registration-record.ts';
import { parseAmount, parseEntityType, parseSupportArea } from './registration-fields.ts';
import { parseEmail, parsePhone, parseProvince, parseTaxCode, parseText, type Parsed } from './validators.ts';

/** The fields an officer may correct, each read as the form reads it. */
const READERS: Partial<Record<RegistrationKey, (text: string) => Parsed<unknown>>> = {
  facilityName: (t) => parseText(t, 2, 200),
  entityType: parseEntityType,
  taxCode: parseTaxCode,
  province: (t) => {
    const p = parseProvince(t);
    return p.ok ? { ok: true, value: p.value.province.name } : p;
  },
  commune: (t) => parseText(t, 2, 200),
  address: (t) => parseText(t, 2, 500),
  contactPerson: (t) => parseText(t, 2, 200),
  phone: parsePhone,
  email: parseEmail,
  supportArea: parseSupportArea,
  projectName: (t) => parseText(t, 2, 500),
  objective: (t) => parseText(t, 2, 2000),
  mainContent: (t) => parseText(t, 2, 2000),
  implementationPlace: (t) => parseText(t, 2, 500),
  expectedEffects: (t) => parseText(t, 2, 2000),
  budgetTotal: (t) => parseAmount(t),
  budgetRequested: (t) => parseAmount(t),
  budgetCounterpart: (t) => parseAmount(t, true),
  budgetOther: (t) => parseAmount(t, true),
};

/** The keys of the fields officers may correct, in the catalogue's order. */
export const CORRECTABLE_FIELDS = Object.keys(READERS) as RegistrationKey[];

/**
 * An officer's correction of one field, read as the form reads the owner's answer ("1,2 tỷ",
 * "bac ninh"); `reason` says why not, in Vietnamese, naming the field.
 */
export function parseCorrection(
  field: string,
  text: string,
): { ok: true; key: RegistrationKey; value: unknown } | { ok: false; reason: string } {
  const read = READERS[field as RegistrationKey];
  if (!read) return { ok: false, reason: 'Dạ, trường này không sửa được.' };
  const parsed = read(text.trim());
  const label = fieldInfo(field as RegistrationKey).label;
  if (!parsed.ok)
    return { ok: false, reason: `Dạ, giá trị mới của "${label}" chưa đọc được, anh/chị kiểm tra lại giúp.` };
  return { ok: true, key: field as RegistrationKey, value: parsed.value };
}
