import i18next from 'i18next';
import { useSyncExternalStore } from 'react';
import { ApiError } from '../api/client';

/**
 * Messages to the agent: errors from the API (never swallowed) and short confirmations. Shown by
 * <Toasts/> in an alert region (errors) and a status region (information).
 */

export interface Toast {
  id: number;
  kind: 'error' | 'info';
  text: string;
  /** A button beside the text (e.g. "Open" the ticket a notice is about). */
  action?: { label: string; run: () => void };
}

let toasts: Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

function emit(): void {
  listeners.forEach((l) => l());
}

export function dismiss(id: number): void {
  toasts = toasts.filter((t) => t.id !== id);
  emit();
}

function push(kind: Toast['kind'], text: string, ttlMs: number, action?: Toast['action']): void {
  // The same text twice in a row (a burst of failures) is shown once.
  if (toasts.some((t) => t.text === text && t.kind === kind)) return;
  const toast = { id: nextId++, kind, text, action };
  toasts = [...toasts.slice(-4), toast];
  emit();
  setTimeout(() => dismiss(toast.id), ttlMs);
}

/** An error in words the agent can act on: known codes are translated, others keep the server's message. */
export function describeError(error: unknown): string {
  const t = i18next.getFixedT(null, 'common');
  if (error instanceof ApiError) {
    const key = `errors.codes.${error.code}`;
    if (i18next.exists(key, { ns: 'common' })) return t(key, { message: error.message, requestId: error.requestId ?? '—' });
    if (error.status >= 500) return t('errors.server', { message: error.message, requestId: error.requestId ?? '—' });
    return error.message;
  }
  if (error instanceof Error && error.message) return t('errors.unexpected', { message: error.message });
  return t('errors.unexpected', { message: String(error) });
}

/** Shows an API (or any) error to the agent. `context` says what was being done ("Saving the note"). */
export function reportError(error: unknown, context?: string): void {
  if ((error as Error)?.name === 'AbortError') return;
  const text = describeError(error);
  push('error', context ? `${context}: ${text}` : text, 12_000);
}

/** Information; with an action it stays longer, to be taken. */
export function notify(text: string, action?: Toast['action']): void {
  push('info', text, action ? 10_000 : 4_000, action);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const get = () => toasts;

export function useToasts(): Toast[] {
  return useSyncExternalStore(subscribe, get, get);
}
