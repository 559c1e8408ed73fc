/** The languages Pasokh writes to customers in (its own messages: surveys, away replies). */
export type CustomerLanguage = 'fa' | 'en';

/**
 * The customer's language: their profile's locale if set, else Persian when they wrote in Arabic
 * script (most of our customers' customers never set a locale), else English.
 */
export function customerLanguage(locale: string | null, customerText: string | null): CustomerLanguage {
  if (locale) return /^fa\b/i.test(locale) ? 'fa' : 'en';
  return /[\u0600-\u06ff]/.test(customerText ?? '') ? 'fa' : 'en';
}
