import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { getPreferences, subscribePreferences } from '../prefs/preferences';

/**
 * i18next with one namespace per JSON file: `src/locales/<lng>/<ns>.json` (en, fa) are picked up
 * automatically and are in the first load. A lazy page brings its own (settings/locales, added when its
 * chunk loads). Persian is right-to-left: `<html dir="rtl" lang="fa">` follows the language.
 */

const files = import.meta.glob<Record<string, unknown>>('../locales/*/*.json', { eager: true, import: 'default' });

const resources: Record<string, Record<string, Record<string, unknown>>> = {};
for (const [path, content] of Object.entries(files)) {
  const match = /locales\/([^/]+)\/([^/]+)\.json$/.exec(path);
  if (!match) continue;
  const [, lng, ns] = match;
  (resources[lng] ??= {})[ns] = content;
}

export const NAMESPACES = [...new Set(Object.values(resources).flatMap((r) => Object.keys(r)))];

export function directionOf(language: string): 'rtl' | 'ltr' {
  return language === 'fa' ? 'rtl' : 'ltr';
}

function applyToDocument(language: string): void {
  const html = document.documentElement;
  html.lang = language;
  html.dir = directionOf(language);
}

void i18next.use(initReactI18next).init({
  resources,
  lng: getPreferences().language,
  fallbackLng: 'en',
  ns: NAMESPACES,
  defaultNS: 'common',
  fallbackNS: 'common',
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
  initAsync: false,
});
applyToDocument(getPreferences().language);

subscribePreferences(() => {
  const { language } = getPreferences();
  if (i18next.language !== language) void i18next.changeLanguage(language);
  applyToDocument(language);
});

export default i18next;
