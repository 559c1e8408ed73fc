import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** Which new tickets a policy applies to; a missing field matches anything. */
export interface SlaPolicyMatch {
  priority?: string[];
  channelType?: string[];
  tier?: string[];
}

@Entity('sla_policies')
export class SlaPolicyEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('integer') position: number;
  @Column('jsonb') match: SlaPolicyMatch;
  @Column('integer', { name: 'first_response_sec', nullable: true }) firstResponseSec: number | null;
  @Column('integer', { name: 'next_response_sec', nullable: true }) nextResponseSec: number | null;
  @Column('integer', { name: 'resolution_sec', nullable: true }) resolutionSec: number | null;
  /** Null: the targets are calendar time (24/7). */
  @Column('uuid', { name: 'calendar_id', nullable: true }) calendarId: string | null;
  @Column('integer', { name: 'warn_percent', nullable: true }) warnPercent: number | null;
  @Column('integer', { name: 'warn_before_sec', nullable: true }) warnBeforeSec: number | null;
  @Column('boolean') active: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
