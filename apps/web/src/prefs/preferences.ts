import { useSyncExternalStore } from 'react';
import { api } from '../api/client';
import type { Preferences } from '../api/types';

/**
 * The agent's display settings: language, calendar, digits. Stored server-side
 * (`/api/agents/me/preferences`), cached locally so a reload paints in the right language at once.
 * `?lang=fa|en` in the URL selects the language for this page without changing the stored setting.
 */

export type Language = 'en' | 'fa';
export type Calendar = 'gregorian' | 'persian';
export type Digits = 'latn' | 'arabext';

export interface EffectivePreferences {
  language: Language;
  calendar: Calendar;
  digits: Digits;
}

const CACHE_KEY = 'pasokh.preferences';
const listeners = new Set<() => void>();

let stored: Preferences = readCache();
let urlLanguage: Language | null = readUrlLanguage();
let effective: EffectivePreferences = compute();

function readCache(): Preferences {
  try {
    return JSON.parse(localStorage.getItem(CACHE_KEY) ?? '{}') as Preferences;
  } catch {
    return {};
  }
}

function readUrlLanguage(): Language | null {
  if (typeof location === 'undefined') return null;
  const lang = new URLSearchParams(location.search).get('lang');
  return lang === 'fa' || lang === 'en' ? lang : null;
}

function browserLanguage(): Language {
  return typeof navigator !== 'undefined' && /^fa\b/i.test(navigator.language) ? 'fa' : 'en';
}

function compute(): EffectivePreferences {
  const language = urlLanguage ?? stored.language ?? browserLanguage();
  return {
    language,
    calendar: stored.calendar ?? (language === 'fa' ? 'persian' : 'gregorian'),
    digits: stored.digits ?? (language === 'fa' ? 'arabext' : 'latn'),
  };
}

function update(next: Preferences): void {
  stored = next;
  try {
    localStorage.setItem(CACHE_KEY, JSON.stringify(next));
  } catch {
    // storage disabled
  }
  const computed = compute();
  if (computed.language !== effective.language || computed.calendar !== effective.calendar || computed.digits !== effective.digits) {
    effective = computed;
    listeners.forEach((l) => l());
  }
}

export function subscribePreferences(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function getPreferences(): EffectivePreferences {
  return effective;
}

export function usePreferences(): EffectivePreferences {
  return useSyncExternalStore(subscribePreferences, getPreferences, getPreferences);
}

/** The stored settings, after login. */
export async function loadPreferences(): Promise<void> {
  update(await api<Preferences>('/api/agents/me/preferences'));
}

/** Changes and stores settings; choosing a language in the UI wins over `?lang=`. */
export async function savePreferences(patch: Preferences): Promise<void> {
  if (patch.language && urlLanguage) {
    urlLanguage = null;
    const url = new URL(location.href);
    url.searchParams.delete('lang');
    history.replaceState(history.state, '', url);
  }
  const previous = stored;
  update({ ...stored, ...patch }); // at once; rolled back if the server refuses
  try {
    update(await api<Preferences>('/api/agents/me/preferences', { method: 'PATCH', body: patch }));
  } catch (error) {
    update(previous);
    throw error;
  }
}

/** Before login (nothing to store on the server yet): this browser remembers the choice. */
export function setLocalLanguage(language: Language): void {
  if (urlLanguage) {
    urlLanguage = null;
    const url = new URL(location.href);
    url.searchParams.delete('lang');
    history.replaceState(history.state, '', url);
  }
  update({ ...stored, language });
}
