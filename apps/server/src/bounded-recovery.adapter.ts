import { SessionAwareAdapter } from 'socket.io-adapter';

/** Events kept for connection-state recovery, on one instance or in the Redis stream. */
export const RECOVERY_HISTORY_MAX = 50_000;
/** Trimmed in steps, not per event: removing the oldest entry moves the whole array. */
const TRIM_STEP = 1_000;

/**
 * socket.io's in-memory recovery history, bounded like the Redis stream. The stock adapter drops
 * entries only by age (once a minute, past the recovery window), so its memory grows with the event
 * rate: ~1 GB after two minutes at 1,300 messages/s. Past the bound, a client that comes back after a
 * drop may find its offset gone; it is then not recovered and is told to refetch (`resync`).
 */
export class BoundedRecoveryAdapter extends SessionAwareAdapter {
  broadcast(...args: Parameters<SessionAwareAdapter['broadcast']>): void {
    super.broadcast(...args);
    // `packets` is private in the typings; it is the history the stock adapter replays from.
    const history = (this as unknown as { packets: unknown[] }).packets;
    if (history.length >= RECOVERY_HISTORY_MAX + TRIM_STEP) history.splice(0, history.length - RECOVERY_HISTORY_MAX);
  }
}
