import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { BusinessCalendar } from './calendar';

@Entity('business_calendars')
export class BusinessCalendarEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text') timezone: string;
  @Column('jsonb') weekly: BusinessCalendar['weekly'];
  @Column('text', { array: true }) holidays: string[];
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
