import { Injectable } from '@nestjs/common';
import { Database } from '@pasokh/database';
import { DataSource, QueryRunner } from 'typeorm';

export interface Lease {
  release(): Promise<void>;
}

/**
 * "Exactly one instance runs this" for long-lived listeners (a mailbox's IMAP connection, a bot's
 * long polling): a session-level advisory lock held on a connection of its own. If the holder dies,
 * its connection closes, the lock goes, and another instance's next try wins. Embedded PGlite is one
 * process by construction (the data-dir lock), so there every lease is granted.
 */
@Injectable()
export class ChannelLeases {
  constructor(
    private readonly dataSource: DataSource,
    private readonly database: Database,
  ) {}

  async tryAcquire(key: string): Promise<Lease | null> {
    if (this.database.kind === 'pglite') return { release: async () => undefined };
    const runner: QueryRunner = this.dataSource.createQueryRunner();
    try {
      const rows: Array<{ ok: boolean }> = await runner.query('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok', [key]);
      if (!rows[0].ok) {
        await runner.release();
        return null;
      }
      return {
        release: async () => {
          await runner.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]).catch(() => undefined);
          await runner.release();
        },
      };
    } catch (error) {
      await runner.release();
      throw error;
    }
  }
}
