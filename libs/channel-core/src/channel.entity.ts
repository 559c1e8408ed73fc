import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const CHANNEL_TYPES = ['api', 'email', 'twilio_sms', 'telegram', 'messenger', 'instagram', 'whatsapp', 'webchat'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];
export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

@Entity('channels')
export class ChannelEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') type: ChannelType;
  @Column('text') name: string;
  /** The non-secret part of the channel's config. */
  @Column('jsonb') config: Record<string, any>;
  /** The secret part, AES-256-GCM encrypted (see SecretBox). Never leaves the server. */
  @Column('text', { nullable: true, select: false }) secrets: string | null;
  @Column('text', { name: 'inbound_token_hash', nullable: true, select: false }) inboundTokenHash: string | null;
  @Column('boolean') active: boolean;
  /** New tickets go to an online agent (libs/assignment). */
  @Column('boolean', { name: 'auto_assign' }) autoAssign: boolean;
  /** New tickets go to this team. */
  @Column('uuid', { name: 'route_team_id', nullable: true }) routeTeamId: string | null;
  @Column('integer', { name: 'max_open_per_agent', nullable: true }) maxOpenPerAgent: number | null;
  /** Ask the customer for a rating when an agent resolves a ticket (libs/csat). */
  @Column('boolean', { name: 'csat_enabled' }) csatEnabled: boolean;
  /** Outside these business hours a new ticket gets an away reply (libs/away-reply). */
  @Column('uuid', { name: 'away_calendar_id', nullable: true }) awayCalendarId: string | null;
  @Column('text', { name: 'away_message', nullable: true }) awayMessage: string | null;
  @Column('text', { name: 'last_error', nullable: true }) lastError: string | null;
  @Column('timestamptz', { name: 'last_error_at', nullable: true }) lastErrorAt: Date | null;
  @Column('timestamptz', { name: 'last_message_at', nullable: true }) lastMessageAt: Date | null;
  /** A pulling channel's live connection (IMAP), written by the instance that holds it. */
  @Column('text', { name: 'connection_state', nullable: true }) connectionState: ConnectionState | null;
  @Column('timestamptz', { name: 'connection_changed_at', nullable: true }) connectionChangedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** Where a pulling channel is up to: IMAP uidvalidity/uid, Telegram update offset, … */
@Entity('channel_cursors')
export class ChannelCursorEntity {
  @PrimaryColumn('uuid', { name: 'channel_id' }) channelId: string;
  @PrimaryColumn('text') key: string;
  @Column('jsonb') value: unknown;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
