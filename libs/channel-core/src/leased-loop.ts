import { Logger } from '@nestjs/common';
import { ChannelLeases } from './channel-leases';
import { ChannelsService } from './channels.service';

export interface LeasedLoopOptions {
  /** Lease key, e.g. `email:<channel id>`: one holder across all instances. */
  leaseKey: string;
  /** Another instance holds the lease: see whether it is still there this often. */
  leaseRetryMs: number;
  backoffStartMs: number;
  backoffMaxMs: number;
}

/**
 * The frame of a pull channel's listener (a mailbox's IMAP connection, a bot's long polling): take
 * the channel's lease, work while holding it, retry with backoff after failures (recorded in the
 * channel's health), and stop cleanly, waiting for the work in flight.
 */
export abstract class LeasedLoop {
  private readonly abort = new AbortController();
  private done: Promise<void> = Promise.resolve();
  private backoffMs: number;
  private wakeSleeper: (() => void) | null = null;

  protected constructor(
    protected readonly channelId: string,
    private readonly options: LeasedLoopOptions,
    private readonly leases: ChannelLeases,
    protected readonly channels: ChannelsService,
    protected readonly logger: Logger,
  ) {
    this.backoffMs = options.backoffStartMs;
  }

  /** The work while the lease is held; returns to give the lease up (then it is taken again). */
  protected abstract whileLeased(leaseLost: AbortSignal): Promise<void>;

  start(): void {
    this.done = this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.wake();
    await this.done;
  }

  protected get stopping(): boolean {
    return this.abort.signal.aborted;
  }

  /** The signal that fires when the loop stops, for requests in flight. */
  protected get stopSignal(): AbortSignal {
    return this.abort.signal;
  }

  /** Stops the loop from inside (the channel was deactivated or changed type). */
  protected stopFromInside(): void {
    this.abort.abort();
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let lease;
      try {
        lease = await this.leases.tryAcquire(this.options.leaseKey);
      } catch (error) {
        await this.failed('could not take the lease', error);
        continue;
      }
      if (!lease) {
        await this.sleep(this.options.leaseRetryMs);
        continue;
      }
      try {
        await this.whileLeased(lease.lost);
      } finally {
        await lease.release().catch((error) => this.logger.warn({ err: error, channelId: this.channelId }, 'releasing the lease failed'));
      }
    }
  }

  protected resetBackoff(): void {
    this.backoffMs = this.options.backoffStartMs;
  }

  /** Records why in the channel's health, then waits the backoff (doubling up to its maximum). */
  protected async failed(what: string, error: unknown, describe: (error: unknown) => string = defaultDescribe): Promise<void> {
    const reason = `${what}: ${describe(error)}`;
    this.logger.warn({ channelId: this.channelId, retryInMs: this.backoffMs }, reason);
    await this.channels.recordError(this.channelId, reason).catch(() => undefined);
    await this.sleep(this.backoffMs);
    this.backoffMs = Math.min(this.backoffMs * 2, this.options.backoffMaxMs);
  }

  /** Cuts a wakeable sleep short (new work announced, connection closed). */
  protected wake(): void {
    this.wakeSleeper?.();
  }

  /** Sleeps until the time is up or the loop stops; a wakeable sleep also ends on wake(). */
  protected sleep(ms: number, wakeable = false): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const signal = this.abort.signal;
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        if (this.wakeSleeper === done) this.wakeSleeper = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      if (wakeable) this.wakeSleeper = done;
    });
  }
}

function defaultDescribe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
