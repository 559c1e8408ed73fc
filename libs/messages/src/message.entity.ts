import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type MessageDirection = 'inbound' | 'outbound';
export type MessageKind = 'message' | 'note' | 'event';
export type AuthorType = 'customer' | 'agent' | 'system';
export const DELIVERY_STATUSES = ['received', 'queued', 'sent', 'delivered', 'read', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

@Entity('messages')
export class MessageEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'ticket_id' }) ticketId: string;
  @Column('uuid', { name: 'channel_id', nullable: true }) channelId: string | null;
  @Column('text') direction: MessageDirection;
  @Column('text') kind: MessageKind;
  @Column('text', { name: 'author_type' }) authorType: AuthorType;
  @Column('uuid', { name: 'author_id', nullable: true }) authorId: string | null;
  @Column('text') text: string;
  /** Sanitized before it is stored. */
  @Column('text', { nullable: true }) html: string | null;
  @Column('text', { name: 'delivery_status' }) deliveryStatus: DeliveryStatus;
  @Column('text', { nullable: true }) error: string | null;
  /** Inbound only: the provider's id of the message, unique per channel (exactly-once ingest). */
  @Column('text', { name: 'external_message_id', nullable: true }) externalMessageId: string | null;
  /** Outbound only: the id the provider gave our reply; delivery callbacks refer to it. */
  @Column('text', { name: 'provider_message_id', nullable: true }) providerMessageId: string | null;
  @Column('text', { name: 'email_message_id', nullable: true }) emailMessageId: string | null;
  @Column('text', { name: 'in_reply_to', nullable: true }) inReplyTo: string | null;
  @Column('text', { array: true, nullable: true }) references: string[] | null;
  /** Answers offered as buttons on channels that have them (a rating's 1–5); null for most messages. */
  @Column('text', { name: 'quick_replies', array: true, nullable: true }) quickReplies: string[] | null;
  @Column('timestamptz', { name: 'sent_at', nullable: true }) sentAt: Date | null;
  @Column('timestamptz', { name: 'edited_at', nullable: true }) editedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
