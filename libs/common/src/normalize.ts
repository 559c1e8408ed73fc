import { CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';

const PERSIAN_DIGITS = '۰۱۲۳۴۵۶۷۸۹';
const ARABIC_DIGITS = '٠١٢٣٤٥٦٧٨٩';

/** Persian (U+06F0…) and Arabic-Indic (U+0660…) digits to ASCII. */
export function toAsciiDigits(input: string): string {
  return input.replace(/[۰-۹٠-٩]/g, (d) => {
    const persian = PERSIAN_DIGITS.indexOf(d);
    return String(persian >= 0 ? persian : ARABIC_DIGITS.indexOf(d));
  });
}

/**
 * Folds the forms that Persian and Arabic keyboards produce for the same word, so search and matching
 * treat them as equal: Arabic yeh/alef maksura → Persian yeh, Arabic kaf → keheh, hamza-on-heh → heh,
 * digits to ASCII, and zero-width joiners, tatweel and diacritics removed. Lower-cased, spaces collapsed.
 */
export function normalizeText(input: string | null | undefined): string {
  if (!input) return '';
  return toAsciiDigits(input.normalize('NFKC'))
    .replace(/[يى]/g, 'ی')
    .replace(/ك/g, 'ک')
    .replace(/ۀ/g, 'ه')
    .replace(/[\u200c\u200d\u200e\u200f\u0640\u064b-\u065f\u0670]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

export function normalizeEmail(input: string | null | undefined): string | null {
  if (!input) return null;
  const email = input.trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? email : null;
}

/**
 * A phone number in E.164, or null if it is not a valid number. Numbers without a country code are
 * read in `defaultRegion` (e.g. "IR" for ۰۹۱۲…), and are rejected when no region is configured.
 */
export function normalizePhone(input: string | null | undefined, defaultRegion?: string | null): string | null {
  if (!input) return null;
  const cleaned = toAsciiDigits(input).replace(/[^\d+]/g, '').replace(/^00/, '+');
  if (!cleaned) return null;
  const parsed = parsePhoneNumberFromString(cleaned, (defaultRegion ?? undefined) as CountryCode | undefined);
  return parsed?.isValid() ? parsed.number : null;
}
