import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Where a pulling channel is up to (Telegram update offset, IMAP uidvalidity + uid), per key. */
@Injectable()
export class ChannelCursorsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async get<T>(channelId: string, key: string): Promise<T | null> {
    const rows: Array<{ value: T }> = await this.dataSource.query('SELECT value FROM channel_cursors WHERE channel_id = $1 AND key = $2', [channelId, key]);
    return rows[0]?.value ?? null;
  }

  /** Call only after what the cursor passes over is stored: a crash then repeats, never skips. */
  async set(channelId: string, key: string, value: unknown): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO channel_cursors (channel_id, key, value) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (channel_id, key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [channelId, key, JSON.stringify(value)],
    );
  }
}
