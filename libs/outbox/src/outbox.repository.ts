import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { OutboxItemEntity } from './outbox-item.entity';

/**
 * Work that must happen after a commit and survive a crash (sending a reply). Rows are written in the
 * transaction that causes them; workers on any instance claim them with SKIP LOCKED and a lease.
 */
@Injectable()
export class OutboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  async enqueue(manager: EntityManager, kind: string, payload: Record<string, any>): Promise<string> {
    const result = await manager.insert(OutboxItemEntity, { kind, payload, status: 'pending', attempts: 0 });
    return result.identifiers[0].id;
  }

  /**
   * Claims due rows: pending ones, and processing ones whose lease ran out (their worker died).
   * The claim is its own short transaction, so no lock is held while the provider is called.
   */
  async claim(limit: number, leaseMs: number): Promise<OutboxItemEntity[]> {
    // Wrapped in a CTE so the driver returns plain rows (a bare UPDATE … RETURNING comes back as [rows, count]).
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `WITH claimed AS (
         UPDATE outbox SET status = 'processing', attempts = attempts + 1,
                locked_until = now() + make_interval(secs => $2::double precision / 1000), updated_at = now()
          WHERE id IN (
            SELECT id FROM outbox
             WHERE (status = 'pending' AND next_attempt_at <= now())
                OR (status = 'processing' AND locked_until < now())
             ORDER BY next_attempt_at
             LIMIT $1
             FOR UPDATE SKIP LOCKED)
          RETURNING id, kind, payload, attempts)
       SELECT * FROM claimed`,
      [limit, leaseMs],
    );
    return rows.map((r) => this.dataSource.manager.create(OutboxItemEntity, { id: r.id as string, kind: r.kind as string, payload: r.payload as Record<string, unknown>, attempts: r.attempts as number }));
  }

  async complete(manager: EntityManager, id: string): Promise<void> {
    await manager.update(OutboxItemEntity, { id }, { status: 'done', lockedUntil: null, lastError: null });
  }

  async retryLater(id: string, error: string, at: Date): Promise<void> {
    await this.dataSource.manager.update(OutboxItemEntity, { id }, { status: 'pending', nextAttemptAt: at, lockedUntil: null, lastError: error.slice(0, 2000) });
  }

  async fail(manager: EntityManager, id: string, error: string): Promise<void> {
    await manager.update(OutboxItemEntity, { id }, { status: 'failed', lockedUntil: null, lastError: error.slice(0, 2000) });
  }

  /** When the next pending row is due, so an idle worker can sleep until then. */
  async nextDueAt(): Promise<Date | null> {
    const rows: Array<{ at: Date | null }> = await this.dataSource.query(
      `SELECT min(CASE WHEN status = 'pending' THEN next_attempt_at ELSE locked_until END) AS at
         FROM outbox WHERE status IN ('pending', 'processing')`,
    );
    return rows[0]?.at ?? null;
  }
}
