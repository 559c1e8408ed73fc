import { useSyncExternalStore } from 'react';
import { notify } from '../ui/toasts';

/**
 * Getting the agent's attention while they look elsewhere: a count in the tab's title and, if they
 * turned them on, desktop notifications. While the tab is in view an in-app notice is enough.
 * Desktop notifications are a choice per browser (the permission is too), kept in localStorage.
 */

export type DesktopState = 'on' | 'off' | 'blocked' | 'unsupported';

const KEY = 'pasokh.desktopNotifications';
const listeners = new Set<() => void>();
let unseen = 0;
let baseTitle: string | null = null;

function supported(): boolean {
  return typeof window !== 'undefined' && 'Notification' in window;
}

function desktopState(): DesktopState {
  if (!supported()) return 'unsupported';
  if (Notification.permission === 'denied') return 'blocked';
  return Notification.permission === 'granted' && localStorage.getItem(KEY) === 'on' ? 'on' : 'off';
}

function changed(): void {
  listeners.forEach((l) => l());
}

/** Asks the browser (it must follow a click); on only if the agent allows it. */
export async function turnDesktopOn(): Promise<DesktopState> {
  if (!supported()) return 'unsupported';
  if ((await Notification.requestPermission()) === 'granted') localStorage.setItem(KEY, 'on');
  changed();
  return desktopState();
}

export function turnDesktopOff(): void {
  localStorage.removeItem(KEY);
  changed();
}

export function useDesktopNotifications(): DesktopState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    desktopState,
    desktopState,
  );
}

export interface Alert {
  title: string;
  body: string;
  /** One notification per ticket: a newer one replaces it. */
  ticketId: string;
  /** Where a click on the notification goes. */
  open: () => void;
  /** The in-app notice's button for `open`. */
  openLabel: string;
}

/** In view: an in-app notice. Away: the tab title counts it, and a desktop notification if on. */
export function alertAgent(alert: Alert): void {
  if (!document.hidden) {
    notify(`${alert.title} — ${alert.body}`, { label: alert.openLabel, run: alert.open });
    return;
  }
  baseTitle ??= document.title;
  unseen++;
  document.title = `(${unseen}) ${baseTitle}`;
  if (desktopState() !== 'on') return;
  const note = new Notification(alert.title, { body: alert.body, tag: alert.ticketId, lang: document.documentElement.lang, dir: 'auto' });
  note.onclick = () => {
    window.focus();
    alert.open();
    note.close();
  };
}

/** The agent is back: the count goes. */
export function seen(): void {
  if (document.hidden || baseTitle === null) return;
  unseen = 0;
  document.title = baseTitle;
}
