import { useEffect, useSyncExternalStore } from 'react';
import { api } from '../api/client';
import { reportError } from '../ui/toasts';

/** A saved reply as the API gives it (docs/API.md, "Saved replies"). */
export interface SavedReply {
  id: string;
  shortcut: string;
  title: string;
  text: string;
  updatedAt: string;
}

/** The team's saved replies, loaded once per session and again after Settings changes them. */
let replies: SavedReply[] = [];
let loading: Promise<void> | null = null;
const listeners = new Set<() => void>();

export function loadSavedReplies(force = false): Promise<void> {
  if (loading && !force) return loading;
  loading = api<{ items: SavedReply[] }>('/api/saved-replies').then(
    (body) => {
      replies = body.items;
      listeners.forEach((l) => l());
    },
    (error) => {
      loading = null;
      reportError(error);
    },
  );
  return loading;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSavedReplies(): SavedReply[] {
  const list = useSyncExternalStore(subscribe, () => replies);
  useEffect(() => {
    void loadSavedReplies();
  }, []);
  return list;
}

/**
 * The same folding the server's search does (Arabic yeh/kaf to Persian, digits to ASCII, no
 * zero-width joiners or diacritics, lower case), so "/ارسال" typed on an Arabic keyboard still finds it.
 */
export function fold(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[يى]/g, 'ی')
    .replace(/ك/g, 'ک')
    .replace(/ۀ/g, 'ه')
    .replace(/[\u200c\u200d\u200e\u200f\u0640\u064b-\u065f\u0670]/g, '')
    .toLowerCase();
}

/** Replies for what was typed after "/": shortcuts that start with it first, then any that mention it. */
export function matchSavedReplies(list: SavedReply[], typed: string, limit = 8): SavedReply[] {
  const query = fold(typed);
  if (!query) return list.slice(0, limit);
  const starts = list.filter((r) => fold(r.shortcut).startsWith(query));
  const mentions = list.filter((r) => !starts.includes(r) && fold(`${r.shortcut} ${r.title} ${r.text}`).includes(query));
  return [...starts, ...mentions].slice(0, limit);
}

/** Fills the placeholders a saved reply may use. */
export function fillSavedReply(text: string, values: { customerName: string | null; agentName: string; ticketNumber: number }): string {
  return text
    .replace(/\{\{\s*customer\.name\s*\}\}/g, values.customerName ?? '')
    .replace(/\{\{\s*agent\.name\s*\}\}/g, values.agentName)
    .replace(/\{\{\s*ticket\.number\s*\}\}/g, String(values.ticketNumber));
}

/** The "/shortcut" being typed just before the caret, or null. */
export function shortcutAtCaret(text: string, caret: number): { start: number; typed: string } | null {
  const match = /(?:^|\s)\/([\p{L}\p{N}_-]*)$/u.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: caret - match[1].length - 1, typed: match[1] };
}
