import { AgentEntity, TeamEntity, TeamMemberEntity } from '@pasokh/agents';
import { AuditLogEntity } from '@pasokh/audit';
import { ApiTokenEntity } from '@pasokh/auth';
import { ChannelCursorEntity, ChannelEntity } from '@pasokh/channel-core';
import { CustomerEntity, CustomerIdentityEntity } from '@pasokh/customers';
import { AttachmentEntity, MessageEntity } from '@pasokh/messages';
import { OutboxItemEntity } from '@pasokh/outbox';
import { BusinessCalendarEntity, SlaPolicyEntity } from '@pasokh/sla';
import { TicketEntity } from '@pasokh/tickets';

export const ENTITIES = [
  AgentEntity,
  TeamEntity,
  TeamMemberEntity,
  ApiTokenEntity,
  AuditLogEntity,
  ChannelEntity,
  ChannelCursorEntity,
  CustomerEntity,
  CustomerIdentityEntity,
  TicketEntity,
  MessageEntity,
  AttachmentEntity,
  OutboxItemEntity,
  BusinessCalendarEntity,
  SlaPolicyEntity,
];
