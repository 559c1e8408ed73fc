import { useSyncExternalStore } from 'react';

/**
 * One shared clock for every countdown on the board: a single timer, aligned to the wall clock's
 * second boundaries, that ticks only while something on screen listens. Ticking re-renders the
 * countdown cells, never refetches anything.
 */

let now = Date.now();
let timer: ReturnType<typeof setTimeout> | null = null;
const listeners = new Set<() => void>();

function tick(): void {
  now = Date.now();
  listeners.forEach((l) => l());
  schedule();
}

function schedule(): void {
  // Wake just after the next whole second, so every countdown changes together.
  timer = setTimeout(tick, 1000 - (Date.now() % 1000) + 5);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    schedule();
  }
  return () => {
    listeners.delete(listener);
    if (!listeners.size && timer) {
      clearTimeout(timer);
      timer = null;
    }
  };
}

const getNow = () => now;

/** The current time in ms, updated every second while the component is mounted. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, getNow, getNow);
}
