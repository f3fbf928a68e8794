import { foldDiacritics, normalizeText } from '../../knowledge/index.ts';

/** Folds text for searching without diacritics: "Gốm Bát Tràng" → "gom bat trang". */
export function searchFold(text: string): string {
  return foldDiacritics(normalizeText(text)).toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * The columns a registration is searched and compared by, from its data: the folded text of its
 * names and contact, its tax code and phone as digits (duplicate flags compare those).
 */
export function searchColumns(
  data: Record<string, unknown>,
  code?: string | null,
): {
  searchText: string;
  taxCode: string | null;
  phone: string | null;
} {
  const text = (key: string) => (typeof data[key] === 'string' ? data[key] : '');
  const digits = (key: string) => text(key).replace(/\D/g, '') || null;
  // Phone and tax code as digits too ("0912 345 678" is found as 0912345678), and the code once given.
  const searchText = searchFold(
    [
      ...['facilityName', 'projectName', 'contactPerson', 'address', 'phone', 'taxCode'].map(text),
      digits('phone') ?? '',
      digits('taxCode') ?? '',
      code ?? '',
    ].join(' \u0001 '),
  );
  return { searchText, taxCode: digits('taxCode'), phone: digits('phone') };
}
