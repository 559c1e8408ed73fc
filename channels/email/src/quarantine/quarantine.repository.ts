import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface QuarantinedMessage {
  id: string;
  channelId: string;
  sourceRef: string;
  reason: string;
  size: number;
  sha256: string;
  storageKey: string;
  createdAt: Date;
}

@Injectable()
export class QuarantineRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The same bytes quarantined twice (a resync) stay one entry. */
  async add(entry: Omit<QuarantinedMessage, 'id' | 'createdAt'>): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO quarantined_messages (channel_id, source_ref, reason, size, sha256, storage_key)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (channel_id, sha256) DO NOTHING`,
      [entry.channelId, entry.sourceRef, entry.reason.slice(0, 2000), entry.size, entry.sha256, entry.storageKey],
    );
  }

  async list(channelId: string, limit: number): Promise<QuarantinedMessage[]> {
    const rows: QuarantinedRow[] = await this.dataSource.query(
      'SELECT * FROM quarantined_messages WHERE channel_id = $1 ORDER BY created_at DESC, id LIMIT $2',
      [channelId, limit],
    );
    return rows.map(toEntry);
  }

  async find(channelId: string, id: string): Promise<QuarantinedMessage | null> {
    const rows: QuarantinedRow[] = await this.dataSource.query('SELECT * FROM quarantined_messages WHERE channel_id = $1 AND id = $2', [channelId, id]);
    return rows[0] ? toEntry(rows[0]) : null;
  }
}

interface QuarantinedRow {
  id: string;
  channel_id: string;
  source_ref: string;
  reason: string;
  size: string;
  sha256: string;
  storage_key: string;
  created_at: Date;
}

function toEntry(row: QuarantinedRow): QuarantinedMessage {
  return {
    id: row.id,
    channelId: row.channel_id,
    sourceRef: row.source_ref,
    reason: row.reason,
    size: Number(row.size),
    sha256: row.sha256,
    storageKey: row.storage_key,
    createdAt: new Date(row.created_at),
  };
}
