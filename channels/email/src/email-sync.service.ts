import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ChannelCursorsRepository, ChannelLeases, ChannelsRepository, ChannelsService } from '@pasokh/channel-core';
import { APP_CONFIG, AppConfig } from '@pasokh/config';
import { DomainEvents } from '@pasokh/events';
import { EmailIntakeService } from './email-intake.service';
import { MailboxSync, SyncTiming } from './mailbox-sync';

// IDLE announces new mail at once; the poll only covers a server whose IDLE silently died.
const DEFAULT_POLL_INTERVAL_SEC = 60;
const DEFAULT_LEASE_RETRY_SEC = 30;

/**
 * Runs one MailboxSync per active email channel on the instances with the workers role, and
 * restarts it when the channel is saved (new credentials, deactivated). Tests shorten the timings
 * with EMAIL_POLL_INTERVAL_SEC and EMAIL_LEASE_RETRY_SEC.
 */
@Injectable()
export class EmailSyncService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(EmailSyncService.name);
  private readonly syncs = new Map<string, MailboxSync>();
  // channel.saved events for one channel are applied in order: a stop finishes before the restart.
  private readonly pending = new Map<string, Promise<void>>();
  private readonly timing: SyncTiming;
  private unsubscribe: (() => void) | null = null;
  private stopped = false;

  constructor(
    private readonly channelsRepository: ChannelsRepository,
    private readonly channels: ChannelsService,
    private readonly cursors: ChannelCursorsRepository,
    private readonly leases: ChannelLeases,
    private readonly intake: EmailIntakeService,
    private readonly events: DomainEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.timing = {
      pollIntervalMs: seconds(process.env.EMAIL_POLL_INTERVAL_SEC, DEFAULT_POLL_INTERVAL_SEC) * 1000,
      leaseRetryMs: seconds(process.env.EMAIL_LEASE_RETRY_SEC, DEFAULT_LEASE_RETRY_SEC) * 1000,
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.roles.includes('workers')) return;
    this.unsubscribe = this.events.subscribe((event) => {
      if (event.type === 'channel.saved') this.schedule(event.channelId);
    });
    for (const channel of await this.channelsRepository.findAll()) {
      if (channel.type === 'email') this.schedule(channel.id);
    }
  }

  /** Lets a mail being stored finish, logs out, releases the leases. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    await Promise.all([...this.pending.values()]);
    await Promise.all([...this.syncs.values()].map((sync) => sync.stop()));
    this.syncs.clear();
  }

  private schedule(channelId: string): void {
    const previous = this.pending.get(channelId) ?? Promise.resolve();
    const next = previous
      .then(() => this.restart(channelId))
      .catch((error) => this.logger.error({ err: error, channelId }, 'could not start the mailbox sync'))
      .finally(() => {
        if (this.pending.get(channelId) === next) this.pending.delete(channelId);
      });
    this.pending.set(channelId, next);
  }

  private async restart(channelId: string): Promise<void> {
    await this.syncs.get(channelId)?.stop();
    this.syncs.delete(channelId);
    if (this.stopped) return;
    const row = await this.channelsRepository.findById(channelId);
    if (!row || row.type !== 'email' || !row.active) return;
    const sync = new MailboxSync(channelId, this.timing, this.channels, this.cursors, this.leases, this.intake, this.logger);
    this.syncs.set(channelId, sync);
    sync.start();
  }
}

function seconds(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value && Number.isFinite(n) && n > 0 && n <= 3600 ? n : fallback;
}
