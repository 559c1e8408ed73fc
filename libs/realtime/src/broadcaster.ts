import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@pasokh/config';
import { rooms } from './agent-socket';
import { NamespaceHolder } from './namespace.holder';

/** One batched frame's content: events in the order they were broadcast. */
export type EventBatch = Array<[event: string, payload: unknown]>;

/**
 * Broadcasts to audience rooms (all agents, supervisors, a team). A client that connected with
 * `auth.batch` is in the rooms' batched twins and gets the events gathered into `events` packets;
 * every other client gets each event on its own, as before.
 *
 * Why: every event is one WebSocket frame per socket, and on a busy inbox the frames, not the events,
 * are the cost (a system call and a client wake-up each). The first event after a quiet spell goes
 * out at once; later ones wait until `PUSH_BATCH_MS` after the previous frame and share it.
 */
@Injectable()
export class Broadcaster {
  /** Events waiting for the next batched frame, per audience (its rooms joined by "|"). */
  private pending = new Map<string, { audience: string[]; events: EventBatch }>();
  private lastFlushAt = 0;
  private scheduled = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly intervalMs: number;

  constructor(
    private readonly namespace: NamespaceHolder,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.intervalMs = config.realtime.pushBatchMs;
  }

  emit(audience: string[], event: string, payload: unknown): void {
    const namespace = this.namespace.get();
    if (!namespace) return;
    namespace.to(audience).emit(event, payload);

    const key = audience.join('|');
    const waiting = this.pending.get(key);
    if (waiting) waiting.events.push([event, payload]);
    else this.pending.set(key, { audience, events: [[event, payload]] });
    this.schedule();
  }

  /** Sends what is waiting now (shutdown). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.scheduled = false;
    this.lastFlushAt = Date.now();
    const batches = this.pending;
    this.pending = new Map();
    const namespace = this.namespace.get();
    if (!namespace) return;
    for (const { audience, events } of batches.values()) namespace.to(audience.map(rooms.batched)).emit('events', events);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const wait = this.lastFlushAt + this.intervalMs - Date.now();
    // Even at once, after the current callback: the events of one commit (ticket, then message) share a frame.
    if (wait <= 0) process.nextTick(() => this.flush());
    else this.timer = setTimeout(() => this.flush(), wait);
  }
}
