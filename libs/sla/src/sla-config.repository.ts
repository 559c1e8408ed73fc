import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BusinessCalendarEntity } from './business-calendar.entity';
import { SlaPolicyEntity } from './sla-policy.entity';

@Injectable()
export class SlaConfigRepository {
  constructor(private readonly dataSource: DataSource) {}

  calendars(): Promise<BusinessCalendarEntity[]> {
    return this.dataSource.manager.find(BusinessCalendarEntity, { order: { name: 'ASC' } });
  }

  calendar(id: string, manager: EntityManager = this.dataSource.manager): Promise<BusinessCalendarEntity | null> {
    return manager.findOne(BusinessCalendarEntity, { where: { id } });
  }

  /** The new calendar's id, or null when the name is taken. */
  async insertCalendar(manager: EntityManager, calendar: Partial<BusinessCalendarEntity>): Promise<string | null> {
    const result = await manager.createQueryBuilder().insert().into(BusinessCalendarEntity).values(calendar).orIgnore().returning('id').execute();
    return result.raw[0]?.id ?? null;
  }

  async updateCalendar(manager: EntityManager, id: string, patch: Partial<BusinessCalendarEntity>): Promise<void> {
    await manager.update(BusinessCalendarEntity, { id }, patch);
  }

  /** In evaluation order. */
  policies(): Promise<SlaPolicyEntity[]> {
    return this.dataSource.manager.find(SlaPolicyEntity, { order: { position: 'ASC', createdAt: 'ASC' } });
  }

  policy(id: string, manager: EntityManager = this.dataSource.manager): Promise<SlaPolicyEntity | null> {
    return manager.findOne(SlaPolicyEntity, { where: { id } });
  }

  async nextPosition(manager: EntityManager): Promise<number> {
    const rows: Array<{ next: number }> = await manager.query('SELECT coalesce(max(position) + 1, 0)::int AS next FROM sla_policies');
    return rows[0].next;
  }

  async updatePolicy(manager: EntityManager, id: string, patch: Partial<SlaPolicyEntity>): Promise<void> {
    await manager.update(SlaPolicyEntity, { id }, patch);
  }

  async insertPolicy(manager: EntityManager, policy: Partial<SlaPolicyEntity>): Promise<string> {
    const result = await manager.insert(SlaPolicyEntity, policy);
    return result.identifiers[0].id;
  }
}
