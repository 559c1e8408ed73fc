import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, ValueTransformer } from 'typeorm';

export const TICKET_STATUSES = ['open', 'pending', 'snoozed', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
export const SLA_STATES = ['none', 'on_track', 'at_risk', 'breached', 'paused', 'met'] as const;
export type SlaState = (typeof SLA_STATES)[number];

/** pg returns bigint as a string; ticket numbers stay far below 2^53. */
const bigintNumber: ValueTransformer = { to: (v: number) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

@Entity('tickets')
export class TicketEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'bigint', insert: false, update: false, transformer: bigintNumber }) number: number;
  @Column('text', { nullable: true }) subject: string | null;
  @Column('text') status: TicketStatus;
  @Column('text') priority: TicketPriority;
  @Column('uuid', { name: 'customer_id' }) customerId: string;
  @Column('uuid', { name: 'channel_id' }) channelId: string;
  @Column('text', { name: 'thread_key', nullable: true }) threadKey: string | null;
  @Column('uuid', { name: 'assignee_id', nullable: true }) assigneeId: string | null;
  @Column('uuid', { name: 'team_id', nullable: true }) teamId: string | null;
  @Column('text', { array: true }) tags: string[];
  @Column('text', { name: 'search_text' }) searchText: string;
  @Column('integer', { name: 'message_count' }) messageCount: number;
  @Column('timestamptz', { name: 'snoozed_until', nullable: true }) snoozedUntil: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  @Column('timestamptz', { name: 'last_message_at' }) lastMessageAt: Date;
  @Column('timestamptz', { name: 'last_customer_message_at', nullable: true }) lastCustomerMessageAt: Date | null;
  @Column('timestamptz', { name: 'last_agent_message_at', nullable: true }) lastAgentMessageAt: Date | null;
  @Column('timestamptz', { name: 'first_response_at', nullable: true }) firstResponseAt: Date | null;
  @Column('timestamptz', { name: 'resolved_at', nullable: true }) resolvedAt: Date | null;
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt: Date | null;
  @Column('uuid', { name: 'sla_policy_id', nullable: true }) slaPolicyId: string | null;
  @Column('text', { name: 'sla_state' }) slaState: SlaState;
  @Column('timestamptz', { name: 'first_response_due_at', nullable: true }) firstResponseDueAt: Date | null;
  @Column('timestamptz', { name: 'next_response_due_at', nullable: true }) nextResponseDueAt: Date | null;
  @Column('timestamptz', { name: 'resolution_due_at', nullable: true }) resolutionDueAt: Date | null;
}
