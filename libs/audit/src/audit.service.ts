import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ActorType, AuditLogEntity } from './audit-log.entity';

export interface Actor {
  type: ActorType;
  id: string | null;
}

export const SYSTEM_ACTOR: Actor = { type: 'system', id: null };

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId: string | null;
  data?: Record<string, any>;
}

/** Who did what, when. Written in the same transaction as the change it records. */
@Injectable()
export class AuditService {
  async record(manager: EntityManager, actor: Actor, record: AuditRecord): Promise<void> {
    await manager.insert(AuditLogEntity, {
      actorType: actor.type,
      actorId: actor.id,
      action: record.action,
      entityType: record.entityType,
      entityId: record.entityId,
      data: record.data ?? {},
    });
  }
}
