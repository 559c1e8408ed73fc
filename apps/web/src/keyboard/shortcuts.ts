import { useEffect, useRef } from 'react';

/**
 * Single-key shortcuts: j/k move, Enter opens, r reply, n note, e resolve, / search, ? help.
 * Never while the agent types in a field, nor with Ctrl/Alt/Meta held.
 */

export type Command = 'next' | 'prev' | 'open' | 'reply' | 'note' | 'resolve' | 'search' | 'help';

export const SHORTCUTS: Array<{ keys: string[]; command: Command }> = [
  { keys: ['j'], command: 'next' },
  { keys: ['k'], command: 'prev' },
  { keys: ['Enter'], command: 'open' },
  { keys: ['r'], command: 'reply' },
  { keys: ['n'], command: 'note' },
  { keys: ['e'], command: 'resolve' },
  { keys: ['/'], command: 'search' },
  { keys: ['?'], command: 'help' },
];

const handlers = new Map<Command, Set<() => void>>();

export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (target as HTMLInputElement).type;
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(type);
  }
  return false;
}

export function commandFor(event: KeyboardEvent): Command | null {
  if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return null;
  if (isTypingTarget(event.target)) return null;
  // Enter on a button or link does what that control does; the shortcut is for the list's cursor.
  if (event.key === 'Enter' && event.target instanceof HTMLElement && event.target.closest('button, a, summary, [role="button"]')) return null;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  const hit = SHORTCUTS.find((s) => s.keys.includes(event.key === '?' ? '?' : key));
  return hit?.command ?? null;
}

/** Runs a command's handlers; true if any was registered. */
export function runCommand(command: Command): boolean {
  const set = handlers.get(command);
  if (!set?.size) return false;
  set.forEach((h) => h());
  return true;
}

/** Installs the one global key listener (the app shell does this). */
export function installShortcuts(): () => void {
  const onKey = (event: KeyboardEvent) => {
    const command = commandFor(event);
    if (command && runCommand(command)) event.preventDefault();
  };
  document.addEventListener('keydown', onKey);
  return () => document.removeEventListener('keydown', onKey);
}

/** Handles a command while the component is mounted; the latest handler is the one called. */
export function useCommand(command: Command, handler: () => void, enabled = true): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    if (!enabled) return;
    const wrapped = () => ref.current();
    let set = handlers.get(command);
    if (!set) handlers.set(command, (set = new Set()));
    set.add(wrapped);
    return () => {
      set!.delete(wrapped);
    };
  }, [command, enabled]);
}
