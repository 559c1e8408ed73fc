import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ChannelCursorEntity, ChannelEntity, ConnectionState } from './channel.entity';

@Injectable()
export class ChannelsRepository {
  constructor(private readonly dataSource: DataSource) {}

  findAll(): Promise<ChannelEntity[]> {
    return this.dataSource.manager.find(ChannelEntity, { order: { createdAt: 'ASC' } });
  }

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<ChannelEntity | null> {
    return manager.findOne(ChannelEntity, { where: { id } });
  }

  /** With the sealed secrets and token hash, for the server's own use. */
  findWithSecrets(id: string, manager: EntityManager = this.dataSource.manager): Promise<ChannelEntity | null> {
    return manager
      .createQueryBuilder(ChannelEntity, 'c')
      .addSelect(['c.secrets', 'c.inboundTokenHash'])
      .where('c.id = :id', { id })
      .getOne();
  }

  async insert(manager: EntityManager, channel: Partial<ChannelEntity>): Promise<string> {
    const result = await manager.insert(ChannelEntity, channel);
    return result.identifiers[0].id;
  }

  async update(manager: EntityManager, id: string, patch: Partial<ChannelEntity>): Promise<void> {
    await manager.update(ChannelEntity, { id }, patch);
  }

  async calendarExists(calendarId: string): Promise<boolean> {
    return (await this.dataSource.query('SELECT 1 FROM business_calendars WHERE id = $1', [calendarId])).length > 0;
  }

  async teamExists(teamId: string): Promise<boolean> {
    return (await this.dataSource.query('SELECT 1 FROM teams WHERE id = $1', [teamId])).length > 0;
  }

  async recordError(id: string, error: string): Promise<void> {
    await this.dataSource.manager.update(ChannelEntity, { id }, { lastError: error.slice(0, 2000), lastErrorAt: new Date() });
  }

  async recordConnection(id: string, state: ConnectionState): Promise<void> {
    await this.dataSource.query('UPDATE channels SET connection_state = $2, connection_changed_at = now() WHERE id = $1', [id, state]);
  }

  async recordMessage(id: string, at: Date): Promise<void> {
    await this.dataSource.query('UPDATE channels SET last_message_at = GREATEST(last_message_at, $2) WHERE id = $1', [id, at]);
  }

  cursors(channelId: string): Promise<ChannelCursorEntity[]> {
    return this.dataSource.manager.find(ChannelCursorEntity, { where: { channelId } });
  }
}
