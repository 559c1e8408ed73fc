import { Injectable, Logger } from '@nestjs/common';
import { Database } from '@pasokh/database';
import { Client } from 'pg';

export interface Lease {
  /** Aborted when the lock's connection drops: another instance may hold the lease by now. */
  readonly lost: AbortSignal;
  release(): Promise<void>;
}

/**
 * "Exactly one instance runs this" for long-lived listeners (a mailbox's IMAP connection, a bot's
 * long polling): a session-level advisory lock held on a connection of its own, outside the pool, so
 * many listeners never starve the requests. If the holder dies, its connection closes, the lock goes,
 * and another instance's next try wins. Embedded PGlite is one process by construction (the data-dir
 * lock), so there every lease is granted.
 */
@Injectable()
export class ChannelLeases {
  private readonly logger = new Logger(ChannelLeases.name);

  constructor(private readonly database: Database) {}

  async tryAcquire(key: string): Promise<Lease | null> {
    if (!this.database.url) return { lost: new AbortController().signal, release: async () => undefined };
    const lost = new AbortController();
    const client = new Client({ connectionString: this.database.url, application_name: `pasokh lease ${key}`.slice(0, 63) });
    // A dropped lease connection frees the lock; the holder learns it from its provider (e.g. Telegram's 409).
    client.on('error', (error) => {
      this.logger.warn({ err: error, key }, 'lease connection lost');
      lost.abort();
    });
    await client.connect();
    try {
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok', [key]);
      if (!rows[0].ok) {
        await client.end();
        return null;
      }
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    // Closing the session is the release: PostgreSQL drops its advisory locks with it.
    return { lost: lost.signal, release: () => client.end().catch(() => undefined) };
  }
}
