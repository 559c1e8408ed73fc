import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

@Injectable()
export class PreferencesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(agentId: string): Promise<Record<string, unknown> | null> {
    const rows: Array<{ preferences: Record<string, unknown> }> = await this.dataSource.query('SELECT preferences FROM agents WHERE id = $1', [agentId]);
    return rows[0]?.preferences ?? null;
  }

  /** Merges the given keys into the stored settings (one statement: two tabs saving at once both keep their key). */
  async merge(agentId: string, patch: Record<string, unknown>): Promise<Record<string, unknown> | null> {
    const rows: Array<{ preferences: Record<string, unknown> }> = await this.dataSource.query(
      // As a CTE: TypeORM answers a bare UPDATE with [rows, count].
      `WITH updated AS (UPDATE agents SET preferences = preferences || $2::jsonb, updated_at = now() WHERE id = $1 RETURNING preferences)
       SELECT preferences FROM updated`,
      [agentId, JSON.stringify(patch)],
    );
    return rows[0]?.preferences ?? null;
  }
}
