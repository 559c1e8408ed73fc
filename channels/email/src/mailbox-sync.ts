import { Logger } from '@nestjs/common';
import { ChannelCursorsRepository, ChannelLeases, ChannelsService, LeasedLoop, ResolvedChannel } from '@pasokh/channel-core';
import { ImapFlow } from 'imapflow';
import { EmailConfig } from './email-config';
import { EmailIntakeService } from './email-intake.service';
import { createImapClient, describeImapError } from './imap-connection';

export const IMAP_CURSOR = 'imap';

/** Where a mailbox is up to. `since` bounds a resync after a UIDVALIDITY change. */
export interface ImapCursor {
  uidValidity: string;
  lastUid: number;
  since: string | null;
}

export interface SyncTiming {
  /** Polling fallback: a full check this often even if IDLE announces nothing. */
  pollIntervalMs: number;
  /** Another instance holds the mailbox: see whether it is still there this often. */
  leaseRetryMs: number;
}

// Fetch bodies in batches bounded by count and bytes: a 10,000-mail backlog never sits in memory.
const BATCH_MESSAGES = 25;
const BATCH_BYTES = 16 * 1024 * 1024;
// Servers refuse long command lines (Dovecot: 64 kB): a backlog's sizes are asked for in slices.
const SIZE_QUERY_UIDS = 1_000;
const BACKOFF_START_MS = 1_000;
const BACKOFF_MAX_MS = 60_000;

/**
 * One mailbox, on one instance (a lease per channel): connect, catch up from the checkpoint, then
 * wait in IDLE for new mail, with a poll as the fallback. The checkpoint (UIDVALIDITY + last UID)
 * moves only past mail that is stored, so a crash or a lost connection repeats mail (and the
 * Message-ID dedupe absorbs it) but never skips any.
 */
export class MailboxSync extends LeasedLoop {
  private readonly pollIntervalMs: number;
  private dirty = true;

  constructor(
    channelId: string,
    timing: SyncTiming,
    channels: ChannelsService,
    private readonly cursors: ChannelCursorsRepository,
    leases: ChannelLeases,
    private readonly intake: EmailIntakeService,
    logger: Logger,
  ) {
    super(channelId, { leaseKey: `email:${channelId}`, leaseRetryMs: timing.leaseRetryMs, backoffStartMs: BACKOFF_START_MS, backoffMaxMs: BACKOFF_MAX_MS }, leases, channels, logger);
    this.pollIntervalMs = timing.pollIntervalMs;
  }

  protected async whileLeased(leaseLost: AbortSignal): Promise<void> {
    while (!this.stopping && !leaseLost.aborted) {
      const { channel, active } = await this.channels.resolve(this.channelId).catch(() => ({ channel: null, active: false }));
      if (!channel || !active || channel.type !== 'email') {
        this.stopFromInside();
        return;
      }
      const config = channel.config as unknown as EmailConfig;
      const client = createImapClient(config.imap);
      let closed = false;
      client.on('error', (error: Error) => this.logger.warn({ channelId: this.channelId }, `IMAP connection error: ${describeImapError(error, config.imap)}`));
      client.on('close', () => {
        closed = true;
        this.wakeUp();
      });
      // New mail announced by IDLE (or seen by any command): catch up now.
      client.on('exists', () => this.wakeUp());
      const onLeaseLost = () => this.wakeUp();
      leaseLost.addEventListener('abort', onLeaseLost);
      try {
        await this.channels.recordConnection(this.channelId, 'connecting');
        await client.connect();
        await this.channels.recordConnection(this.channelId, 'connected');
        this.dirty = true;
        while (!this.stopping && !leaseLost.aborted && !closed) {
          if (this.dirty) {
            this.dirty = false;
            await this.catchUp(client, channel, config);
            this.resetBackoff();
            continue;
          }
          // imapflow starts IDLE by itself once the connection is quiet; no mailbox lock is held here.
          await this.sleep(this.pollIntervalMs, true);
          if (!this.dirty && !closed) this.dirty = true; // the poll: IDLE may be silently dead
        }
        if (closed && !this.stopping) throw new Error('the IMAP server closed the connection');
      } catch (error) {
        if (this.stopping) return;
        await this.channels.recordConnection(this.channelId, 'disconnected').catch(() => undefined);
        await this.failed('mailbox sync failed', error, (e) => describeImapError(e, config.imap));
      } finally {
        leaseLost.removeEventListener('abort', onLeaseLost);
        await client.logout().catch(() => client.close());
        if (this.stopping || leaseLost.aborted) await this.channels.recordConnection(this.channelId, 'disconnected').catch(() => undefined);
      }
    }
  }

  /** Everything after the checkpoint, in UID order, in bounded batches. */
  private async catchUp(client: ImapFlow, channel: ResolvedChannel, config: EmailConfig): Promise<void> {
    const lock = await client.getMailboxLock(config.imap.mailbox, { readOnly: true });
    try {
      const box = client.mailbox;
      if (!box) throw new Error(`mailbox ${config.imap.mailbox} could not be opened`);
      const uidValidity = String(box.uidValidity);
      let cursor = await this.cursors.get<ImapCursor>(this.channelId, IMAP_CURSOR);
      let uids: number[];
      if (cursor && cursor.uidValidity === uidValidity) {
        // No shortcut on box.uidNext: it is only as fresh as the last SELECT, and the mailbox stays open.
        uids = (await client.search({ uid: `${cursor.lastUid + 1}:*` }, { uid: true })) || [];
      } else {
        const since = cursor?.since ?? config.importSince ?? null;
        if (!cursor && !since) {
          // A new channel without an import date starts with the mail that arrives from now on.
          await this.cursors.set(this.channelId, IMAP_CURSOR, { uidValidity, lastUid: box.uidNext - 1, since: new Date().toISOString() } satisfies ImapCursor);
          return;
        }
        if (cursor) {
          // The server renumbered the mailbox: UIDs mean nothing now. Read it again from the start
          // of the import; every mail already stored is a duplicate by its Message-ID.
          this.logger.warn({ channelId: this.channelId }, `UIDVALIDITY of ${config.imap.mailbox} changed (${cursor.uidValidity} → ${uidValidity}): resyncing`);
          await this.channels.recordError(this.channelId, `the server renumbered ${config.imap.mailbox} (UIDVALIDITY changed): resynced, duplicates skipped`);
        }
        uids = (await client.search(since ? { since: new Date(since) } : { all: true }, { uid: true })) || [];
        cursor = { uidValidity, lastUid: 0, since: since ?? new Date(0).toISOString() };
      }
      const from = cursor.lastUid;
      const pending = uids.filter((uid) => uid > from).sort((a, b) => a - b);
      if (!pending.length) return;
      const sizes = new Map<number, number>();
      for (const chunk of chunks(pending, SIZE_QUERY_UIDS)) {
        for await (const m of client.fetch(sequenceSet(chunk), { uid: true, size: true }, { uid: true })) sizes.set(m.uid, m.size ?? 0);
      }

      for (const batch of batches(pending, sizes)) {
        if (this.stopping) return;
        const messages = await client.fetchAll(sequenceSet(batch), { uid: true, source: true }, { uid: true });
        messages.sort((a, b) => a.uid - b.uid);
        for (const message of messages) {
          if (this.stopping) return;
          if (!message.source) continue;
          await this.intake.handle(channel, message.source, `${config.imap.mailbox} uidvalidity ${uidValidity} uid ${message.uid}`);
          cursor.lastUid = message.uid;
        }
        // A UID the server no longer has (expunged meanwhile) is passed over with its batch.
        cursor.lastUid = Math.max(cursor.lastUid, batch[batch.length - 1]);
        await this.cursors.set(this.channelId, IMAP_CURSOR, cursor);
      }
    } finally {
      lock.release();
    }
  }

  private wakeUp(): void {
    this.dirty = true;
    this.wake();
  }
}

function* batches(uids: number[], sizes: Map<number, number>): Generator<number[]> {
  let batch: number[] = [];
  let bytes = 0;
  for (const uid of uids) {
    const size = sizes.get(uid) ?? 0;
    if (batch.length && (batch.length >= BATCH_MESSAGES || bytes + size > BATCH_BYTES)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(uid);
    bytes += size;
  }
  if (batch.length) yield batch;
}

function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** Sorted UIDs as an IMAP sequence set, runs folded into ranges: 1,2,3,7 → "1:3,7". */
export function sequenceSet(uids: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < uids.length; i++) {
    let j = i;
    while (j + 1 < uids.length && uids[j + 1] === uids[j] + 1) j++;
    parts.push(j > i ? `${uids[i]}:${uids[j]}` : String(uids[i]));
    i = j;
  }
  return parts.join(',');
}
