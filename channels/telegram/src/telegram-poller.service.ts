import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ChannelCursorsRepository, ChannelLeases, ChannelsRepository, ChannelsService, LeasedLoop, ResolvedChannel } from '@pasokh/channel-core';
import { DomainException } from '@pasokh/common';
import { APP_CONFIG, AppConfig } from '@pasokh/config';
import { DomainEvents } from '@pasokh/events';
import { IngestService } from '@pasokh/ingest';
import { TelegramConfig } from './telegram-config';
import { TelegramAdapter } from './telegram.adapter';

export const OFFSET_CURSOR = 'telegram.offset';
// How long Telegram may hold a getUpdates open. Tests shorten it with TELEGRAM_POLL_TIMEOUT_SEC.
const DEFAULT_POLL_TIMEOUT_SEC = 25;
// Another instance polls this bot; see whether it is still there this often.
const LEASE_RETRY_MS = 30_000;
const BACKOFF_START_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;

/**
 * Long polling for bots on servers the internet cannot reach. One loop per active polling channel,
 * on one instance only (a lease per bot: Telegram answers a second getUpdates with 409 Conflict).
 * The offset is checkpointed only after an update's message is stored, so a crash repeats an update
 * (and ingest drops the copy) but never skips one.
 */
@Injectable()
export class TelegramPoller implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(TelegramPoller.name);
  private readonly loops = new Map<string, PollLoop>();
  // channel.saved events for one channel are applied in order: a stop finishes before the restart.
  private readonly pending = new Map<string, Promise<void>>();
  private readonly pollTimeoutSec: number;
  private unsubscribe: (() => void) | null = null;
  private stopped = false;

  constructor(
    private readonly adapter: TelegramAdapter,
    private readonly channelsRepository: ChannelsRepository,
    private readonly channels: ChannelsService,
    private readonly cursors: ChannelCursorsRepository,
    private readonly leases: ChannelLeases,
    private readonly ingest: IngestService,
    private readonly events: DomainEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    const fromEnv = Number(process.env.TELEGRAM_POLL_TIMEOUT_SEC);
    this.pollTimeoutSec = Number.isInteger(fromEnv) && fromEnv >= 0 && fromEnv <= 50 ? fromEnv : DEFAULT_POLL_TIMEOUT_SEC;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.roles.includes('workers')) return;
    this.unsubscribe = this.events.subscribe((event) => {
      if (event.type === 'channel.saved') this.schedule(event.channelId);
    });
    for (const channel of await this.channelsRepository.findAll()) {
      if (channel.type === 'telegram') this.schedule(channel.id);
    }
  }

  /** Aborts the getUpdates in flight, lets a message being stored finish, releases the leases. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    await Promise.all([...this.pending.values()]);
    await Promise.all([...this.loops.values()].map((loop) => loop.stop()));
    this.loops.clear();
  }

  private schedule(channelId: string): void {
    const previous = this.pending.get(channelId) ?? Promise.resolve();
    const next = previous
      .then(() => this.restart(channelId))
      .catch((error) => this.logger.error({ err: error, channelId }, 'could not start Telegram polling'))
      .finally(() => {
        if (this.pending.get(channelId) === next) this.pending.delete(channelId);
      });
    this.pending.set(channelId, next);
  }

  private async restart(channelId: string): Promise<void> {
    await this.loops.get(channelId)?.stop();
    this.loops.delete(channelId);
    if (this.stopped) return;
    const row = await this.channelsRepository.findById(channelId);
    if (!row || row.type !== 'telegram' || !row.active || row.config.mode !== 'polling') return;
    const loop = new PollLoop(channelId, this.pollTimeoutSec, this.adapter, this.channels, this.cursors, this.leases, this.ingest, this.logger);
    this.loops.set(channelId, loop);
    loop.start();
  }
}

/** One bot's polling: take the lease, then getUpdates → store → checkpoint, until stopped. */
class PollLoop extends LeasedLoop {
  constructor(
    channelId: string,
    private readonly timeoutSec: number,
    private readonly adapter: TelegramAdapter,
    channels: ChannelsService,
    private readonly cursors: ChannelCursorsRepository,
    leases: ChannelLeases,
    private readonly ingest: IngestService,
    logger: Logger,
  ) {
    super(channelId, { leaseKey: `telegram:${channelId}`, leaseRetryMs: LEASE_RETRY_MS, backoffStartMs: BACKOFF_START_MS, backoffMaxMs: BACKOFF_MAX_MS }, leases, channels, logger);
  }

  // A lost lease shows itself as Telegram's 409 Conflict on the next getUpdates.
  protected async whileLeased(): Promise<void> {
    let offset: number | undefined;
    let resumed = false;
    while (!this.stopping) {
      try {
        if (!resumed) {
          offset = (await this.cursors.get<number>(this.channelId, OFFSET_CURSOR)) ?? undefined;
          resumed = true;
        }
        // channel.saved reaches only the instance that saved; re-reading (cached a few seconds) each
        // round lets the lease holder notice a deactivation or a switch to webhook made elsewhere.
        const { channel, active } = await this.channels.resolve(this.channelId);
        if (!active || channel.type !== 'telegram' || channel.config.mode !== 'polling') {
          this.stopFromInside();
          return;
        }
        const updates = await this.adapter.fetchUpdates(channel as unknown as ResolvedChannel<TelegramConfig>, offset, this.timeoutSec, this.stopSignal);
        for (const update of updates) {
          if (this.stopping) return;
          await this.store(channel, update);
          offset = update.update_id + 1;
          await this.cursors.set(this.channelId, OFFSET_CURSOR, offset);
        }
        this.resetBackoff();
      } catch (error) {
        if (this.stopping) return;
        await this.failed('Telegram polling failed', error);
      }
    }
  }

  /** Stores the update's message; one that can never become a message is quarantined, not retried forever. */
  private async store(channel: ResolvedChannel, update: { update_id: number }): Promise<void> {
    try {
      for (const message of await this.adapter.parseUpdate(channel as unknown as ResolvedChannel<TelegramConfig>, update)) await this.ingest.ingest(channel, message);
    } catch (error) {
      // A refusal (bad payload, too large) will be the same next time; anything else (the database) is retried.
      if (!(error instanceof DomainException) || error.httpStatus >= 500) throw error;
      const reason = `Telegram update ${update.update_id} skipped: ${error.message}`;
      this.logger.warn({ channelId: this.channelId, updateId: update.update_id }, reason);
      await this.channels.recordError(this.channelId, reason);
    }
  }
}
