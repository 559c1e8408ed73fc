import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CustomerIdentityEntity } from './customer-identity.entity';
import { CustomerEntity } from './customer.entity';

@Injectable()
export class CustomersRepository {
  constructor(private readonly dataSource: DataSource) {}

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<CustomerEntity | null> {
    return manager.findOne(CustomerEntity, { where: { id } });
  }

  async update(manager: EntityManager, id: string, patch: Partial<CustomerEntity>): Promise<void> {
    await manager.update(CustomerEntity, { id }, patch);
  }

  identities(customerIds: string[], manager: EntityManager = this.dataSource.manager): Promise<CustomerIdentityEntity[]> {
    if (!customerIds.length) return Promise.resolve([]);
    return manager
      .createQueryBuilder(CustomerIdentityEntity, 'i')
      .where('i.customerId IN (:...ids)', { ids: customerIds })
      .orderBy('i.createdAt', 'ASC')
      .getMany();
  }

  async ticketCounts(customerIds: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, number>> {
    if (!customerIds.length) return new Map();
    const rows: Array<{ customer_id: string; count: string }> = await manager.query(
      'SELECT customer_id, count(*) AS count FROM tickets WHERE customer_id = ANY($1) GROUP BY customer_id',
      [customerIds],
    );
    return new Map(rows.map((r) => [r.customer_id, Number(r.count)]));
  }

  /** Live customers, newest first, keyset-paginated on (created_at, id). */
  list(search: { text: string | null; phone: string | null }, after: [string, string] | null, limit: number): Promise<CustomerEntity[]> {
    const qb = this.dataSource.manager.createQueryBuilder(CustomerEntity, 'c').where('c.mergedIntoId IS NULL');
    const matches: string[] = [];
    if (search.text) matches.push('c.searchText LIKE :like');
    if (search.phone) matches.push('c.phone = :phone');
    if (matches.length) {
      const like = search.text ? `%${search.text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%` : null;
      qb.andWhere(`(${matches.join(' OR ')})`, { like, phone: search.phone });
    }
    if (after) qb.andWhere('(c.createdAt, c.id) < (:at::timestamptz, :id::uuid)', { at: after[0], id: after[1] });
    return qb.orderBy('c.createdAt', 'DESC').addOrderBy('c.id', 'DESC').limit(limit + 1).getMany();
  }

  /** Moves the source's identities and tickets to the target and marks the source merged. */
  async merge(manager: EntityManager, targetId: string, sourceId: string): Promise<{ identities: number; ticketIds: string[] }> {
    const identities = await manager.query('UPDATE customer_identities SET customer_id = $1 WHERE customer_id = $2', [targetId, sourceId]);
    const tickets: Array<{ id: string }> = await manager.query(
      'WITH moved AS (UPDATE tickets SET customer_id = $1, updated_at = now() WHERE customer_id = $2 RETURNING id) SELECT id FROM moved',
      [targetId, sourceId],
    );
    await manager.query('UPDATE customers SET merged_into_id = $1, updated_at = now() WHERE merged_into_id = $2', [targetId, sourceId]);
    await manager.update(CustomerEntity, { id: sourceId }, { mergedIntoId: targetId });
    return { identities: identities[1] ?? 0, ticketIds: tickets.map((t) => t.id) };
  }

  /**
   * Serialises work on one person across transactions (see CustomerResolver): transaction-scoped
   * advisory locks, taken in sorted order in one round trip so two callers never deadlock.
   */
  async lockKeys(manager: EntityManager, keys: string[]): Promise<void> {
    await manager.query(
      'SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0))) FROM (SELECT DISTINCT k FROM unnest($1::text[]) AS k ORDER BY k) AS sorted',
      [keys],
    );
  }
}
